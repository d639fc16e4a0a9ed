/* SPDX-License-Identifier: GPL-2.0 */
int co_wrapper x_y(int a) co_wrapper_mixed;
