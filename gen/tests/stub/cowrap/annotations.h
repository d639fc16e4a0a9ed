/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in of include/cowrap/annotations.h for cowrap-gen's tests: the same
 * names, all empty (the calling-context rules are checked by the tests
 * at run time instead).
 */
#ifndef COWRAP_STUB_ANNOTATIONS_H
#define COWRAP_STUB_ANNOTATIONS_H

#define coroutine_fn
#define no_coroutine_fn
#define coroutine_mixed_fn
#define __cowrap_co_context_enter()	do { } while (0)
#define __cowrap_co_context_exit()	do { } while (0)
#define cowrap_mixed_in_coroutine()	cowrap_in_coroutine()
#define cowrap_mixed_co_end()		do { } while (0)

#define co_wrapper		no_coroutine_fn
#define co_wrapper_mixed	coroutine_mixed_fn
#define no_co_wrapper		coroutine_fn

#endif /* COWRAP_STUB_ANNOTATIONS_H */
