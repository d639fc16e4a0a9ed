// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap coroutine layer: submit a bio and yield until it completes, or a
 * batch of bios and yield once until all of them have (fan-out / fan-in).
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/module.h>

#include "co_internal.h"

/* Any context (bio completion may run in hardirq or softirq). */
static void cowrap_bio_end_io(struct bio *bio)
{
	cowrap_co_wake(bio->bi_private);
}

blk_status_t coroutine_fn cowrap_co_submit_bio_wait(struct bio *bio)
{
	struct cowrap_co *co = cowrap_co_self();

	if (!co) {
		WARN_ONCE(1, "cowrap: cowrap_co_submit_bio_wait() called outside a coroutine\n");
		return BLK_STS_NOTSUPP;
	}
	if (cowrap_co_may_park(co))
		return BLK_STS_AGAIN;	/* inline: restart on a worker first */
	bio->bi_private = co;
	bio->bi_end_io = cowrap_bio_end_io;
	submit_bio(bio);
	/* not cancellable: the pages must stay until the I/O is done */
	cowrap_co_park(co, false);
	return bio->bi_status;
}
EXPORT_SYMBOL_GPL(cowrap_co_submit_bio_wait);

/*
 * Fan-out / fan-in.  @pending counts the bios in flight plus a bias of
 * one that the owner drops in cowrap_co_batch_wait(): whoever drops it to
 * zero last is either the owner (no park, no wake) or one bio's end_io
 * (exactly one wake), so the owner parks at most once and consumes
 * exactly the wake it waits for.  A finishing batch (@finish) keeps the
 * bias until the body has returned and the layer is done with the
 * coroutine (cowrap_co_batch_release()); whoever drops it to zero then
 * calls the done function.
 */
static void cowrap_batch_set_error(struct cowrap_bio_batch *b,
				   blk_status_t st)
{
	atomic_cmpxchg(&b->status, 0, (__force int)st);
}

/* Every bio has ended and the owner let go: wake it, or finish it. */
static void cowrap_batch_ended(struct cowrap_bio_batch *b)
{
	blk_status_t st;

	if (!b->finish) {
		cowrap_co_wake(b->co);
		return;
	}
	st = (__force blk_status_t)atomic_read(&b->status);
	/* @b may go with the coroutine's state from here on */
	cowrap_co_call_done(b->co, blk_status_to_errno(st));
}

/* One bio of @b has ended with @st and its owner is done with it. */
static void cowrap_batch_bio_ended(struct cowrap_bio_batch *b, blk_status_t st)
{
	if (st)
		cowrap_batch_set_error(b, st);
	/* fully ordered: the status is visible to the woken owner */
	if (atomic_dec_and_test(&b->pending))
		cowrap_batch_ended(b);
}

/* Any context (bio completion may run in hardirq or softirq). */
static void cowrap_batch_end_io(struct bio *bio)
{
	struct cowrap_bio_batch *b = bio->bi_private;
	blk_status_t st = bio->bi_status;

	bio_put(bio);
	cowrap_batch_bio_ended(b, st);
}

/*
 * An embedded bio: its memory is the caller's and may go with the
 * coroutine's state as soon as the count drops, so it is uninitialised
 * first and not touched after.
 */
static void cowrap_batch_end_io_embedded(struct bio *bio)
{
	struct cowrap_bio_batch *b = bio->bi_private;
	blk_status_t st = bio->bi_status;

	bio_uninit(bio);
	cowrap_batch_bio_ended(b, st);
}

int coroutine_fn cowrap_co_batch_init(struct cowrap_bio_batch *b)
{
	struct cowrap_co *co = cowrap_co_self();

	if (!co) {
		WARN_ONCE(1, "cowrap: cowrap_co_batch_init() called outside a coroutine\n");
		return -EPERM;
	}
	if (cowrap_co_may_park(co))
		return -EAGAIN;	/* inline: nothing armed, restart on a worker */
	atomic_set(&b->pending, 1);
	atomic_set(&b->status, 0);
	b->co = co;
	b->finish = false;
	return 0;
}
EXPORT_SYMBOL_GPL(cowrap_co_batch_init);

int coroutine_fn cowrap_co_batch_init_last(struct cowrap_bio_batch *b)
{
	struct cowrap_co *co = cowrap_co_self();

	if (!co) {
		WARN_ONCE(1, "cowrap: cowrap_co_batch_init_last() called outside a coroutine\n");
		return -EPERM;
	}
	if (WARN_ONCE(!(co->flags & COWRAP_CO_F_RESTARTABLE),
		      "cowrap: cowrap_co_batch_init_last() in %ps, which is not restartable\n",
		      co->entry))
		return -EINVAL;
	/*
	 * submit_bio() may sleep: not with preemption disabled; nor after a
	 * refused park, since the body runs again.
	 */
	if (!cowrap_co_may_sleep() || (co->flags & COWRAP_CO_F_REFUSED))
		return cowrap_co_may_park(co);
	atomic_set(&b->pending, 1);
	atomic_set(&b->status, 0);
	b->co = co;
	b->finish = false;
	return 0;
}
EXPORT_SYMBOL_GPL(cowrap_co_batch_init_last);

int coroutine_fn cowrap_co_batch_finish(struct cowrap_bio_batch *b)
{
	b->finish = true;
	b->co->last_batch = b;
	return -EIOCBQUEUED;
}
EXPORT_SYMBOL_GPL(cowrap_co_batch_finish);

void cowrap_co_batch_release(struct cowrap_bio_batch *b)
{
	if (atomic_dec_and_test(&b->pending))
		cowrap_batch_ended(b);
}

static void coroutine_fn cowrap_batch_submit(struct cowrap_bio_batch *b,
					     struct bio *bio,
					     bio_end_io_t *end_io)
{
	bio->bi_private = b;
	bio->bi_end_io = end_io;
	atomic_inc(&b->pending);
	submit_bio(bio);
}

void coroutine_fn cowrap_co_batch_submit(struct cowrap_bio_batch *b,
					 struct bio *bio)
{
	cowrap_batch_submit(b, bio, cowrap_batch_end_io);
}
EXPORT_SYMBOL_GPL(cowrap_co_batch_submit);

void coroutine_fn cowrap_co_batch_submit_embedded(struct cowrap_bio_batch *b,
						  struct bio *bio)
{
	cowrap_batch_submit(b, bio, cowrap_batch_end_io_embedded);
}
EXPORT_SYMBOL_GPL(cowrap_co_batch_submit_embedded);

void cowrap_co_batch_error(struct cowrap_bio_batch *b, blk_status_t st)
{
	cowrap_batch_set_error(b, st);
}
EXPORT_SYMBOL_GPL(cowrap_co_batch_error);

unsigned int cowrap_co_batch_inflight(struct cowrap_bio_batch *b)
{
	return atomic_read(&b->pending) - 1;
}
EXPORT_SYMBOL_GPL(cowrap_co_batch_inflight);

blk_status_t coroutine_fn cowrap_co_batch_wait(struct cowrap_bio_batch *b)
{
	if (!atomic_dec_and_test(&b->pending))
		cowrap_co_park(b->co, false);
	WARN_ON_ONCE(atomic_read(&b->pending));
	return (__force blk_status_t)atomic_read(&b->status);
}
EXPORT_SYMBOL_GPL(cowrap_co_batch_wait);
