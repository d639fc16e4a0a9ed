// SPDX-License-Identifier: GPL-2.0
/*
 * The I/O path of cowrap devices: blk-mq hands a request to queue_rq,
 * which starts the coroutine embedded in the request's PDU and returns;
 * the coroutine applies latency and faults, calls the backend's
 * coroutine_fn operations (which may yield) and completes the request.
 * Nothing is allocated per request here.
 */
#include <linux/bio.h>
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/ioprio.h>
#include <linux/uio.h>

#include "backend.h"
#include "dev.h"

/**
 * cowrap_dev_begin() - decisions taken once per request or synchronous call
 * @dev: device
 * @op: COWRAP_OP_*
 * @b: filled with the deadline and verdict
 *
 * Counts the call as in flight (pair with cowrap_dev_account()) and draws
 * the fault rule; nothing parks, so a restartable coroutine calls it
 * before it starts and keeps @b in its own state.
 */
void cowrap_dev_begin(struct cowrap_dev *dev, unsigned int op,
		      struct cowrap_dev_begin *b)
{
	u64 delay = 0;

	cowrap_dev_stat_inc(dev, inflight);
	b->deadline = 0;
	b->waits = 0;
	b->err = -EIO;
	if (READ_ONCE(dev->failing))
		return;
	b->err = cowrap_fault_hit(dev, op, &delay);
	b->waits = !!delay + !!dev->cfg.latency_ns;
	if (b->waits) {
		b->deadline = ktime_get_ns() + delay + dev->cfg.latency_ns;
		cowrap_dev_stat_add(dev, co_yields, b->waits);
	}
}

/**
 * cowrap_dev_co_wait() - wait for what cowrap_dev_begin() decided
 * @dev: device
 * @b: its decisions
 *
 * Sleeps until the deadline (inline: on the coroutine's own timer, see
 * cowrap_co_sleep_until()), then fails a force-deleted device.  The wait
 * is recorded as done in @b, so a restart after a later refused park
 * neither waits nor counts it again.
 *
 * Return: the verdict, -EIO, or -EAGAIN inline when the body must return.
 */
int coroutine_fn cowrap_dev_co_wait(struct cowrap_dev *dev,
				    struct cowrap_dev_begin *b)
{
	int ret;

	if (!b->deadline)
		return b->err;
	ret = cowrap_co_sleep_until(b->deadline);
	if (ret == -EAGAIN)
		return ret;
	cowrap_dev_stat_add(dev, co_wakes, b->waits);
	b->deadline = 0;
	if (ret || (!b->err && READ_ONCE(dev->failing)))
		b->err = -EIO;
	return b->err;
}

/**
 * cowrap_dev_co_begin() - common start of a synchronous call
 * @dev: device
 * @op: COWRAP_OP_*
 *
 * cowrap_dev_begin() and cowrap_dev_co_wait() in one, for a coroutine that
 * runs on a worker and is never restarted.
 *
 * Return: 0 or the negative errno the call must fail with.
 */
int coroutine_fn cowrap_dev_co_begin(struct cowrap_dev *dev, unsigned int op)
{
	struct cowrap_dev_begin b;

	cowrap_dev_begin(dev, op, &b);
	return cowrap_dev_co_wait(dev, &b);
}

/**
 * cowrap_dev_account() - common end of a request or synchronous call
 * @dev: device
 * @op: COWRAP_OP_*
 * @bytes: bytes transferred or affected
 * @err: 0 or the negative errno the call completes with
 */
void cowrap_dev_account(struct cowrap_dev *dev, unsigned int op, u64 bytes,
			int err)
{
	cowrap_dev_stat_inc(dev, reqs[op]);
	if (err)
		cowrap_dev_stat_inc(dev, errors[op]);
	else
		cowrap_dev_stat_add(dev, bytes[op], bytes);
	cowrap_dev_stat_add(dev, inflight, -1);
}

