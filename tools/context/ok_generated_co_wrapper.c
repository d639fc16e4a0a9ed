// SPDX-License-Identifier: GPL-2.0
/*
 * Correct: the shape of a generated co_wrapper (issue 4): argument
 * struct, coroutine_fn entry that enters the sparse context explicitly,
 * no_coroutine_fn wrapper that polls the coroutine to completion.
 * clang -Wthread-safety has no reentrant capability in clang 14: it
 * rejects entering the context inside a coroutine_fn (a false positive of
 * that checker; an entry that is either coroutine_fn or enters the
 * context, not both, passes all three checkers).
 *
 * expect-objcheck: none
 */
#include "corpus.h"

struct corpus_dev_sync_args {
	struct cowrap_poll_co poll;
	int n;
	int ret;
};

static void coroutine_fn corpus_dev_sync_entry(void *opaque)
{
	struct corpus_dev_sync_args *a = opaque;

	__cowrap_co_context_enter();	/* expect-tsa: imbalance */
	a->ret = corpus_dev_co_sync(a->n);
	__cowrap_co_context_exit();
}	/* expect-tsa: imbalance */

int co_wrapper corpus_dev_sync(int n)
{
	struct corpus_dev_sync_args a = { .n = n };
	int ret;

	ret = cowrap_poll_co(&a.poll, cowrap_default_ctx(),
			     corpus_dev_sync_entry, &a);
	if (ret)
		return ret;
	return a.ret;
}
