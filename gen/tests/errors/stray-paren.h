/* SPDX-License-Identifier: GPL-2.0 */
/* a stray closing bracket earlier in the same item hid the marker */
int x_co_y(int a);
int b) int co_wrapper x_y(int a);
