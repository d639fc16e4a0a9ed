/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Brackets: 256 levels deep but balanced, and opened in each branch of a
 * conditional but closed once after it (as real C sources do).
 */
#include <linux/types.h>

int coroutine_fn br_co_deep(int a, int b[1]);
int coroutine_fn br_co_split(int a);
int coroutine_fn br_co_long(int p0, int p1, int p2, int p3, int p4, int p5, int p6, int p7, int p8, int p9, int p10, int p11, int p12, int p13, int p14, int p15, int p16, int p17, int p18, int p19);
int g(int a, int b, int c);
int h(int a, int c);

static inline int br_inline(int a)
{
	return ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((a))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))));
}

static inline int br_branches(int a)
{
	int x;

#ifdef CONFIG_BR_NEW
	x = g(a, 1,
#else
	x = h(a,
#endif
	      2);
	if (x) {
#ifdef CONFIG_BR_NEW
		x++;
	} else {
#else
		x--;
	} else {
#endif
		x = 0;
	}
	return x;
}

/* nested groups opened in the same bracket state, then split by #else */
static inline int br_nested(int a)
{
	int x;

#ifdef CONFIG_BR_A
#ifdef CONFIG_BR_B
	x = g(a, 1,
#else
	x = h(a,
#endif
	      2);
#else
#ifdef CONFIG_BR_C
#ifdef CONFIG_BR_D
	x = h(a,
#elif defined(CONFIG_BR_E)
	x = g(a, 3,
#else
	x = h(a,
#endif
#else
	x = h(a,
#endif
	      4);
#endif
	return x;
}

int co_wrapper br_deep(int a, int b[sizeof(char[((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((a)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))) + 1])]);
int co_wrapper br_split(int a);
/* more than 16 parameters: their names are checked with a hash set */
int co_wrapper br_long(int p0, int p1, int p2, int p3, int p4, int p5, int p6, int p7, int p8, int p9, int p10, int p11, int p12, int p13, int p14, int p15, int p16, int p17, int p18, int p19);
