/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrap-gen golden test for --flavor=qemu: declarations QEMU's script
 * skips or mistranslates (two-word and const return types, macros between
 * the return type and the marker, attributes after the parameter list,
 * comments inside the parameter list, function-pointer and array
 * parameters); cowrap-gen generates correct code for them.
 */
unsigned int co_wrapper qstr_count(BlockDriverState *bs);

const char * co_wrapper qstr_name(BlockDriverState *bs);

int GRAPH_RDLOCK co_wrapper_bdrv_rdlock qstr_check(BlockDriverState *bs,
                                                   /* what to fix */ int fix);

int co_wrapper qstr_flush(BlockDriverState *bs) G_GNUC_WARN_UNUSED_RESULT;

int co_wrapper_mixed qstr_visit(BdrvChild *child,
                                void (*cb)(void *opaque, int ret),
                                void *opaque);

int no_co_wrapper qstr_co_key(BlockDriverState *bs, uint8_t key[32]);
