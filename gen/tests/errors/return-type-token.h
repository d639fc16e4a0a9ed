/* SPDX-License-Identifier: GPL-2.0 */
int 5 co_wrapper x_y(int a);
