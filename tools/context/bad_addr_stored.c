// SPDX-License-Identifier: GPL-2.0
/*
 * Rule: the address of a coroutine_fn may only reach the coroutine-start
 * API (or be declared with cowrap_co_addr_ok()); stored in a table, it
 * can be called from any context.  Sparse never checks indirect calls.
 *
 * expect-objcheck: addr bad_ops co_op_read
 */
#include "corpus.h"

struct corpus_ops {
	int (*read)(int n);	/* coroutine_fn */
};

extern const struct corpus_ops bad_ops;
int coroutine_fn co_op_read(int n);

int coroutine_fn co_op_read(int n)
{
	return cowrap_co_yield() + n;
}

const struct corpus_ops bad_ops = {
	.read = co_op_read,
};
