/* SPDX-License-Identifier: GPL-2.0 */
int __attribute__ co_wrapper x_y(int a);
