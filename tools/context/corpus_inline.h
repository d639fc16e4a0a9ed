/* SPDX-License-Identifier: GPL-2.0 */
/* A static inline coroutine_fn in a header, for ok_static_inline.c. */
#ifndef _COWRAP_CONTEXT_CORPUS_INLINE_H
#define _COWRAP_CONTEXT_CORPUS_INLINE_H

#include "corpus.h"

static inline int coroutine_fn corpus_co_read_twice(int n)
{
	return corpus_co_read(n) + corpus_co_read(n + 1);
}

#endif /* _COWRAP_CONTEXT_CORPUS_INLINE_H */
