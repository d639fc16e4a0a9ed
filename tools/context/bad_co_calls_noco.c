// SPDX-License-Identifier: GPL-2.0
/*
 * Rule: a coroutine_fn must not call a no_coroutine_fn.
 *
 * expect-objcheck: co-ctx bad_co_noco corpus_noco_flush
 */
#include "corpus.h"

int coroutine_fn bad_co_noco(int n);

int coroutine_fn bad_co_noco(int n)
{
	int ret = cowrap_co_yield();

	if (ret)
		return ret;
	return corpus_noco_flush(n) + 1;	/* expect-sparse: check */
}
