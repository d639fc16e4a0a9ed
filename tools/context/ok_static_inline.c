// SPDX-License-Identifier: GPL-2.0
/*
 * Correct: coroutine code calls a static inline coroutine_fn from a
 * header (inlined or not, its calls stay in coroutine code).
 *
 * expect-objcheck: none
 */
#include "corpus_inline.h"

int coroutine_fn ok_inline_user(int n);

int coroutine_fn ok_inline_user(int n)
{
	return corpus_co_read_twice(n) * 2;
}
