/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The coroutine layer's module glue: what the module that links the layer
 * in (cowrap_blk.ko, kmod/blk/main.c) calls at load and unload.  Not part
 * of the API a consumer of the layer includes (include/cowrap/).
 */
#ifndef _COWRAP_CO_LAYER_H
#define _COWRAP_CO_LAYER_H

/**
 * cowrap_co_layer_init() - create the default context and workqueues
 *
 * Called once from the module init.
 *
 * Return: 0 or a negative errno.
 */
int cowrap_co_layer_init(void);

/**
 * cowrap_co_layer_exit() - destroy the default context and workqueues
 *
 * Called once from the module exit, after every user of the layer is gone.
 */
void cowrap_co_layer_exit(void);

#endif /* _COWRAP_CO_LAYER_H */
