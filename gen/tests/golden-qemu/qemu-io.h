/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrap-gen golden test for --flavor=qemu: every QEMU marker variant, in
 * the style of QEMU's block headers (written for this project).
 */
#ifndef QEMU_IO_H
#define QEMU_IO_H

#include "block/block-common.h"

typedef struct BlockDriverState BlockDriverState;
typedef struct BdrvChild BdrvChild;
typedef struct BlockBackend BlockBackend;

/* the functions the wrappers run (coroutine_fn for co_wrapper*) */
int coroutine_fn qio_co_flush_cache(BlockDriverState *bs);
int coroutine_fn qio_co_truncate(BdrvChild *child, int64_t offset, bool exact,
                                 PreallocMode prealloc,
                                 BdrvRequestFlags flags, Error **errp);
int coroutine_fn GRAPH_RDLOCK
qio_co_read(BdrvChild *child, int64_t offset, int64_t bytes, void *buf,
            BdrvRequestFlags flags);
int64_t coroutine_fn GRAPH_RDLOCK qio_co_getlength(BlockDriverState *bs);
void coroutine_fn GRAPH_RDLOCK qio_co_invalidate(BlockBackend *blk,
                                                 Error **errp);
BlockDriverState * coroutine_fn qio_co_find(const char *node_name);
int qio_open(const char *filename, QDict *options, int flags, Error **errp);
void GRAPH_RDLOCK qio_refresh(BlockDriverState *bs);
int qio_replace(BdrvChild *child, BlockDriverState *new_bs, Error **errp);

int co_wrapper qio_flush_cache(BlockDriverState *bs);

int co_wrapper_mixed qio_truncate(BdrvChild *child, int64_t offset,
                                  bool exact, PreallocMode prealloc,
                                  BdrvRequestFlags flags, Error **errp);

int co_wrapper_bdrv_rdlock
qio_read(BdrvChild *child, int64_t offset, int64_t bytes, void *buf,
         BdrvRequestFlags flags);

int64_t co_wrapper_mixed_bdrv_rdlock qio_getlength(BlockDriverState *bs);

void co_wrapper_mixed_bdrv_rdlock qio_invalidate(BlockBackend *blk,
                                                 Error **errp);

BlockDriverState * co_wrapper qio_find(const char *node_name);

int no_co_wrapper qio_co_open(const char *filename, QDict *options,
                              int flags, Error **errp);

void no_co_wrapper_bdrv_rdlock qio_co_refresh(BlockDriverState *bs);

int no_co_wrapper_bdrv_wrlock
qio_co_replace(BdrvChild *child, BlockDriverState *new_bs, Error **errp);

#endif /* QEMU_IO_H */
