/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowsample: a sample out-of-tree driver built on cowrap's coroutine
 * layer with the installed kit only (Documentation/driver-guide.rst).
 *
 * /dev/cowsample is an append-only journal in memory.  Each write(2)
 * appends one record of at most COWSAMPLE_MAX_RECORD bytes, whole or not
 * at all; read(2) and pread(2) read it back; opening it for writing with
 * O_TRUNC empties it.  Every operation runs as a coroutine and takes the
 * journal's CoMutex; appends and reads also sleep for delay_us while
 * holding it (a device latency), so that concurrent writers really
 * overlap and only the mutex keeps their records apart.  With backing=PATH the journal lives on that
 * block device too (cowsample_backing.h): an append writes its pages and
 * then the header with a bio it waits for, and a load reads them back.
 * debugfs cowsample/stats shows the counters.
 */
#ifndef _COWSAMPLE_H
#define _COWSAMPLE_H

#include <linux/atomic.h>
#include <linux/types.h>

#include <cowrap/coroutine.h>

#include "cowsample_backing.h"

#define COWSAMPLE_MAX_RECORD	4096
#define COWSAMPLE_CAPACITY	(64 * 1024)

/**
 * struct cowsample - the journal
 * @ctx: execution context its coroutines run in
 * @lock: CoMutex serialising every operation
 * @data_pages: the journal's COWSAMPLE_CAPACITY bytes, contiguous pages
 * @data: their address
 * @hdr_page: the header block's buffer
 * @backing: the backing device, if any
 * @len: bytes used (under @lock)
 * @delay_ns: sleep inside the critical section of each operation
 * @inflight: operations started and not finished
 * @holders: coroutines holding @lock (1 at most, or the mutex is broken)
 * @max_inflight: highest @inflight seen
 * @max_holders: highest @holders seen
 * @nr_appends: records appended
 * @nr_reads: reads served
 * @nr_resets: truncations
 * @nr_full: appends refused for lack of room
 * @nr_bios: bios to the backing device, waited for
 */
struct cowsample {
	struct cowrap_ctx *ctx;
	struct cowrap_co_mutex lock;
	struct page *data_pages;
	u8 *data;
	struct page *hdr_page;
	struct cowsample_backing backing;
	size_t len;
	u64 delay_ns;
	atomic_t inflight;
	atomic_t holders;
	atomic_t max_inflight;
	atomic_t max_holders;
	atomic64_t nr_appends;
	atomic64_t nr_reads;
	atomic64_t nr_resets;
	atomic64_t nr_full;
	atomic64_t nr_bios;
};

/**
 * cowsample_ctx() - the execution context of a journal's coroutines
 * @s: journal
 *
 * The accessor cowrap-gen's --ctx rule names (Kbuild): every generated
 * wrapper whose first parameter is a struct cowsample * polls this.
 *
 * Return: @s's context.
 */
static inline struct cowrap_ctx *cowsample_ctx(struct cowsample *s)
{
	return s->ctx;
}

#endif /* _COWSAMPLE_H */
