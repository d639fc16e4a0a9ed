/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hand-written code for the entry-argument rule of cowrap-objcheck
 * (argsetup.c): each function loads the address of the coroutine_fn
 * co_entry and then calls something.  Assembled by check-objcheck.sh.
 *
 * expect-objcheck: addr f_store co_entry
 * expect-objcheck: addr f_callee_saved co_entry
 * expect-objcheck: addr f_wrong_reg co_entry
 * expect-objcheck: addr f_unknown_insn co_entry
 * expect-objcheck: addr f_other_call co_entry
 * expect-objcheck: addr f_store_copy co_entry
 * expect-objcheck: addr f_data co_entry
 * expect-objcheck: addr f_rep_stos_value co_entry
 * expect-objcheck: addr f_rep_stos_dest co_entry
 * expect-objcheck: noco-ctx f_static_call co_local
 */
	.section .text.cowrap_co, "ax", @progbits
	.globl co_entry
	.type co_entry, @function
co_entry:
	ret
	.size co_entry, . - co_entry

	.text
#define FUNC(name)	.globl name; .type name, @function; name:
#define END(name)	.size name, . - name

/* Accepted: argument setup between the load and cowrap_poll_co(). */
FUNC(f_ok)
	movq	$co_entry, %rdx
	movq	%rbx, %rdi
	leaq	8(%rsp), %rcx
	movq	16(%rsp), %rsi
	xorl	%r8d, %r8d
	movl	$3, %r9d
	movq	$0, 24(%rsp)
	nopl	0(%rax)
	call	cowrap_poll_co
	ret
END(f_ok)

/* Accepted: rip-relative lea, then a move between caller-saved registers. */
FUNC(f_lea)
	leaq	co_entry(%rip), %rax
	movq	%rax, %rdx
	call	cowrap_co_init
	ret
END(f_lea)

/* Accepted: 32-bit immediate into %esi for cowrap_co_create(). */
FUNC(f_create)
	movl	$co_entry, %esi
	call	cowrap_co_create
	ret
END(f_create)

/* Accepted: tail call. */
FUNC(f_tail)
	movq	$co_entry, %rdx
	jmp	cowrap_poll_co
END(f_tail)

/* Accepted: restartable body in %rdx, epilogue pops, tail call. */
FUNC(f_restartable)
	movq	$co_entry, %rdx
	popq	%rbx
	popq	%r12
	jmp	cowrap_co_init_restartable
END(f_restartable)

/* Accepted: a zeroing rep stos (gcc's memset of a large stack struct). */
FUNC(f_rep_stos)
	movq	$co_entry, %rdx
	movl	$27, %ecx
	xorl	%eax, %eax
	movq	%rsp, %rdi
	rep stosq
	movq	%rsp, %rdi
	call	cowrap_poll_co
	ret
END(f_rep_stos)

/* Rejected: rep stos stores the address itself. */
FUNC(f_rep_stos_value)
	movq	$co_entry, %rax
	movq	%rsp, %rdi
	movl	$2, %ecx
	rep stosq
	movq	%rax, %rdx
	call	cowrap_poll_co
	ret
END(f_rep_stos_value)

/* Rejected: rep stos writes through the address. */
FUNC(f_rep_stos_dest)
	movq	$co_entry, %rdi
	xorl	%eax, %eax
	movl	$2, %ecx
	rep stosq
	movq	%rdi, %rdx
	call	cowrap_poll_co
	ret
END(f_rep_stos_dest)

/* Rejected: stored to memory before the call. */
FUNC(f_store)
	movq	$co_entry, %rdx
	movq	%rdx, (%rbx)
	call	cowrap_poll_co
	ret
END(f_store)

/* Rejected: copied into a callee-saved register (survives the call). */
FUNC(f_callee_saved)
	movq	$co_entry, %rdx
	movq	%rdx, %rbx
	call	cowrap_poll_co
	ret
END(f_callee_saved)

/* Rejected: not in the entry register of the API. */
FUNC(f_wrong_reg)
	movq	$co_entry, %rsi
	call	cowrap_poll_co
	ret
END(f_wrong_reg)

/* Rejected: an instruction outside the decoder's subset. */
FUNC(f_unknown_insn)
	movq	$co_entry, %rdx
	pushq	%rdx
	call	cowrap_poll_co
	popq	%rdx
	ret
END(f_unknown_insn)

/* Rejected: the next call is not the start API. */
FUNC(f_other_call)
	movq	$co_entry, %rdx
	call	corpus_register
	ret
END(f_other_call)

/* Rejected: copied to another caller-saved register, which is stored. */
FUNC(f_store_copy)
	movq	$co_entry, %rdx
	movq	%rdx, %rax
	movq	%rax, 8(%rsp)
	call	cowrap_poll_co
	ret
END(f_store_copy)

/* Calls between classes through a section symbol + addend. */
FUNC(f_static_call)
	call	co_local
	ret
END(f_static_call)

	.section .text.cowrap_co, "ax", @progbits
	.type co_local, @function
co_local:
	ret
	.size co_local, . - co_local

	.section .data, "aw", @progbits
	.globl f_data
	.type f_data, @object
f_data:
	.quad	co_entry
	.size f_data, 8
