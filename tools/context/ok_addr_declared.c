// SPDX-License-Identifier: GPL-2.0
/*
 * Correct: a coroutine_fn in an ops table, with the intent declared by
 * cowrap_co_addr_ok(); the table is only called from coroutine code.
 *
 * expect-objcheck: none
 */
#include "corpus.h"

struct corpus_backend_ops {
	int (*co_read)(int n);	/* coroutine_fn */
};

extern const struct corpus_backend_ops ok_ops;
int coroutine_fn ok_ram_co_read(int n);

int coroutine_fn ok_ram_co_read(int n)
{
	return cowrap_co_yield() + n;
}
cowrap_co_addr_ok(ok_ram_co_read);

const struct corpus_backend_ops ok_ops = {
	.co_read = ok_ram_co_read,
};
