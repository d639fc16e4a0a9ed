/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Calling-context annotations for cowrap coroutine code.
 *
 * coroutine_fn        runs only inside a coroutine
 * coroutine_mixed_fn  checks cowrap_in_coroutine() itself, callable anywhere
 * no_coroutine_fn     may block/poll the caller, never call from a coroutine
 *
 * The markers read by cowrap-gen map onto them for the compiler:
 * co_wrapper -> no_coroutine_fn, co_wrapper_mixed -> coroutine_mixed_fn,
 * no_co_wrapper -> coroutine_fn.
 *
 * Two checkers read them (Documentation/context-checks.rst):
 *
 * - sparse (__CHECKER__): the markers are context attributes, so that
 *   "make C=1" reports a call from the wrong context as "context check
 *   failure" at the call site;
 * - cowrap-objcheck: for the compiler the markers place the function in
 *   its own text section (.text.cowrap_co, .text.cowrap_mixed,
 *   .text.cowrap_noco), which survives the module link, so the checker
 *   finds the class of every function in the .o or .ko.
 *
 * The markers belong on function declarations and definitions (put the
 * same marker on both).  They are not allowed on function-pointer members
 * or typedefs (the section attribute is a compile error there, and sparse
 * never checks indirect calls anyway): write the intent in a comment.
 *
 * A coroutine_mixed_fn calls coroutine_fn code only in the branch that
 * checked the context:
 *
 *	if (cowrap_mixed_in_coroutine()) {
 *		ret = foo_co_bar(x);
 *		cowrap_mixed_co_end();
 *		return ret;
 *	}
 *
 * For the compiler cowrap_mixed_in_coroutine() is cowrap_in_coroutine()
 * and cowrap_mixed_co_end() is nothing; for sparse the true branch holds
 * the coroutine context until cowrap_mixed_co_end(), and forgetting the
 * latter is reported as a context imbalance.
 */
#ifndef _COWRAP_ANNOTATIONS_H
#define _COWRAP_ANNOTATIONS_H

#ifdef __CHECKER__
/*
 * The coroutine context value.  Sparse sums all contexts of a function
 * into one counter (it does not tell context names apart), so kernel lock
 * annotations (spin_lock() adds 1) would otherwise satisfy "in coroutine";
 * a value no lock nesting reaches keeps the two apart.
 */
#define __COWRAP_CO_CTX	1024

/*
 * Call site: check counter >= 1024, no change.  Body: starts and ends at
 * 1024 (-1 + 0 + 1025 and 1024 - 1025 + 1025).
 */
#define coroutine_fn							\
	__attribute__((context(cowrap_co, -1, __COWRAP_CO_CTX)))	\
	__attribute__((context(cowrap_co, 0, -(__COWRAP_CO_CTX + 1))))	\
	__attribute__((context(cowrap_co, __COWRAP_CO_CTX + 1,		\
			       __COWRAP_CO_CTX + 1)))
/*
 * Call site: check counter == 0, no change.  Body: starts and ends at 0
 * (-1 + 1 + 0 and 0 + 1 - 1), so the body is checked too: a function
 * whose contexts sum to a negative entry value is skipped by sparse.
 */
#define no_coroutine_fn							\
	__attribute__((context(cowrap_co, -1, 0)))			\
	__attribute__((context(cowrap_co, 1, 1)))			\
	__attribute__((context(cowrap_co, 0, -1)))
#define coroutine_mixed_fn

/* A coroutine entry trampoline enters the context explicitly. */
#define __cowrap_co_context_enter()	__context__(cowrap_co, __COWRAP_CO_CTX)
#define __cowrap_co_context_exit()	__context__(cowrap_co, -__COWRAP_CO_CTX)

/* True branch holds the coroutine context (like __cond_lock()). */
#define cowrap_mixed_in_coroutine()					\
	(cowrap_in_coroutine() ?					\
	 ({ __context__(cowrap_co, __COWRAP_CO_CTX); 1; }) : 0)
#define cowrap_mixed_co_end()		__context__(cowrap_co, -__COWRAP_CO_CTX)

#else /* !__CHECKER__ */

#define __cowrap_text(name)	__attribute__((__section__(".text." name)))
#define coroutine_fn		__cowrap_text("cowrap_co")
#define coroutine_mixed_fn	__cowrap_text("cowrap_mixed")
#define no_coroutine_fn		__cowrap_text("cowrap_noco")

#define __cowrap_co_context_enter()	do { } while (0)
#define __cowrap_co_context_exit()	do { } while (0)

#define cowrap_mixed_in_coroutine()	cowrap_in_coroutine()
#define cowrap_mixed_co_end()		do { } while (0)

#endif /* __CHECKER__ */

/*
 * cowrap_co_addr_ok(fn) - declare that taking the address of coroutine_fn
 * @fn is intended (e.g. a coroutine_fn stored in an ops table that is only
 * called from coroutine context).  Use it at file scope, after @fn is
 * declared.  It emits an 8-byte record (a pointer to @fn) in section
 * .cowrap_addr_ok, which cowrap-objcheck reads.  Passing @fn straight to
 * cowrap_co_init(), cowrap_co_create() or cowrap_poll_co() needs no record.
 */
#ifdef __CHECKER__
#define cowrap_co_addr_ok(fn)	extern int __cowrap_addr_ok_unused
#else
#define __cowrap_addr_ok_name(fn, line)	__cowrap_addr_ok_##fn##_##line
#define __cowrap_addr_ok_id(fn, line)	__cowrap_addr_ok_name(fn, line)
#define cowrap_co_addr_ok(fn)						\
	static const void *const __cowrap_addr_ok_id(fn, __LINE__)	\
	__attribute__((__used__, __section__(".cowrap_addr_ok"),	\
		       __aligned__(8))) = (const void *)(fn)
#endif

#define co_wrapper		no_coroutine_fn
#define co_wrapper_mixed	coroutine_mixed_fn
#define no_co_wrapper		coroutine_fn

#endif /* _COWRAP_ANNOTATIONS_H */
