/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrap block devices: the device object, its configuration, statistics
 * and fault rule, and the functions shared by dev*.c, backend_*.c,
 * fault.c and ctl_dev.c.
 */
#ifndef _COWRAP_DEV_H
#define _COWRAP_DEV_H

#include <linux/atomic.h>
#include <linux/blk-mq.h>
#include <linux/completion.h>
#include <linux/mempool.h>
#include <linux/mutex.h>
#include <linux/percpu-refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/cowrap.h>

#include <cowrap/annotations.h>
#include <cowrap/coroutine.h>

struct cowrap_backend_ops;
struct seq_file;
struct iov_iter;

/* Coroutines kept for synchronous calls beyond the tag count. */
#define COWRAP_DEV_SYNC_WORKERS		4
/*
 * Workers a device keeps when idle.  A request never waits for a request
 * that has not started, so one worker guarantees progress whatever the
 * tag count (Documentation/coroutines.rst, "Forward progress").
 */
#define COWRAP_DEV_RESERVED_WORKERS	1
/*
 * Workers of a bio-based device: it has no tag count to size them by, and
 * a bio never waits for one that has not started (one would do).
 */
#define COWRAP_DEV_BIO_WORKERS		64
/* Largest block request (512 KiB), in sectors. */
#define COWRAP_DEV_MAX_SECTORS		1024

/**
 * struct cowrap_dev_cfg - validated device parameters
 * @id: requested id (with @req_id) or the id given
 * @req_id: @id was requested by the caller
 * @backend: COWRAP_BACKEND_*
 * @size: bytes (for bdev with 0 given: filled by the backend)
 * @lbs: logical block size
 * @pbs: physical block size
 * @nr_hw_queues: hardware queues
 * @queue_depth: tags per hardware queue
 * @flags: COWRAP_DEV_* bits
 * @latency_ns: added to every request
 * @timeout_ms: block request timeout, 0 for never
 * @path: lower device path (bdev backend) or base path (cow backend),
 *	NUL-terminated
 * @overlay: overlay device path (cow backend), NUL-terminated
 * @chunk_size: cow backend: chunk size asked for, 0 for the overlay's; once
 *	the backend is open, the overlay's (GET_DEV_INFO reports it)
 */
struct cowrap_dev_cfg {
	u32 id;
	bool req_id;
	u32 backend;
	u64 size;
	u32 lbs;
	u32 pbs;
	u32 nr_hw_queues;
	u32 queue_depth;
	u64 flags;
	u64 latency_ns;
	u32 timeout_ms;
	char path[COWRAP_PATH_MAX];
	char overlay[COWRAP_PATH_MAX];
	u32 chunk_size;
};

/**
 * struct cowrap_fault_rule - SET_FAULT state of a device
 * @lock: protects the fields
 * @mode: COWRAP_FAULT_*
 * @ops: COWRAP_OP_BIT() mask
 * @nth: count or period
 * @error: positive errno
 * @latency_ns: DELAY mode
 * @seen: matching requests since the rule was set
 */
struct cowrap_fault_rule {
	spinlock_t lock;
	u32 mode;
	u32 ops;
	u32 nth;
	u32 error;
	u64 latency_ns;
	u64 seen;
};

/* Request attributes counted per device (debugfs cowrap/seen). */
enum cowrap_seen {
	COWRAP_SEEN_FUA,
	COWRAP_SEEN_NOUNMAP,
	COWRAP_SEEN_SYNC,
	COWRAP_SEEN_META,
	COWRAP_SEEN_PRIO,
	COWRAP_SEEN_IDLE,
	COWRAP_SEEN_IOPRIO_RT,
	COWRAP_SEEN_IOPRIO_BE,
	COWRAP_SEEN_IOPRIO_IDLE,
	COWRAP_SEEN_NR,
};

/**
 * struct cowrap_dev_counters - live statistics (see struct cowrap_dev_stats)
 *
 * One per CPU, updated with cowrap_dev_stat_add() (this_cpu ops, safe in
 * any context), summed by cowrap_dev_fill_stats(): requests of different
 * hardware queues share no cache line.  @inflight is signed because a
 * request may start on one CPU and end on another; only the sum means
 * something.  @seen counts the requests that carried each COWRAP_SEEN_*
 * attribute (debugfs cowrap/seen); @lower_batch_max is the most lower
 * bios one request or call of a stacking backend had in flight at once
 * (a maximum per CPU, the maximum of them shown).
 */
struct cowrap_dev_counters {
	u64 reqs[COWRAP_OP_NR];
	u64 bytes[COWRAP_OP_NR];
	u64 errors[COWRAP_OP_NR];
	u64 co_started;
	u64 co_yields;
	u64 co_wakes;
	u64 sync_calls;
	u64 faults_injected;
	long inflight;
	u64 seen[COWRAP_SEEN_NR];
	unsigned int lower_batch_max;
};

