/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowsample: the journal's operations.  Each one is a coroutine_fn that
 * runs in the journal's execution context, and a co_wrapper that the file
 * operations call: cowrap-gen writes the wrappers into cowsample_ops-gen.c
 * at build time (the kit's cowrap.mk rule, Kbuild in this directory).
 *
 * @buf is kernel memory.  The functions return what the matching system
 * call would: a byte count or a negative errno.
 */
#ifndef _COWSAMPLE_OPS_H
#define _COWSAMPLE_OPS_H

#include <linux/types.h>

#include <cowrap/annotations.h>
#include <cowrap/coroutine.h>

#include "cowsample.h"

ssize_t coroutine_fn cowsample_co_append(struct cowsample *s, const void *buf,
					 size_t len);
ssize_t co_wrapper cowsample_append(struct cowsample *s, const void *buf,
				    size_t len);

ssize_t coroutine_fn cowsample_co_read(struct cowsample *s, void *buf,
				       size_t len, loff_t pos);
ssize_t co_wrapper cowsample_read(struct cowsample *s, void *buf, size_t len,
				  loff_t pos);

int coroutine_fn cowsample_co_reset(struct cowsample *s);
int co_wrapper cowsample_reset(struct cowsample *s);

int coroutine_fn cowsample_co_load(struct cowsample *s);
int co_wrapper cowsample_load(struct cowsample *s);

#ifdef COWSAMPLE_PLANT_WRONG_CONTEXT
/*
 * A bug on purpose, compiled only with "make COWSAMPLE_PLANT=1": a
 * coroutine_fn that calls a co_wrapper, which would wait for a coroutine
 * from inside one.  sparse (C=1) and cowrap-objcheck both report it.
 */
ssize_t coroutine_fn cowsample_co_append_twice(struct cowsample *s,
					       const void *buf, size_t len);
#endif

#endif /* _COWSAMPLE_OPS_H */
