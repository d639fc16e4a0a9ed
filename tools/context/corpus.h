/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations the context corpus calls: the subset of the coroutine API
 * (include/cowrap/coroutine.h contract) and a few annotated helpers.  Only
 * declarations: the corpus is compiled and checked, never linked or run.
 */
#ifndef _COWRAP_CONTEXT_CORPUS_H
#define _COWRAP_CONTEXT_CORPUS_H

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <cowrap/annotations.h>

struct cowrap_ctx;
struct cowrap_co;
struct cowrap_poll_co {
	unsigned long opaque[4];
};
struct cowrap_noco_call {
	unsigned long opaque[4];
};
typedef void (*cowrap_co_entry_t)(void *opaque);

struct cowrap_ctx *cowrap_default_ctx(void);
void cowrap_co_init(struct cowrap_co *co, struct cowrap_ctx *ctx,
		    cowrap_co_entry_t entry, void *opaque);
struct cowrap_co *cowrap_co_create(struct cowrap_ctx *ctx,
				   cowrap_co_entry_t entry, void *opaque,
				   gfp_t gfp);
void cowrap_co_enter(struct cowrap_co *co);
int coroutine_fn cowrap_co_yield(void);
bool cowrap_in_coroutine(void);
int no_coroutine_fn cowrap_poll_co(struct cowrap_poll_co *p,
				   struct cowrap_ctx *ctx,
				   cowrap_co_entry_t entry, void *opaque);
int coroutine_fn cowrap_co_call_noco(struct cowrap_noco_call *c,
				     void (*fn)(void *opaque), void *opaque);
int coroutine_fn cowrap_co_sleep_ns(u64 ns);

/* Annotated functions defined elsewhere (extern callees). */
int coroutine_fn corpus_co_read(int n);
int no_coroutine_fn corpus_noco_flush(int n);
int co_wrapper corpus_dev_sync(int n);
int coroutine_fn corpus_dev_co_sync(int n);
int corpus_plain(int n);
void corpus_register(cowrap_co_entry_t fn, void *opaque);

#endif /* _COWRAP_CONTEXT_CORPUS_H */
