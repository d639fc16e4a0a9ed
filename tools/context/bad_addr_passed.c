// SPDX-License-Identifier: GPL-2.0
/*
 * Rule: the address of a coroutine_fn passed to a function that is not
 * the coroutine-start API (it may call it from any context).
 *
 * expect-objcheck: addr bad_register_cb co_callback
 */
#include "corpus.h"

void coroutine_fn co_callback(void *opaque);
void bad_register_cb(void *arg);

void coroutine_fn co_callback(void *opaque)
{
	cowrap_co_yield();
}

void bad_register_cb(void *arg)
{
	corpus_register(co_callback, arg);
}
