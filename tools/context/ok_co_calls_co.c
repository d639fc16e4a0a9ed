// SPDX-License-Identifier: GPL-2.0
/*
 * Correct: coroutine_fn calls coroutine_fn (static, extern, tail call)
 * and plain functions; the declaration and the definition both carry the
 * marker.
 *
 * expect-objcheck: none
 */
#include "corpus.h"

int coroutine_fn ok_co_chain(int n);

static noinline int coroutine_fn ok_co_step(int n)
{
	return cowrap_co_sleep_ns(n) + corpus_plain(n);
}

int coroutine_fn ok_co_chain(int n)
{
	int ret = ok_co_step(n);

	if (ret)
		return ret;
	return corpus_co_read(n);
}
