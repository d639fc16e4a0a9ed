/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrap-gen golden test for --flavor=qemu: declarations QEMU's script
 * skips, mistranslates or rejects (two-word and const return types, macros
 * between the return type and the marker, attributes after the parameter
 * list, comments inside the parameter list, function-pointer and array
 * parameters, zero-argument wrappers); cowrap-gen generates correct code
 * for them.
 *
 * Each declaration is preceded by a "qemu-script: OUTCOME: REASON" comment
 * that gen/tests/qemu-compare.sh checks against the script, one
 * declaration at a time: OUTCOME is "skipped" (the script emits nothing),
 * "wrong" (it emits code that differs from cowrap-gen's) or "fails" (it
 * exits with an error).
 */
#ifndef QEMU_STRICT_H
#define QEMU_STRICT_H

#include "block/block-common.h"

/* the functions the wrappers run */
unsigned int coroutine_fn qstr_co_count(BlockDriverState *bs);
const char *coroutine_fn qstr_co_name(BlockDriverState *bs);
int coroutine_fn GRAPH_RDLOCK qstr_co_check(BlockDriverState *bs, int fix);
int coroutine_fn qstr_co_flush(BlockDriverState *bs);
int coroutine_fn qstr_co_visit(BdrvChild *child,
                               void (*cb)(void *opaque, int ret),
                               void *opaque);
int qstr_key(BlockDriverState *bs, uint8_t key[32]);
int coroutine_fn qstr_co_discard(BlockDriverState *bs, int64_t len);
int coroutine_fn qstr_co_drain_all(void);

/* qemu-script: skipped: two-word return type */
unsigned int co_wrapper qstr_count(BlockDriverState *bs);

/* qemu-script: skipped: const return type */
const char * co_wrapper qstr_name(BlockDriverState *bs);

/* qemu-script: skipped: macro between the return type and the marker */
int GRAPH_RDLOCK co_wrapper_bdrv_rdlock qstr_check(BlockDriverState *bs,
                                                   int fix);

/* qemu-script: skipped: attribute after the parameter list */
int co_wrapper qstr_flush(BlockDriverState *bs) G_GNUC_WARN_UNUSED_RESULT;

/* qemu-script: skipped: function-pointer parameter ([^)]* ends at its ')') */
int co_wrapper_mixed qstr_visit(BdrvChild *child,
                                void (*cb)(void *opaque, int ret),
                                void *opaque);

/* qemu-script: wrong: array parameter loses its [32] in the wrapper */
int no_co_wrapper qstr_co_key(BlockDriverState *bs, uint8_t key[32]);

/* qemu-script: wrong: a comma in a comment makes it pass a third argument */
int co_wrapper qstr_discard(BlockDriverState *bs, /* bytes, 0 = all */ int64_t len);

/* qemu-script: fails: "(void)" is not a parameter it can read */
int co_wrapper qstr_drain_all(void);

#endif /* QEMU_STRICT_H */
