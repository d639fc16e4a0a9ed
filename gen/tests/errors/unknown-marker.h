/* SPDX-License-Identifier: GPL-2.0 */
int co_wrapper_bdrv_rdlock x_y(int a);
