/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrap-gen run test: wrappers of every kind, generated at test time and
 * run through the pthread stand-in of the coroutine layer (rt.c).
 */
#ifndef RT_H
#define RT_H

struct rt_dev {
	struct cowrap_ctx ctx;
	int value;
};

struct cowrap_ctx *rt_dev_ctx(struct rt_dev *dev);

int coroutine_fn rt_co_add(int a, int b);
int co_wrapper rt_add(int a, int b);

int coroutine_fn rt_dev_co_get(struct rt_dev *dev);
int co_wrapper rt_dev_get(struct rt_dev *dev);

void coroutine_fn rt_co_fill(u8 buf[4], void (*done)(void *opaque, int ret),
			     void *opaque);
void co_wrapper rt_fill(u8 buf[4], void (*done)(void *opaque, int ret),
			void *opaque);

unsigned int coroutine_fn rt_co_count(void);
unsigned int co_wrapper rt_count(void);

long coroutine_fn rt_co_mix(long x);
long co_wrapper_mixed rt_mix(long x);

void coroutine_fn rt_co_touch(int *p);
void co_wrapper_mixed rt_touch(int *p);

int rt_plain(const char *s, int n);
int no_co_wrapper rt_co_plain(const char *s, int n);

void rt_plain_void(int *p);
void no_co_wrapper rt_co_plain_void(int *p);

/* runs sub-test @which inside a coroutine */
int coroutine_fn rt_co_inside(int which);
int co_wrapper rt_inside(int which);

#endif /* RT_H */
