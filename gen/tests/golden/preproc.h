/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrap-gen golden test: preprocessor lines are skipped, and a wrapper
 * is generated inside the same #if/#ifdef/#elif/#else nesting as its
 * declaration.  The include guard is not reproduced.
 */
#ifndef PREPROC_H
#define PREPROC_H

#include <stddef.h>
#define PP_MARK co_wrapper	/* a macro body is not a declaration */
#define PP_LONG(x) \
	int co_wrapper pp_in_macro(int x);

int coroutine_fn pp_co_always(int a);
int coroutine_fn pp_co_a(int a);
int coroutine_fn pp_co_a2(int a);
int coroutine_fn pp_co_a_deep(int a);
int coroutine_fn pp_co_a_elif(int a);
int coroutine_fn pp_co_a_else(int a);
int coroutine_fn pp_co_a_after(int a);
int coroutine_fn pp_co_never(int a);
int coroutine_fn pp_co_not_a(int a);
int coroutine_fn pp_co_last(int a);
int co_wrapper pp_always(int a);

#ifdef PP_FEATURE_A
int co_wrapper pp_a(int a);
int co_wrapper pp_a2(int a);
#if PP_LEVEL > 2 /* comment in a directive */
int co_wrapper pp_a_deep(int a);
#elif defined(PP_FEATURE_B) && \
	PP_LEVEL > 1
int co_wrapper pp_a_elif(int a);
#else
int co_wrapper pp_a_else(int a);
#endif
int co_wrapper pp_a_after(int a);
#endif /* PP_FEATURE_A */

#ifndef PP_FEATURE_C
#  if 0
int co_wrapper pp_never(int a);
#  endif
#endif

/* no blank between the directive's name and its condition */
#if!defined(PP_FEATURE_A)
int co_wrapper pp_not_a(int a);
#endif

int co_wrapper pp_last(int a);

#endif /* PREPROC_H */
