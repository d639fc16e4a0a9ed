// SPDX-License-Identifier: GPL-2.0
/*
 * Rule: a non-coroutine function must not call a coroutine_fn (extern).
 *
 * expect-objcheck: noco-ctx bad_plain_extern corpus_co_read
 */
#include "corpus.h"

int bad_plain_extern(int n);

int bad_plain_extern(int n)
{
	return corpus_co_read(n) + 1;	/* expect-sparse: check */
}