/* Read or write every bio of @io through the backend. */
static int coroutine_fn cowrap_io_co_rw(struct cowrap_blk_io *io, bool write)
{
	struct cowrap_dev *dev = io->dev;
	bool fua = io->opf & REQ_FUA;
	u64 pos = io->pos;
	struct bio *bio;
	int ret = 0;

	for (bio = io->bio; bio; bio = bio->bi_next) {
		unsigned int nr = 0, len = bio->bi_iter.bi_size;
		struct bvec_iter bi;
		struct bio_vec bv;
		struct iov_iter it;

		bio_for_each_bvec(bv, bio, bi)
			nr++;
		iov_iter_bvec(&it, write ? ITER_SOURCE : ITER_DEST,
			      __bvec_iter_bvec(bio->bi_io_vec, bio->bi_iter),
			      nr, len);
		it.iov_offset = bio->bi_iter.bi_bvec_done;
		if (write)
			ret = dev->ops->co_write(dev, pos, &it, fua);
		else
			ret = dev->ops->co_read(dev, pos, &it);
		if (ret)
			break;
		pos += len;
	}
	return ret;
}

/**
 * cowrap_io_op() - the COWRAP_OP_* of a request or bio
 * @dev: device
 * @opf: its operation and flags
 * @bytes: its length
 *
 * A bio-based device sees a flush as an empty REQ_PREFLUSH write.
 *
 * Return: COWRAP_OP_*, or -1 for an operation the device does not support.
 */
int cowrap_io_op(struct cowrap_dev *dev, blk_opf_t opf, unsigned int bytes)
{
	switch (opf & REQ_OP_MASK) {
	case REQ_OP_READ:
		return COWRAP_OP_READ;
	case REQ_OP_WRITE:
		return (opf & REQ_PREFLUSH) && !bytes ?
			COWRAP_OP_FLUSH : COWRAP_OP_WRITE;
	case REQ_OP_FLUSH:
		return COWRAP_OP_FLUSH;
	case REQ_OP_DISCARD:
		return dev->cfg.flags & COWRAP_DEV_DISCARD ?
			COWRAP_OP_DISCARD : -1;
	case REQ_OP_WRITE_ZEROES:
		return dev->cfg.flags & COWRAP_DEV_WRITE_ZEROES ?
			COWRAP_OP_WRITE_ZEROES : -1;
	default:
		return -1;
	}
}

/* Has the timeout handler expired the request this PDU carries? */
static bool cowrap_rq_expired(struct cowrap_rq *crq)
{
	return READ_ONCE(crq->expired_seq) == crq->seq;
}

/* A write with the range operations, after the flush a bio may carry. */
static int coroutine_fn cowrap_io_co_write(struct cowrap_blk_io *io)
{
	int ret;

	if (io->opf & REQ_PREFLUSH) {
		ret = io->dev->ops->co_flush(io->dev);
		if (ret)
			return ret;
	}
	return cowrap_io_co_rw(io, true);
}

/**
 * cowrap_io_co_exec() - the backend part of a request or bio
 * @io: the I/O, its fields filled
 *
 * Return: 0 or -errno; what the backend's co_request returns otherwise
 * (-EIOCBQUEUED when its last bio finishes it, -EAGAIN to run again).
 */
int coroutine_fn cowrap_io_co_exec(struct cowrap_blk_io *io)
{
	struct cowrap_dev *dev = io->dev;
	unsigned int op = io->op;

	/*
	 * The block layer lets an empty flush through to a read-only disk
	 * (bio_check_ro()), and the FLUSH ioctl accepts it: both succeed.
	 */
	if (op != COWRAP_OP_READ && op != COWRAP_OP_FLUSH &&
	    (dev->cfg.flags & COWRAP_DEV_READ_ONLY))
		return -EROFS;
	if (dev->ops->co_request) {
		int ret = dev->ops->co_request(dev, io);

		if (ret != COWRAP_RQ_RANGE_OPS)
			return ret;
	}
	switch (op) {
	case COWRAP_OP_READ:
		return cowrap_io_co_rw(io, false);
	case COWRAP_OP_WRITE:
		return cowrap_io_co_write(io);
	case COWRAP_OP_FLUSH:
		return dev->ops->co_flush(dev);
	case COWRAP_OP_DISCARD:
		return dev->ops->co_discard(dev, io->pos, io->bytes);
	default:
		return dev->ops->co_write_zeroes(dev, io->pos, io->bytes);
	}
}

