// SPDX-License-Identifier: GPL-2.0
/*
 * Definitions of everything corpus.h declares, with their markers, so
 * that cowrap-objcheck knows the class of the corpus's external callees
 * (cowrap-objcheck -d corpus_defs.o FILE.o).  Correct code: no warning.
 *
 * expect-objcheck: none
 */
#include "corpus.h"

static int corpus_state;

struct cowrap_ctx *cowrap_default_ctx(void)
{
	return NULL;
}

struct cowrap_co *cowrap_co_create(struct cowrap_ctx *ctx,
				   cowrap_co_entry_t entry, void *opaque,
				   gfp_t gfp)
{
	return NULL;
}

void cowrap_co_init(struct cowrap_co *co, struct cowrap_ctx *ctx,
		    cowrap_co_entry_t entry, void *opaque)
{
	corpus_state += !!entry;
}

void corpus_register(cowrap_co_entry_t fn, void *opaque)
{
	corpus_state += !!fn;
}

void cowrap_co_enter(struct cowrap_co *co)
{
	corpus_state++;
}

int coroutine_fn cowrap_co_yield(void)
{
	return corpus_state;
}

bool cowrap_in_coroutine(void)
{
	return corpus_state > 0;
}

int no_coroutine_fn cowrap_poll_co(struct cowrap_poll_co *p,
				   struct cowrap_ctx *ctx,
				   cowrap_co_entry_t entry, void *opaque)
{
	return -EDEADLK;
}

int coroutine_fn cowrap_co_call_noco(struct cowrap_noco_call *c,
				     void (*fn)(void *opaque), void *opaque)
{
	return -EPERM;
}

int coroutine_fn cowrap_co_sleep_ns(u64 ns)
{
	return (int)(ns & 1);
}

int coroutine_fn corpus_co_read(int n)
{
	return cowrap_co_yield() + n;
}

int no_coroutine_fn corpus_noco_flush(int n)
{
	return n;
}

int coroutine_fn corpus_dev_co_sync(int n)
{
	return cowrap_co_sleep_ns(n);
}

int corpus_plain(int n)
{
	return n * 2;
}

int corpus_flush(int n);

int corpus_flush(int n)
{
	return n - 1;
}
