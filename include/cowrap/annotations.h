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
 *
 * Tests that call from the wrong context on purpose (to check the
 * run-time refusal) bracket the call:
 *
 *	cowrap_wrong_context_begin_co();	   // coroutine_fn from outside
 *	ret = cowrap_co_yield();
 *	cowrap_wrong_context_end_co();
 *
 *	cowrap_wrong_context_begin_noco();	   // no_coroutine_fn from inside
 *	ret = cowrap_poll_co(&p, ctx, entry, arg);
 *	cowrap_wrong_context_end_noco();
 *
 * Sparse then sees the right context; cowrap-objcheck skips the calls of
 * the whole enclosing function (a record names it).
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

#define cowrap_wrong_context_begin_co()	__context__(cowrap_co, __COWRAP_CO_CTX)
#define cowrap_wrong_context_end_co()	__context__(cowrap_co, -__COWRAP_CO_CTX)
#define cowrap_wrong_context_begin_noco() \
	__context__(cowrap_co, -__COWRAP_CO_CTX)
#define cowrap_wrong_context_end_noco()	__context__(cowrap_co, __COWRAP_CO_CTX)

#elif defined(COWRAP_TSA)
/*
 * Only for the comparison with clang's -Wthread-safety ("make
 * check-context-tsa", Documentation/context-checks.rst): the coroutine
 * context is a capability that coroutine_fn requires and no_coroutine_fn
 * excludes.  Syntax-only: nothing here is linked.
 */
struct __attribute__((capability("coroutine context"))) __cowrap_tsa_role {
	int unused;
};
extern struct __cowrap_tsa_role __cowrap_tsa_co;
void __cowrap_tsa_acquire(void)
	__attribute__((acquire_capability(__cowrap_tsa_co)));
void __cowrap_tsa_release(void)
	__attribute__((release_capability(__cowrap_tsa_co)));
_Bool __cowrap_tsa_in_coroutine(void)
	__attribute__((try_acquire_capability(1, __cowrap_tsa_co)));

#define coroutine_fn	__attribute__((requires_capability(__cowrap_tsa_co)))
#define no_coroutine_fn	__attribute__((locks_excluded(__cowrap_tsa_co)))
#define coroutine_mixed_fn

#define __cowrap_co_context_enter()	__cowrap_tsa_acquire()
#define __cowrap_co_context_exit()	__cowrap_tsa_release()
#define cowrap_mixed_in_coroutine()	__cowrap_tsa_in_coroutine()
#define cowrap_mixed_co_end()		__cowrap_tsa_release()
#define cowrap_wrong_context_begin_co()	__cowrap_tsa_acquire()
#define cowrap_wrong_context_end_co()	__cowrap_tsa_release()
#define cowrap_wrong_context_begin_noco() __cowrap_tsa_release()
#define cowrap_wrong_context_end_noco()	__cowrap_tsa_acquire()

#else /* neither sparse nor the clang comparison: the compiler */

#define __cowrap_text(name)	__attribute__((__section__(".text." name)))
#define coroutine_fn		__cowrap_text("cowrap_co")
#define coroutine_mixed_fn	__cowrap_text("cowrap_mixed")
#define no_coroutine_fn		__cowrap_text("cowrap_noco")

/*
 * For cowrap-objcheck the entry leaves a record in the non-allocated
 * section .comment.cowrap.co_enter: a pointer to the name of the function
 * it is in (__func__), whose calls to coroutine_fn code are then
 * accepted.  A pointer to the code itself would be a data relocation into
 * the middle of a function, which objtool rejects on IBT kernels; a
 * non-allocated section must be named .comment* (or .note*, .debug*) for
 * modpost, and the assembler makes .note* sections ELF notes.
 */
#define __cowrap_co_context_enter()					\
	asm volatile(".pushsection .comment.cowrap.co_enter, \"\", @progbits\n\t" \
		     ".balign 8\n\t.quad %c0\n\t.popsection"		\
		     : : "i" (__func__))
#define __cowrap_co_context_exit()	do { } while (0)

#define cowrap_mixed_in_coroutine()	cowrap_in_coroutine()
#define cowrap_mixed_co_end()		do { } while (0)

/* Same record scheme, section .comment.cowrap.wrong_ctx: calls not checked. */
#define __cowrap_wrong_context_record()					\
	asm volatile(".pushsection .comment.cowrap.wrong_ctx, \"\", @progbits\n\t" \
		     ".balign 8\n\t.quad %c0\n\t.popsection"		\
		     : : "i" (__func__))
#define cowrap_wrong_context_begin_co()	__cowrap_wrong_context_record()
#define cowrap_wrong_context_end_co()	do { } while (0)
#define cowrap_wrong_context_begin_noco() __cowrap_wrong_context_record()
#define cowrap_wrong_context_end_noco()	do { } while (0)

#endif /* __CHECKER__, COWRAP_TSA */

/*
 * cowrap_co_addr_ok(fn) - declare that taking the address of coroutine_fn
 * @fn is intended (e.g. a coroutine_fn stored in an ops table that is only
 * called from coroutine context).  Use it at file scope, after @fn is
 * declared.  It emits an 8-byte record (a pointer to @fn) in section
 * .cowrap_addr_ok, which cowrap-objcheck reads.  Passing @fn straight to
 * cowrap_co_init(), cowrap_co_create() or cowrap_poll_co() needs no record.
 */
#if defined(__CHECKER__) || defined(COWRAP_TSA)
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