/*
 * The body of a request's coroutine (the PDU's struct cowrap_co).  It runs
 * inline in queue_rq first; each backend operation is restartable (it
 * parks only through the layer's primitives, and repeating what it did
 * before its first park, copying the request's data again, is harmless),
 * and the request's decisions live in the PDU.
 */
static int coroutine_fn cowrap_rq_co(void *opaque)
{
	struct cowrap_rq *crq = opaque;
	struct cowrap_blk_io *io = &crq->io;
	int ret;

	ret = cowrap_dev_co_wait(io->dev, &io->begin);
	if (ret)
		return ret;
	/* expired during the latency or fault delay: skip the backend */
	if (cowrap_rq_expired(crq))
		return -ETIMEDOUT;
	return cowrap_io_co_exec(io);
}

/**
 * cowrap_io_done_status() - the errno an I/O completes with
 * @ret: what its coroutine returned
 *
 * An allocation failure (the ram backend's page, on a worker) fails with
 * -EIO, as brd does: -ENOMEM would complete it with BLK_STS_RESOURCE, a
 * status meant for queue_rq that writeback takes as a hard error.
 *
 * Return: @ret, or -EIO for -ENOMEM.
 */
int cowrap_io_done_status(int ret)
{
	return ret == -ENOMEM ? -EIO : ret;
}

/*
 * The request's coroutine has finished: complete the request, once.  The
 * coroutine alone completes it; the timeout handler only marks it, and a
 * request marked so fails with -ETIMEDOUT (BLK_STS_TIMEOUT) whatever it
 * did.
 */
static void cowrap_rq_done(void *opaque, int ret)
{
	struct cowrap_rq *crq = opaque;
	struct request *rq = blk_mq_rq_from_pdu(crq);

	if (cowrap_rq_expired(crq))
		ret = -ETIMEDOUT;
	else
		ret = cowrap_io_done_status(ret);
	cowrap_dev_account(crq->io.dev, crq->io.op, blk_rq_bytes(rq), ret);
	/* last action: the PDU (and the coroutine in it) may be reused */
	blk_mq_end_request(rq, errno_to_blk_status(ret));
}

/* Count the attributes of a request or bio (debugfs cowrap/seen), once. */
static void cowrap_io_count_seen(struct cowrap_dev *dev, blk_opf_t opf,
				 unsigned short ioprio)
{
	static const blk_opf_t flags[] = {
		[COWRAP_SEEN_FUA]	= REQ_FUA,
		[COWRAP_SEEN_NOUNMAP]	= REQ_NOUNMAP,
		[COWRAP_SEEN_SYNC]	= REQ_SYNC,
		[COWRAP_SEEN_META]	= REQ_META,
		[COWRAP_SEEN_PRIO]	= REQ_PRIO,
		[COWRAP_SEEN_IDLE]	= REQ_IDLE,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(flags); i++)
		if (opf & flags[i])
			cowrap_dev_stat_inc(dev, seen[i]);
	switch (IOPRIO_PRIO_CLASS(ioprio)) {
	case IOPRIO_CLASS_RT:
		cowrap_dev_stat_inc(dev, seen[COWRAP_SEEN_IOPRIO_RT]);
		break;
	case IOPRIO_CLASS_BE:
		cowrap_dev_stat_inc(dev, seen[COWRAP_SEEN_IOPRIO_BE]);
		break;
	case IOPRIO_CLASS_IDLE:
		cowrap_dev_stat_inc(dev, seen[COWRAP_SEEN_IOPRIO_IDLE]);
		break;
	}
}

