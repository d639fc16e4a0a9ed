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
#include <linux/uio.h>

#include "backend.h"
#include "dev.h"

/**
 * cowrap_dev_co_sleep() - park the current device coroutine for a time
 * @dev: device (for the yield/wake counters)
 * @ns: nanoseconds
 *
 * Return: 0, or -EIO if the device's context is being torn down.
 */
int coroutine_fn cowrap_dev_co_sleep(struct cowrap_dev *dev, u64 ns)
{
	int ret;

	atomic64_inc(&dev->stats.co_yields);
	ret = cowrap_co_sleep_ns(ns);
	atomic64_inc(&dev->stats.co_wakes);
	return ret ? -EIO : 0;
}

/**
 * cowrap_dev_co_begin() - common start of a request or synchronous call
 * @dev: device
 * @op: COWRAP_OP_*
 *
 * Fails everything on a force-deleted device, adds the device's latency
 * and applies the fault rule.  Counts the call as in flight; pair with
 * cowrap_dev_account().
 *
 * Return: 0 or the negative errno the call must fail with.
 */
int coroutine_fn cowrap_dev_co_begin(struct cowrap_dev *dev, unsigned int op)
{
	u64 delay;
	int ret;

	atomic_inc(&dev->stats.inflight);
	if (READ_ONCE(dev->failing))
		return -EIO;
	if (dev->cfg.latency_ns) {
		ret = cowrap_dev_co_sleep(dev, dev->cfg.latency_ns);
		if (ret)
			return ret;
	}
	ret = cowrap_fault_hit(dev, op, &delay);
	if (ret)
		return ret;
	if (delay)
		ret = cowrap_dev_co_sleep(dev, delay);
	if (!ret && READ_ONCE(dev->failing))
		ret = -EIO;
	return ret;
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
	atomic64_inc(&dev->stats.reqs[op]);
	if (err)
		atomic64_inc(&dev->stats.errors[op]);
	else
		atomic64_add(bytes, &dev->stats.bytes[op]);
	atomic_dec(&dev->stats.inflight);
}

/* Read or write every bio of @rq through the backend. */
static int coroutine_fn cowrap_rq_co_rw(struct cowrap_dev *dev,
					struct request *rq, bool write)
{
	u64 pos = (u64)blk_rq_pos(rq) << SECTOR_SHIFT;
	bool fua = rq->cmd_flags & REQ_FUA;
	struct bio *bio;
	int ret = 0;

