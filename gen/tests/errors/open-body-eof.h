/* SPDX-License-Identifier: GPL-2.0 */
/* a body still open at the end of the file hid every later marker */
static inline int f(int x)
{
	if (x) {
		return 1;
	}
int co_wrapper x_y(int a);
