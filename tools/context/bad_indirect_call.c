// SPDX-License-Identifier: GPL-2.0
/*
 * Rule: a non-coroutine function must not call a coroutine_fn, here
 * through a function pointer.  Neither checker sees the indirect call;
 * cowrap-objcheck reports where the address is taken (a store into a
 * global).
 *
 * expect-objcheck: addr bad_indirect_set co_target
 */
#include "corpus.h"

extern int (*corpus_hook)(int n);
int (*corpus_hook)(int n);
int coroutine_fn co_target(int n);
void bad_indirect_set(void);
int bad_indirect_call(int n);

int coroutine_fn co_target(int n)
{
	return cowrap_co_yield() - n;
}

void bad_indirect_set(void)
{
	corpus_hook = co_target;
}

int bad_indirect_call(int n)
{
	return corpus_hook(n);
}
