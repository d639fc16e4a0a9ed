/* SPDX-License-Identifier: GPL-2.0 */
/* cowrap-gen error test
int co_wrapper x_y(int a);
