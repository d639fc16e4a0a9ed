/* SPDX-License-Identifier: GPL-2.0 */
int no_co_wrapper x_y(int a);
