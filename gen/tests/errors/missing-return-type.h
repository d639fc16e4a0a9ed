/* SPDX-License-Identifier: GPL-2.0 */
co_wrapper x_y(int a);
