/* SPDX-License-Identifier: GPL-2.0 */
#else
int co_wrapper x_y(int a);