	__rq_for_each_bio(bio, rq) {
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

/* Map a request to COWRAP_OP_*, or -1 for an unsupported one. */
static int cowrap_rq_op(struct cowrap_dev *dev, struct request *rq)
{
	switch (req_op(rq)) {
	case REQ_OP_READ:
		return COWRAP_OP_READ;
	case REQ_OP_WRITE:
		return COWRAP_OP_WRITE;
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

/* Has the timeout handler expired this run (@seq) of the request? */
static bool cowrap_rq_expired(struct cowrap_rq *crq, unsigned long seq)
{
	return READ_ONCE(crq->expired_seq) == seq;
}

/* The backend part of a request: 0 or -errno. */
static int coroutine_fn cowrap_rq_co_run(struct cowrap_dev *dev,
					 struct request *rq, unsigned int op,
					 unsigned long seq)
{
	u64 pos = (u64)blk_rq_pos(rq) << SECTOR_SHIFT;
	int ret;

	ret = cowrap_dev_co_begin(dev, op);
	if (ret)
		return ret;
	/* cancelled during the latency or fault delay: skip the backend */
	if (cowrap_rq_expired(blk_mq_rq_to_pdu(rq), seq))
		return -ETIMEDOUT;
	/*
	 * The block layer lets an empty flush through to a read-only disk
	 * (bio_check_ro()), and the FLUSH ioctl accepts it: both succeed.
	 */
	if (op != COWRAP_OP_READ && op != COWRAP_OP_FLUSH &&
	    (dev->cfg.flags & COWRAP_DEV_READ_ONLY))
		return -EROFS;
	switch (op) {
	case COWRAP_OP_READ:
		return cowrap_rq_co_rw(dev, rq, false);
	case COWRAP_OP_WRITE:
		return cowrap_rq_co_rw(dev, rq, true);
	case COWRAP_OP_FLUSH:
		return dev->ops->co_flush(dev);
	case COWRAP_OP_DISCARD:
		return dev->ops->co_discard(dev, pos, blk_rq_bytes(rq));
	default:
		return dev->ops->co_write_zeroes(dev, pos, blk_rq_bytes(rq));
	}
}

/*
 * Run one request: 0 or -errno.  The coroutine alone completes the
 * request; the timeout handler only marks the run it expired, and a run
 * marked so fails with -ETIMEDOUT (BLK_STS_TIMEOUT) whatever it did.
 * An allocation failure (the ram backend's GFP_NOIO page) fails with
 * -EIO, as brd does: -ENOMEM would complete it with BLK_STS_RESOURCE, a
 * status meant for queue_rq that writeback takes as a hard error.
 */
static int coroutine_fn cowrap_rq_co_exec(struct cowrap_dev *dev,
					  struct request *rq, unsigned int op)
{
	struct cowrap_rq *crq = blk_mq_rq_to_pdu(rq);
	unsigned long seq = crq->seq + 1;
	int ret;

	WRITE_ONCE(crq->seq, seq);
	ret = cowrap_rq_co_run(dev, rq, op, seq);
	if (cowrap_rq_expired(crq, seq))
		return -ETIMEDOUT;
	return ret == -ENOMEM ? -EIO : ret;
}

/* The coroutine of a request (entry of the PDU's struct cowrap_co). */
static void coroutine_fn cowrap_rq_co(void *opaque)
{
	struct cowrap_rq *crq = opaque;
	struct request *rq = blk_mq_rq_from_pdu(crq);
	struct cowrap_dev *dev = crq->dev;
	int op = cowrap_rq_op(dev, rq);	/* checked in cowrap_queue_rq() */
	int ret;

	ret = cowrap_rq_co_exec(dev, rq, op);
	cowrap_dev_account(dev, op, blk_rq_bytes(rq), ret);
	/* last action: the PDU (and the coroutine in it) may be reused */
	blk_mq_end_request(rq, errno_to_blk_status(ret));
}

static blk_status_t cowrap_queue_rq(struct blk_mq_hw_ctx *hctx,
				    const struct blk_mq_queue_data *bd)
{
	struct cowrap_dev *dev = hctx->queue->queuedata;
	struct request *rq = bd->rq;
	struct cowrap_rq *crq = blk_mq_rq_to_pdu(rq);

	blk_mq_start_request(rq);
	if (unlikely(READ_ONCE(dev->failing)))
		return BLK_STS_IOERR;
	/*
	 * Refused here, before a coroutine starts, so that every started
	 * coroutine is accounted: co_started == sum(reqs) + inflight.
	 */
	if (unlikely(cowrap_rq_op(dev, rq) < 0))
		return BLK_STS_NOTSUPP;
	crq->dev = dev;
	cowrap_co_init(&crq->co, dev->ctx, cowrap_rq_co, crq);
	atomic64_inc(&dev->stats.co_started);
	cowrap_co_enter(&crq->co);
	return BLK_STS_OK;
}

/*
 * A request ran past the device's timeout_ms.  The coroutine completes
 * every request it started (the request's PDU holds it), so the handler
 * never completes one: it marks the current run of the coroutine
 * expired, which then stops at its next cancellation point (after its
 * latency and fault delay, after the backend) and fails the request with
 * BLK_STS_TIMEOUT; the timer is re-armed until then.  Marking a run that
 * has not started yet (the coroutine waiting for a worker) marks the one
 * before, which is harmless: the next expiry marks the current one.
 * With timeout_ms 0 requests never time out.
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