/* Add @n to counter @field of @dev on this CPU. */
#define cowrap_dev_stat_add(dev, field, n)	this_cpu_add((dev)->stats->field, n)
#define cowrap_dev_stat_inc(dev, field)		cowrap_dev_stat_add(dev, field, 1)

/**
 * struct cowrap_dev - one /dev/cowrapN
 * @cfg: parameters (immutable after creation)
 * @ops: backend operations
 * @backend_priv: backend state
 * @lower: the device the disk's limits are stacked on (set by a stacking
 *	backend's open, bdev), or NULL
 * @ctx: execution context running the device's coroutines
 * @tag_set: blk-mq tag set
 * @disk: the gendisk
 * @lock: protects @open_count and @state
 * @open_count: opens of the block device
 * @state: COWRAP_STATE_* (0 while being created)
 * @failing: fail every request and sync call (force deletion)
 * @dying: being torn down: no new lookups, not listed (under the
 *	registry lock, dev.c)
 * @users: control-path users (lookups in progress)
 * @users_wq: woken when @users drops to zero
 * @remove_work: removal after the last close of a force-deleted device
 * @fault: fault injection rule
 * @stats: per-CPU counters
 * @serial: unique number of this device since module load (ids are
 *	reused, serials are not)
 * @bio_pool: bio-based device: the struct cowrap_bio_rq of its bios
 * @bio_ref: bio-based device: held by every bio in flight
 * @bio_drained: bio-based device: @bio_ref was killed and has dropped to 0
 */
struct cowrap_dev {
	struct cowrap_dev_cfg cfg;
	const struct cowrap_backend_ops *ops;
	void *backend_priv;
	struct block_device *lower;
	struct cowrap_ctx *ctx;
	struct blk_mq_tag_set tag_set;
	struct gendisk *disk;
	struct mutex lock;
	unsigned int open_count;
	u32 state;
	bool failing;
	bool dying;
	atomic_t users;
	wait_queue_head_t users_wq;
	struct work_struct remove_work;
	struct cowrap_fault_rule fault;
	struct cowrap_dev_counters __percpu *stats;
	u64 serial;
	mempool_t *bio_pool;
	struct percpu_ref bio_ref;
	struct completion bio_drained;
};

/**
 * struct cowrap_live_counts - live objects of the device layer
 * @devices: struct cowrap_dev allocated and not yet freed
 * @ctxs: device execution contexts created and not yet destroyed
 * @disks: gendisks (with their tag sets) allocated and not yet freed
 * @backends: backend states opened and not yet closed
 * @ram_pages: data pages held by ram backends (freed ones excluded, RCU
 *	deferred ones included until their grace period ends)
 *
 * Read through debugfs (cowrap/live, dev_debugfs.c); every counter is
 * zero when no device exists and nothing is pending.
 */
struct cowrap_live_counts {
	atomic_t devices;
	atomic_t ctxs;
	atomic_t disks;
	atomic_t backends;
	atomic_long_t ram_pages;
};

extern struct cowrap_live_counts cowrap_live;

/**
 * struct cowrap_dev_begin - the decisions of cowrap_dev_begin()
 * @deadline: ktime_get_ns() until which the call waits (latency and fault
 *	delay), 0 for none
 * @err: the fault rule's verdict, returned once the deadline has passed
 * @waits: sleeps that make up the wait (counted as co_yields/co_wakes)
 */
struct cowrap_dev_begin {
	u64 deadline;
	int err;
	unsigned int waits;
};

/**
 * struct cowrap_blk_io - one block I/O (a request or a bio) and its coroutine
 * @co: the coroutine that handles it, initialised per I/O without
 *	allocation; restartable, so it runs inline until it must park
 * @dev: owning device
 * @op: COWRAP_OP_* of the I/O
 * @begin: what cowrap_dev_begin() decided for it, once, before the start
 * @bio: its first bio; a request's others follow through bi_next, a
 *	bio-based device's I/O is that one bio
 * @pos: first byte
 * @bytes: length in bytes (0 for a flush)
 * @opf: operation and flags (REQ_OP_* | REQ_*) of the request or bio
 * @batch: the lower bios that finish it (a stacking backend's co_request,
 *	cowrap_co_batch_finish())
 * @spare_bio: memory for one lower bio in the I/O's own state, for a
 *	stacking backend's clone (bio_init_clone(),
 *	cowrap_co_batch_submit_embedded()), or NULL (a request has none)
 *
 * Everything the I/O decides or counts before its first park lives here,
 * so that a restart of its coroutine neither repeats nor re-draws it.
 */
