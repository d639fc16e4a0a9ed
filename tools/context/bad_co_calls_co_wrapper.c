// SPDX-License-Identifier: GPL-2.0
/*
 * Rule: a coroutine_fn must not call a co_wrapper (it would poll its own
 * execution context: a deadlock; the wrapper refuses at run time).  The
 * right call is the _co_ function.
 *
 * expect-objcheck: co-ctx bad_co_wrapper corpus_dev_sync
 */
#include "corpus.h"

int coroutine_fn bad_co_wrapper(int n);

int coroutine_fn bad_co_wrapper(int n)
{
	return corpus_dev_sync(n) + 2;	/* expect-sparse: check */
}
