/* SPDX-License-Identifier: GPL-2.0 */
int co_wrapper x_y(int a);
int co_wrapper_mixd x_z(int a);
