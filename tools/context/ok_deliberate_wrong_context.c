// SPDX-License-Identifier: GPL-2.0
/*
 * Correct: a test that calls from the wrong context on purpose (to check
 * the run-time refusal, -EPERM or -EDEADLK) and says so with
 * cowrap_wrong_context_begin_*() / _end_*().
 *
 * expect-objcheck: none
 */
#include "corpus.h"

int ok_test_yield_outside(void);
void coroutine_fn ok_test_poll_inside(void *opaque);

int ok_test_yield_outside(void)
{
	int ret;

	cowrap_wrong_context_begin_co();
	ret = cowrap_co_yield();
	cowrap_wrong_context_end_co();
	return ret == -EPERM ? 0 : -EINVAL;
}

static void coroutine_fn ok_never(void *opaque)
{
	*(int *)opaque = 1;
}

void coroutine_fn ok_test_poll_inside(void *opaque)
{
	struct cowrap_poll_co p;
	int *ret = opaque;

	cowrap_wrong_context_begin_noco();
	*ret = cowrap_poll_co(&p, NULL, ok_never, opaque);
	cowrap_wrong_context_end_noco();
}