/**
 * cowrap_io_begin() - what a request or bio decides and counts, once
 * @io: the I/O, its dev, op, bio, pos, bytes and opf filled in
 * @ioprio: its I/O priority
 *
 * Counts it as in flight and started, draws its fault rule and deadline
 * (cowrap_dev_begin()) and counts its attributes, before its coroutine is
 * initialised and entered: so that co_started == sum(reqs) + inflight.
 */
void cowrap_io_begin(struct cowrap_blk_io *io, unsigned short ioprio)
{
	cowrap_dev_begin(io->dev, io->op, &io->begin);
	cowrap_io_count_seen(io->dev, io->opf, ioprio);
	cowrap_dev_stat_inc(io->dev, co_started);
}

/*
 * A blocking queue's queue_rq may sleep: so may the inline body, which
 * submits the backend's bios from here.  Not into a plug that is being
 * flushed (queue_rq runs from the submitter's blk_finish_plug()): that
 * flush would issue the lower requests under this queue's dispatch
 * protection, not theirs.  A plug of its own batches them.
 */
static void cowrap_rq_enter_sleepable(struct cowrap_rq *crq)
{
	struct blk_plug *outer = current->plug;
	struct blk_plug plug;

	current->plug = NULL;
	blk_start_plug(&plug);
	cowrap_co_enter_sleepable(&crq->io.co);
	blk_finish_plug(&plug);
	current->plug = outer;
}

static blk_status_t cowrap_queue_rq(struct blk_mq_hw_ctx *hctx,
				    const struct blk_mq_queue_data *bd)
{
	struct cowrap_dev *dev = hctx->queue->queuedata;
	struct request *rq = bd->rq;
	struct cowrap_rq *crq = blk_mq_rq_to_pdu(rq);
	struct cowrap_blk_io *io = &crq->io;

	blk_mq_start_request(rq);
	if (unlikely(READ_ONCE(dev->failing)))
		return BLK_STS_IOERR;
	/*
	 * Refused here, before a coroutine starts, so that every started
	 * coroutine is accounted: co_started == sum(reqs) + inflight.
	 */
	io->op = cowrap_io_op(dev, rq->cmd_flags, blk_rq_bytes(rq));
	if (unlikely(io->op < 0))
		return BLK_STS_NOTSUPP;
	io->dev = dev;
	io->bio = rq->bio;
	io->pos = (u64)blk_rq_pos(rq) << SECTOR_SHIFT;
	io->bytes = blk_rq_bytes(rq);
	io->opf = rq->cmd_flags;
	io->spare_bio = NULL;
	/* numbers the requests of this PDU for the timeout handler */
	WRITE_ONCE(crq->seq, crq->seq + 1);
	cowrap_io_begin(io, req_get_ioprio(rq));
	cowrap_co_init_restartable(&io->co, dev->ctx, cowrap_rq_co,
				   cowrap_rq_done, crq);
	if (hctx->flags & BLK_MQ_F_BLOCKING)
		cowrap_rq_enter_sleepable(crq);
	else
		cowrap_co_enter(&io->co);
	return BLK_STS_OK;
}

/*
 * A request ran past the device's timeout_ms.  The coroutine completes
 * every request it started (the request's PDU holds it), so the handler
 * never completes one: it marks the request expired (by the number
 * queue_rq gave it, so a restart of its coroutine does not matter), which
 * then stops at its next cancellation point (after its latency and fault
 * delay, after the backend) and fails with BLK_STS_TIMEOUT; the timer is
 * re-armed until then.  With timeout_ms 0 requests never time out.
 */
static enum blk_eh_timer_return cowrap_timeout(struct request *rq)
{
	struct cowrap_dev *dev = rq->q->queuedata;
	struct cowrap_rq *crq = blk_mq_rq_to_pdu(rq);

	if (dev->cfg.timeout_ms)
		WRITE_ONCE(crq->expired_seq, READ_ONCE(crq->seq));
	return BLK_EH_RESET_TIMER;
}

const struct blk_mq_ops cowrap_mq_ops = {
	.queue_rq	= cowrap_queue_rq,
	.timeout	= cowrap_timeout,
};
