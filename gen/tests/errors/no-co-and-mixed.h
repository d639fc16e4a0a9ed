/* SPDX-License-Identifier: GPL-2.0 */
int no_co_wrapper co_wrapper_mixed x_co_y(int a);
