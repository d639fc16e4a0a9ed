// SPDX-License-Identifier: GPL-2.0
/*
 * Rule: the checked branch of a coroutine_mixed_fn must end with
 * cowrap_mixed_co_end(); here it returns without it.  Sparse reports the
 * imbalance at the function, clang -Wthread-safety at its end; nothing
 * to see in the object.
 *
 * expect-objcheck: none
 */
#include "corpus.h"

int coroutine_mixed_fn bad_mixed_unbalanced(int n);

int coroutine_mixed_fn bad_mixed_unbalanced(int n)	/* expect-sparse: imbalance */
{
	if (cowrap_mixed_in_coroutine())
		return corpus_co_read(n);
	return corpus_noco_flush(n);
}	/* expect-tsa: imbalance */