struct cowrap_blk_io {
	struct cowrap_co co;
	struct cowrap_dev *dev;
	int op;
	struct cowrap_dev_begin begin;
	struct bio *bio;
	u64 pos;
	unsigned int bytes;
	blk_opf_t opf;
	struct cowrap_bio_batch batch;
	struct bio *spare_bio;
};

/**
 * struct cowrap_rq - per-request driver data (the request's PDU)
 * @io: the request as an I/O, with its coroutine
 * @seq: number of the request this PDU carries (dev_io.c), written by
 *	queue_rq only
 * @expired_seq: the request the timeout handler expired
 */
struct cowrap_rq {
	struct cowrap_blk_io io;
	unsigned long seq;
	unsigned long expired_seq;
};

/**
 * struct cowrap_bio_rq - one bio of a bio-based device (dev_bio.c)
 * @io: the bio as an I/O, with its coroutine
 * @start: jiffies at bio_start_io_acct(), for the disk's I/O statistics
 * @clone: @io's spare bio (last: a bio ends in its inline vectors)
 *
 * Allocated from the device's mempool when the bio is submitted and
 * freed when it ends.
 */
struct cowrap_bio_rq {
	struct cowrap_blk_io io;
	unsigned long start;
	struct bio clone;
};

/**
 * cowrap_dev_bio_based() - does @dev take bios without a blk-mq queue?
 * @dev: device
 *
 * Return: true for a COWRAP_DEV_BIO_BASED device.
 */
static inline bool cowrap_dev_bio_based(const struct cowrap_dev *dev)
{
	return dev->cfg.flags & COWRAP_DEV_BIO_BASED;
}

/* dev_config.c */
int cowrap_dev_cfg_from_user(const struct cowrap_dev_add *add,
			     struct cowrap_dev_cfg *cfg);
int cowrap_fault_check_args(const struct cowrap_fault *f);
int cowrap_io_check_args(const struct cowrap_dev *dev, unsigned int op,
			 const struct cowrap_io *io);

/* dev.c */
int cowrap_dev_add(struct cowrap_dev_cfg *cfg, u32 *id, u64 *serial);
int cowrap_dev_del(u32 id, bool force);
int cowrap_dev_del_serial(u32 id, u64 serial);
struct cowrap_dev *cowrap_dev_get(u32 id);
void cowrap_dev_put(struct cowrap_dev *dev);
u32 cowrap_dev_list(u32 *ids, u32 max);
void cowrap_dev_fill_info(struct cowrap_dev *dev, struct cowrap_dev_info *info);
void cowrap_dev_fill_stats(struct cowrap_dev *dev, struct cowrap_dev_stats *st,
			   bool reset);
struct cowrap_ctx *cowrap_dev_ctx(struct cowrap_dev *dev);
void cowrap_dev_sum_ctx_stats(struct cowrap_ctx_stats *sum, u32 *nr_devs);
void cowrap_dev_show_seen(struct seq_file *m);
int cowrap_dev_init(void);
void cowrap_dev_create_param_devices(void);
void cowrap_dev_exit(void);

/* dev_io.c */
extern const struct blk_mq_ops cowrap_mq_ops;
int cowrap_io_op(struct cowrap_dev *dev, blk_opf_t opf, unsigned int bytes);
int coroutine_fn cowrap_io_co_exec(struct cowrap_blk_io *io);
void cowrap_io_begin(struct cowrap_blk_io *io, unsigned short ioprio);
int cowrap_io_done_status(int ret);

/* dev_bio.c */
int cowrap_dev_bio_init(struct cowrap_dev *dev);
void cowrap_dev_bio_drain(struct cowrap_dev *dev);
void cowrap_dev_bio_exit(struct cowrap_dev *dev);
void cowrap_submit_bio(struct bio *bio);
int cowrap_bio_cache_init(void);
void cowrap_bio_cache_exit(void);
void cowrap_dev_begin(struct cowrap_dev *dev, unsigned int op,
		      struct cowrap_dev_begin *b);
int coroutine_fn cowrap_dev_co_wait(struct cowrap_dev *dev,
				    struct cowrap_dev_begin *b);
int coroutine_fn cowrap_dev_co_begin(struct cowrap_dev *dev, unsigned int op);
void cowrap_dev_account(struct cowrap_dev *dev, unsigned int op, u64 bytes,
			int err);

/* dev_debugfs.c */
void cowrap_dev_debugfs_init(void);
void cowrap_dev_debugfs_exit(void);
bool cowrap_test_fail_page_alloc(bool consume);

/* fault.c */
void cowrap_fault_set(struct cowrap_dev *dev, const struct cowrap_fault *f);
int cowrap_fault_hit(struct cowrap_dev *dev, unsigned int op, u64 *delay_ns);

#endif /* _COWRAP_DEV_H */
