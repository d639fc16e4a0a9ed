/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for the QEMU declarations that --flavor=qemu output
 * uses, written for cowrap-gen's compile test: just enough types and
 * prototypes for gcc -fsyntax-only -Wall -Wextra -Werror.  Nothing here
 * runs; it is not QEMU's API documentation.
 */
#ifndef STUB_QEMU_OSDEP_H
#define STUB_QEMU_OSDEP_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* markers and annotations: empty for the compiler, as in QEMU */
#define coroutine_fn
#define co_wrapper
#define co_wrapper_mixed
#define co_wrapper_bdrv_rdlock
#define co_wrapper_mixed_bdrv_rdlock
#define no_co_wrapper
#define no_co_wrapper_bdrv_rdlock
#define no_co_wrapper_bdrv_wrlock
#define GRAPH_RDLOCK
#define G_GNUC_WARN_UNUSED_RESULT __attribute__((warn_unused_result))

typedef struct AioContext AioContext;
typedef struct Coroutine Coroutine;
typedef struct BlockDriverState BlockDriverState;
typedef struct BdrvChild BdrvChild;
typedef struct BlockBackend BlockBackend;
typedef struct QDict QDict;
typedef struct Error Error;
typedef enum { PREALLOC_MODE_OFF, PREALLOC_MODE_FULL } PreallocMode;
typedef enum { BDRV_REQ_NONE = 0, BDRV_REQ_FUA = 1 } BdrvRequestFlags;

/* what a polling wrapper hands to bdrv_poll_co() */
typedef struct BdrvPollCo {
	AioContext *ctx;
	bool in_progress;
	Coroutine *co;
} BdrvPollCo;

typedef void CoroutineEntry(void *opaque);
typedef void QEMUBHFunc(void *opaque);

bool qemu_in_coroutine(void);
Coroutine *qemu_coroutine_create(CoroutineEntry *entry, void *opaque);
Coroutine *qemu_coroutine_self(void);
void qemu_coroutine_yield(void);
AioContext *qemu_get_aio_context(void);
AioContext *qemu_get_current_aio_context(void);
void aio_wait_kick(void);
void aio_co_wake(Coroutine *co);
void aio_bh_schedule_oneshot(AioContext *ctx, QEMUBHFunc *cb, void *opaque);
void bdrv_poll_co(BdrvPollCo *s);
void bdrv_graph_co_rdlock(void);
void bdrv_graph_co_rdunlock(void);
void bdrv_graph_rdlock_main_loop(void);
void bdrv_graph_rdunlock_main_loop(void);
void bdrv_graph_wrlock(void);
void bdrv_graph_wrunlock(void);
void assume_graph_lock(void);

#endif /* STUB_QEMU_OSDEP_H */
