/* SPDX-License-Identifier: GPL-2.0 */
int co_wrapper_mixed xy(int a);
