// SPDX-License-Identifier: GPL-2.0
/*
 * Rule: a non-coroutine function must not call a coroutine_fn, also while
 * it holds a spinlock.  Sparse adds every context into one counter, so
 * with the coroutine context worth 1 (the first encoding) spin_lock()
 * alone satisfied the check; the coroutine context is worth 1024 now.
 *
 * expect-objcheck: noco-ctx bad_plain_locked corpus_co_read
 */
#include <linux/spinlock.h>
#include "corpus.h"

int bad_plain_locked(int n);

static DEFINE_SPINLOCK(corpus_lock);

int bad_plain_locked(int n)
{
	int ret;

	spin_lock(&corpus_lock);
	ret = corpus_co_read(n);	/* expect-sparse: check */
	spin_unlock(&corpus_lock);
	return ret;
}
