// SPDX-License-Identifier: GPL-2.0
/*
 * Correct: a hand-written entry trampoline that is not itself
 * coroutine_fn enters the context explicitly around the coroutine work;
 * its address goes straight to cowrap_co_create().
 *
 * expect-objcheck: none
 */
#include "corpus.h"

int ok_start_reader(int n);

static void ok_reader_entry(void *opaque)
{
	int *n = opaque;

	__cowrap_co_context_enter();
	*n = corpus_co_read(*n);
	__cowrap_co_context_exit();
}

int ok_start_reader(int n)
{
	static int arg;
	struct cowrap_co *co;

	arg = n;
	co = cowrap_co_create(cowrap_default_ctx(), ok_reader_entry, &arg,
			      GFP_KERNEL);
	if (!co)
		return -ENOMEM;
	cowrap_co_enter(co);
	return 0;
}
