// SPDX-License-Identifier: GPL-2.0
/*
 * Rule: a non-coroutine function must not call a coroutine_fn (static,
 * inlined by gcc -O2).  Sparse sees the source call.  In the object the
 * callee is gone; what remains is its own call to cowrap_co_yield() in the
 * caller's body, which cowrap-objcheck reports instead.
 *
 * expect-objcheck: noco-ctx bad_plain_inlined cowrap_co_yield
 */
#include "corpus.h"

int bad_plain_inlined(int n);

static int coroutine_fn co_wait_once(int n)
{
	return cowrap_co_yield() + n;
}

int bad_plain_inlined(int n)
{
	return co_wait_once(n) * 3;	/* expect-sparse: check */
}
