// SPDX-License-Identifier: GPL-2.0
/*
 * Rule: a non-coroutine function must not call a coroutine_fn (static,
 * not inlined: the call is a relocation against the section symbol of
 * .text.cowrap_co plus an addend).
 *
 * expect-objcheck: noco-ctx bad_plain_static co_step
 */
#include "corpus.h"

int bad_plain_static(int n);

static noinline int coroutine_fn co_step(int n)
{
	return cowrap_co_yield() + n;
}

int bad_plain_static(int n)
{
	return co_step(n) * 3;		/* expect-sparse: check */
}
