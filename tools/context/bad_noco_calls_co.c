// SPDX-License-Identifier: GPL-2.0
/*
 * Rule: a no_coroutine_fn is non-coroutine code: it must not call a
 * coroutine_fn.  With the first encoding (context(-1, 0) alone) sparse
 * skipped the whole body of a no_coroutine_fn (its contexts summed to a
 * negative entry value); the body is checked now.
 *
 * expect-objcheck: noco-ctx bad_noco_co corpus_co_read
 */
#include "corpus.h"

int no_coroutine_fn bad_noco_co(int n);

int no_coroutine_fn bad_noco_co(int n)
{
	return corpus_co_read(n) - 1;	/* expect-sparse: check */
}
