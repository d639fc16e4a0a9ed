// SPDX-License-Identifier: GPL-2.0
/*
 * Rule: a non-coroutine function must not call a coroutine_fn, here as a
 * tail call (a jmp in the object, not a call).
 *
 * expect-objcheck: noco-ctx bad_plain_tail corpus_co_read
 */
#include "corpus.h"

int bad_plain_tail(int n);

int bad_plain_tail(int n)
{
	return corpus_co_read(n);	/* expect-sparse: check */
}
