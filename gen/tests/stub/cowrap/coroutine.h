/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in of the part of include/cowrap/coroutine.h that generated
 * wrappers use, with the same names and signatures, plus the few kernel
 * types and annotations the test headers use.  stub.c implements it with
 * one pthread per coroutine.
 */
#ifndef COWRAP_STUB_COROUTINE_H
#define COWRAP_STUB_COROUTINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;
typedef u64 sector_t;
typedef unsigned int gfp_t;

#define __user
#define __iomem
#define __must_check	__attribute__((warn_unused_result))
#define __printf(a, b)	__attribute__((format(printf, a, b)))

struct cowrap_ctx {
	const char *name;
};

typedef void (*cowrap_co_entry_t)(void *opaque);

/* what a co_wrapper embeds: filled in by cowrap_poll_co() */
struct cowrap_poll_co {
	struct cowrap_ctx *ctx;
	cowrap_co_entry_t entry;
	void *opaque;
};

/* what a no_co_wrapper embeds: filled in by cowrap_co_call_noco() */
struct cowrap_noco_call {
	void (*fn)(void *opaque);
	void *opaque;
};

struct cowrap_ctx *cowrap_default_ctx(void);
bool cowrap_in_coroutine(void);
int no_coroutine_fn cowrap_poll_co(struct cowrap_poll_co *p,
				   struct cowrap_ctx *ctx,
				   cowrap_co_entry_t entry, void *opaque);
int coroutine_fn cowrap_co_call_noco(struct cowrap_noco_call *c,
				     void (*fn)(void *opaque), void *opaque);

/* test hooks: which context the last coroutine ran in, how many misuses */
struct cowrap_ctx *cowrap_stub_last_ctx(void);
int cowrap_stub_misuse_count(void);

#endif /* COWRAP_STUB_COROUTINE_H */
