// SPDX-License-Identifier: GPL-2.0
/*
 * Rule: a coroutine_mixed_fn calls coroutine_fn code only in the branch
 * that checked cowrap_mixed_in_coroutine().  The second call is outside.
 * cowrap-objcheck cannot see branches: calls from mixed functions are not
 * checked in objects (a known miss).
 *
 * expect-objcheck: none
 */
#include "corpus.h"

int coroutine_mixed_fn bad_mixed(int n);

int coroutine_mixed_fn bad_mixed(int n)
{
	int ret;

	if (cowrap_mixed_in_coroutine()) {
		ret = corpus_co_read(n);
		cowrap_mixed_co_end();
		return ret;
	}
	return corpus_co_read(n + 1);	/* expect-sparse: check */
}
