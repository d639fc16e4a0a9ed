// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-gen run test: calls the generated wrappers (rt-gen.c, from rt.h)
 * and checks that the coroutine functions really ran, in a coroutine, in
 * the expected context, with the arguments passed and results returned;
 * that a mixed wrapper runs directly inside a coroutine; that a
 * no_co_wrapper runs its function outside coroutine context; and that
 * misuse returns the layer's error without running anything.
 * Prints "ok - name" / "not ok - name" lines; run.sh numbers them.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <cowrap/annotations.h>
#include <cowrap/coroutine.h>
#include "rt.h"

static int failures;
static pthread_t last_thread;
static bool last_in_co;
static int calls;

static void result(bool ok, const char *name)
{
	printf("%s - run: %s\n", ok ? "ok" : "not ok", name);
	if (!ok)
		failures++;
}

static void note(void)
{
	last_thread = pthread_self();
	last_in_co = cowrap_in_coroutine();
	calls++;
}

struct cowrap_ctx *rt_dev_ctx(struct rt_dev *dev)
{
	return &dev->ctx;
}

int coroutine_fn rt_co_add(int a, int b)
{
	note();
	return a + b;
}

int coroutine_fn rt_dev_co_get(struct rt_dev *dev)
{
	note();
	return dev->value;
}

void coroutine_fn rt_co_fill(u8 buf[4], void (*done)(void *opaque, int ret),
			     void *opaque)
{
	int i;

	note();
	for (i = 0; i < 4; i++)
		buf[i] = (u8)(i + 1);
	done(opaque, 42);
}

unsigned int coroutine_fn rt_co_count(void)
{
	note();
	return 7;
}

long coroutine_fn rt_co_mix(long x)
{
	note();
	return x * 2;
}

void coroutine_fn rt_co_touch(int *p)
{
	note();
	*p += 1;
}

int rt_plain(const char *s, int n)
{
	note();
	return (int)strlen(s) + n;
}

void rt_plain_void(int *p)
{
	note();
	*p = 99;
}

static void fill_done(void *opaque, int ret)
{
	*(int *)opaque = ret;
}

int coroutine_fn rt_co_inside(int which)
{
	pthread_t self = pthread_self();
	int before, v = 0;

	switch (which) {
	case 0:			/* co_wrapper from a coroutine: refused */
		before = calls;
		return rt_add(1, 2) == -EDEADLK && calls == before;
	case 1:			/* unsigned return: zero-initialised ret */
		before = calls;
		return rt_count() == 0 && calls == before;
	case 2:			/* mixed inside a coroutine: direct call */
		return rt_mix(21) == 42 && pthread_equal(last_thread, self) &&
		       last_in_co;
	case 3:			/* void mixed inside a coroutine */
		rt_touch(&v);
		return v == 1 && pthread_equal(last_thread, self);
	case 4:			/* no_co_wrapper: runs outside coroutine context */
		return rt_co_plain("abc", 4) == 7 && !last_in_co &&
		       !pthread_equal(last_thread, self) && cowrap_in_coroutine();
	case 5:
		rt_co_plain_void(&v);
		return v == 99 && !last_in_co;
	}
	return 0;
}

int main(void)
{
	struct rt_dev dev = { { "dev" }, 1234 };
	pthread_t self = pthread_self();
	int misuse, got = 0, v = 0;
	u8 buf[4] = { 0 };

	result(rt_add(2, 3) == 5 && last_in_co && !pthread_equal(last_thread, self) &&
	       cowrap_stub_last_ctx() == cowrap_default_ctx() &&
	       !cowrap_in_coroutine(),
	       "co_wrapper runs its coroutine function in a coroutine");
	result(rt_dev_get(&dev) == 1234 && cowrap_stub_last_ctx() == &dev.ctx,
	       "co_wrapper polls the context chosen by --ctx");
	rt_fill(buf, fill_done, &got);
	result(last_in_co && got == 42 && buf[0] == 1 && buf[3] == 4,
	       "void co_wrapper with array and function-pointer parameters");
	result(rt_count() == 7, "unsigned co_wrapper returns its result");
	result(rt_mix(5) == 10 && last_in_co && !pthread_equal(last_thread, self),
	       "co_wrapper_mixed outside a coroutine polls a coroutine");
	rt_touch(&v);
	result(v == 1 && last_in_co, "void co_wrapper_mixed outside a coroutine");
	misuse = cowrap_stub_misuse_count();
	result(rt_inside(0) == 1 && cowrap_stub_misuse_count() == misuse + 1,
	       "co_wrapper inside a coroutine returns -EDEADLK, runs nothing");
	result(rt_inside(1) == 1,
	       "unsigned co_wrapper inside a coroutine returns 0, runs nothing");
	result(rt_inside(2) == 1,
	       "co_wrapper_mixed inside a coroutine calls the _co_ function directly");
	result(rt_inside(3) == 1, "void co_wrapper_mixed inside a coroutine");
	result(rt_inside(4) == 1,
	       "no_co_wrapper runs the plain function outside coroutine context");
	result(rt_inside(5) == 1, "void no_co_wrapper");
	v = calls;
	result(rt_co_plain("x", 1) == -EPERM && calls == v,
	       "no_co_wrapper outside a coroutine returns -EPERM, runs nothing");
	return failures ? 1 : 0;
}
