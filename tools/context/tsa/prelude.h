/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-flavoured basics for compiling the context corpus in userspace
 * with clang -fsyntax-only -Wthread-safety (check-tsa.sh): the corpus
 * only needs types, errno values, gfp flags and a spinlock.
 */
#ifndef _COWRAP_TSA_PRELUDE_H
#define _COWRAP_TSA_PRELUDE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

typedef __u64 u64;
#define noinline	__attribute__((__noinline__))

#endif /* _COWRAP_TSA_PRELUDE_H */
