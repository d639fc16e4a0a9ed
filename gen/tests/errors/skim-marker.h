/* SPDX-License-Identifier: GPL-2.0 */
/* a marker right after a long unmarked item is still seen */
static inline int f(int a)
{
	if (a) {
		return (a + 1) * 2;
	}
	return 0;
} int co_wrapper x_y(int a), x_z(int b);
