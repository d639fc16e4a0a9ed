// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace stand-in of the cowrap coroutine layer: every coroutine runs
 * on its own pthread, cowrap_in_coroutine() is a thread-local flag, a
 * no-coroutine call runs on another plain thread.  Misuse returns the
 * errors the kernel layer returns (-EDEADLK, -EPERM) and is counted.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <cowrap/annotations.h>
#include <cowrap/coroutine.h>

static _Thread_local bool in_co;
static struct cowrap_ctx default_ctx = { "default" };
static struct cowrap_ctx *last_ctx;
static int misuse;

struct cowrap_ctx *cowrap_default_ctx(void)
{
	return &default_ctx;
}

bool cowrap_in_coroutine(void)
{
	return in_co;
}

struct cowrap_ctx *cowrap_stub_last_ctx(void)
{
	return last_ctx;
}

int cowrap_stub_misuse_count(void)
{
	return misuse;
}

static void *co_thread(void *arg)
{
	struct cowrap_poll_co *p = arg;

	in_co = true;
	p->entry(p->opaque);
	return NULL;
}

int cowrap_poll_co(struct cowrap_poll_co *p, struct cowrap_ctx *ctx,
		   cowrap_co_entry_t entry, void *opaque)
{
	pthread_t th;

	if (in_co) {
		misuse++;
		return -EDEADLK;
	}
	p->ctx = ctx;
	p->entry = entry;
	p->opaque = opaque;
	last_ctx = ctx;
	if (pthread_create(&th, NULL, co_thread, p)) {
		perror("pthread_create");
		abort();
	}
	pthread_join(th, NULL);
	return 0;
}

static void *noco_thread(void *arg)
{
	struct cowrap_noco_call *c = arg;

	in_co = false;
	c->fn(c->opaque);
	return NULL;
}

int cowrap_co_call_noco(struct cowrap_noco_call *c, void (*fn)(void *opaque),
			void *opaque)
{
	pthread_t th;

	if (!in_co) {
		misuse++;
		return -EPERM;
	}
	c->fn = fn;
	c->opaque = opaque;
	if (pthread_create(&th, NULL, noco_thread, c)) {
		perror("pthread_create");
		abort();
	}
	pthread_join(th, NULL);
	return 0;
}
