/* SPDX-License-Identifier: GPL-2.0 */
static inline int co_wrapper x_y(int a);
