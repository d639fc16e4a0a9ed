// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap coroutine layer: submit a bio and yield until it completes.
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
