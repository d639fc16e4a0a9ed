// SPDX-License-Identifier: GPL-2.0
/*
 * cowsample: the journal's operations, written as sequential coroutine
 * code.  Each runs in its own coroutine (the generated wrapper starts it
 * in the journal's context and waits for it), takes the journal's CoMutex,
 * and parks in cowrap_co_sleep_ns() while holding it: the worker thread
 * stays with the coroutine, other operations queue on the mutex in
 * arrival order, and nothing here needs a callback or a state machine.
 * With a backing device the same code also submits bios and parks until
 * they end.
 */
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "cowsample_ops.h"

/* Keep the highest value ever seen in @max. */
static void cowsample_note_max(atomic_t *max, int v)
{
	int old = atomic_read(max);

	while (v > old && !atomic_try_cmpxchg(max, &old, v))
		;
}

/* Take the journal's mutex; counts the operation as in flight meanwhile. */
static int coroutine_fn cowsample_co_lock(struct cowsample *s)
{
	int ret;

	cowsample_note_max(&s->max_inflight, atomic_inc_return(&s->inflight));
	ret = cowrap_co_mutex_lock(&s->lock);
	if (ret) {
		atomic_dec(&s->inflight);
		return ret;
	}
	cowsample_note_max(&s->max_holders, atomic_inc_return(&s->holders));
	return 0;
}

static void coroutine_fn cowsample_co_unlock(struct cowsample *s)
{
	atomic_dec(&s->holders);
	cowrap_co_mutex_unlock(&s->lock);
	atomic_dec(&s->inflight);
}

/* The device's latency: park for delay_ns (0: none). */
static int coroutine_fn cowsample_co_latency(struct cowsample *s)
{
	return s->delay_ns ? cowrap_co_sleep_ns(s->delay_ns) : 0;
}

/**
 * cowsample_co_append() - append one record to the journal
 * @s: journal
 * @buf: the record
 * @len: its length, at most %COWSAMPLE_MAX_RECORD
 *
 * Reads the end of the journal, waits for the device's latency, then
 * writes the record there: only the mutex keeps two appends from writing
 * at the same offset.  With a backing device, the record's pages and then
 * the header go to the device before the append counts.
 *
 * Return: @len; 0 for an empty record; -EINVAL when @len is too large;
 * -ENOSPC (nothing written) when the record does not fit; -ECANCELED when
 * the context goes away meanwhile; the backing device's I/O error (the
 * journal keeps its length).
 */
ssize_t coroutine_fn cowsample_co_append(struct cowsample *s, const void *buf,
					 size_t len)
{
	size_t off;
	ssize_t ret;

	if (!len)
		return 0;
	if (len > COWSAMPLE_MAX_RECORD)
		return -EINVAL;
	ret = cowsample_co_lock(s);
	if (ret)
		return ret;
	off = s->len;
	if (len > COWSAMPLE_CAPACITY - off) {
		atomic64_inc(&s->nr_full);
		ret = -ENOSPC;
		goto out;
	}
	ret = cowsample_co_latency(s);
	if (ret)
		goto out;
	memcpy(s->data + off, buf, len);
	if (s->backing.bdev) {
		size_t end = off + len;

		ret = cowsample_co_backing_data(s, true, off, len);
		if (!ret)
			ret = cowsample_co_backing_header(s, true, &end);
		if (ret)
			goto out;
	}
	WRITE_ONCE(s->len, off + len);
	atomic64_inc(&s->nr_appends);
	ret = len;
out:
	cowsample_co_unlock(s);
	return ret;
}

/**
 * cowsample_co_read() - read from the journal
 * @s: journal
 * @buf: destination, @len bytes
 * @len: bytes wanted
 * @pos: offset, not negative
 *
 * Return: bytes copied (0 at or past the end), -ECANCELED when the
 * context goes away meanwhile.
 */
ssize_t coroutine_fn cowsample_co_read(struct cowsample *s, void *buf,
				       size_t len, loff_t pos)
{
	ssize_t ret;

	ret = cowsample_co_lock(s);
	if (ret)
		return ret;
	ret = cowsample_co_latency(s);
	if (ret)
		goto out;
	if (pos >= s->len) {
		ret = 0;
		goto out;
	}
	len = min_t(size_t, len, s->len - pos);
	memcpy(buf, s->data + pos, len);
	atomic64_inc(&s->nr_reads);
	ret = len;
out:
	cowsample_co_unlock(s);
	return ret;
}

/**
 * cowsample_co_reset() - empty the journal
 * @s: journal
 *
 * Return: 0, the error of taking the mutex, or the backing device's I/O
 * error (the journal is then left as it was).
 */
int coroutine_fn cowsample_co_reset(struct cowsample *s)
{
	size_t zero = 0;
	int ret;

	ret = cowsample_co_lock(s);
	if (ret)
		return ret;
	if (s->backing.bdev) {
		ret = cowsample_co_backing_header(s, true, &zero);
		if (ret)
			goto out;
	}
	memset(s->data, 0, s->len);
	WRITE_ONCE(s->len, 0);
	atomic64_inc(&s->nr_resets);
out:
	cowsample_co_unlock(s);
	return ret;
}

/**
 * cowsample_co_load() - read the journal from its backing device
 * @s: journal with a backing device, not yet visible to users
 *
 * A device that holds no journal (no header) gives an empty one.
 *
 * Return: 0; -EUCLEAN for a damaged header; the I/O error.
 */
int coroutine_fn cowsample_co_load(struct cowsample *s)
{
	size_t len;
	int ret;

	ret = cowsample_co_lock(s);
	if (ret)
		return ret;
	ret = cowsample_co_backing_header(s, false, &len);
	if (!ret && len)
		ret = cowsample_co_backing_data(s, false, 0, len);
	if (!ret)
		WRITE_ONCE(s->len, len);
	cowsample_co_unlock(s);
	return ret;
}

#ifdef COWSAMPLE_PLANT_WRONG_CONTEXT
/**
 * cowsample_co_append_twice() - the planted bug (see cowsample_ops.h)
 * @s: journal
 * @buf: the record
 * @len: its length
 *
 * Return: what the second append returns.
 */
ssize_t coroutine_fn cowsample_co_append_twice(struct cowsample *s,
					       const void *buf, size_t len)
{
	ssize_t ret;

	ret = cowsample_co_append(s, buf, len);
	if (ret < 0)
		return ret;
	return cowsample_append(s, buf, len);	/* wrong: waits from a coroutine */
}
#endif
