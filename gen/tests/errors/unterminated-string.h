/* SPDX-License-Identifier: GPL-2.0 */
const char *s = "abc;
int co_wrapper x_y(int a);
