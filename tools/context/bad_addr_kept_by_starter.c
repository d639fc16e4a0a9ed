// SPDX-License-Identifier: GPL-2.0
/*
 * Rule: the address of a coroutine entry may reach the coroutine-start
 * API, but here the same function also keeps it in a global (a later
 * indirect call could run it outside a coroutine).  Passing it to
 * cowrap_co_create() does not excuse the store.
 *
 * expect-objcheck: addr bad_start_and_keep co_kept_entry
 */
#include "corpus.h"

extern cowrap_co_entry_t corpus_last_entry;
cowrap_co_entry_t corpus_last_entry;
int bad_start_and_keep(void *arg);
void coroutine_fn co_kept_entry(void *opaque);

void coroutine_fn co_kept_entry(void *opaque)
{
	cowrap_co_yield();
}

int bad_start_and_keep(void *arg)
{
	struct cowrap_co *co;

	corpus_last_entry = co_kept_entry;
	co = cowrap_co_create(cowrap_default_ctx(), co_kept_entry, arg,
			      GFP_KERNEL);
	return co ? 0 : -ENOMEM;
}
