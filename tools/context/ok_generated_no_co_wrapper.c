// SPDX-License-Identifier: GPL-2.0
/*
 * Correct: the shape of a generated no_co_wrapper (issue 4): a
 * coroutine_fn that runs the plain function on a workqueue and yields
 * until it returns, called from coroutine code.
 *
 * expect-objcheck: none
 */
#include "corpus.h"

int corpus_flush(int n);
int no_co_wrapper corpus_co_flush(int n);
int coroutine_fn ok_flush_user(int n);

struct corpus_co_flush_args {
	struct cowrap_noco_call call;
	int n;
	int ret;
};

static void corpus_co_flush_entry(void *opaque)
{
	struct corpus_co_flush_args *a = opaque;

	a->ret = corpus_flush(a->n);
}

int no_co_wrapper corpus_co_flush(int n)
{
	struct corpus_co_flush_args a = { .n = n };
	int ret;

	ret = cowrap_co_call_noco(&a.call, corpus_co_flush_entry, &a);
	return ret ? ret : a.ret;
}

int coroutine_fn ok_flush_user(int n)
{
	return corpus_co_flush(n) + 1;
}
