/* SPDX-License-Identifier: GPL-2.0 */
/* an unbalanced inline body hid every later marker */
int g(int x);
static inline int f(int x) { return g(x; }
int co_wrapper x_y(int a);
