// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap_test: cowrap_co_submit_bio_wait() against a small bio-based RAM
 * disk created by the test.  The disk copies data at submission and ends
 * bios later from a hard-irq hrtimer, so every wait really parks and is
 * woken from interrupt context; sectors past CT_DISK_BAD fail with
 * BLK_STS_IOERR.  The bio_batch case checks the fan-out / fan-in batch
 * (cowrap_co_batch_*()): every bio of a batch in flight at once, one wake,
 * the first error, an embedded bio among them, and the refusal inline.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/err.h>
#include <linux/highmem.h>
#include <linux/hrtimer.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/version.h>
#include <linux/vmalloc.h>

#include "cowrap_test.h"

#define CT_DISK_SECTORS	2048		/* 1 MiB */
#define CT_DISK_BAD	1536		/* first sector that fails */
#define CT_BIO_CO	16

struct ct_disk {
	struct gendisk *disk;
	u8 *data;
	spinlock_t lock;
	struct bio_list pending;
	struct hrtimer timer;
	bool hold;		/* keep bios until ct_disk_release() */
};

static enum hrtimer_restart ct_disk_timer(struct hrtimer *timer)
{
	struct ct_disk *d = container_of(timer, struct ct_disk, timer);
	struct bio_list done;
	struct bio *bio;

	spin_lock(&d->lock);
	done = d->pending;
	bio_list_init(&d->pending);
	spin_unlock(&d->lock);
	while ((bio = bio_list_pop(&done)))
		bio_endio(bio);
	return HRTIMER_NORESTART;
}

static void ct_disk_submit_bio(struct bio *bio)
{
	struct ct_disk *d = bio->bi_bdev->bd_disk->private_data;
	sector_t sector = bio->bi_iter.bi_sector;
	struct bvec_iter iter;
	struct bio_vec bv;
	unsigned long flags;
	void *p;

	if (bio_end_sector(bio) > CT_DISK_BAD) {
		bio->bi_status = BLK_STS_IOERR;
	} else {
		bio_for_each_segment(bv, bio, iter) {
			p = bvec_kmap_local(&bv);
			if (bio_data_dir(bio) == WRITE)
				memcpy(d->data + (sector << SECTOR_SHIFT), p,
				       bv.bv_len);
			else
				memcpy(p, d->data + (sector << SECTOR_SHIFT),
				       bv.bv_len);
			kunmap_local(p);
			sector += bv.bv_len >> SECTOR_SHIFT;
		}
	}
	spin_lock_irqsave(&d->lock, flags);
	bio_list_add(&d->pending, bio);
	spin_unlock_irqrestore(&d->lock, flags);
	if (!READ_ONCE(d->hold))
		hrtimer_start(&d->timer, ns_to_ktime(50 * NSEC_PER_USEC),
			      HRTIMER_MODE_REL_HARD);
}

/* End the bios held since @d->hold was set, and stop holding. */
static void ct_disk_release(struct ct_disk *d)
{
	WRITE_ONCE(d->hold, false);
	hrtimer_start(&d->timer, ns_to_ktime(50 * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_HARD);
}

static const struct block_device_operations ct_disk_fops = {
	.owner = THIS_MODULE,
	.submit_bio = ct_disk_submit_bio,
};

static struct gendisk *ct_disk_alloc(void)
{
	struct gendisk *disk;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	disk = blk_alloc_disk(NULL, NUMA_NO_NODE);
#else
	disk = blk_alloc_disk(NUMA_NO_NODE);
#endif
	if (!disk)
		return ERR_PTR(-ENOMEM);
	return disk;
}

static int ct_disk_create(struct ct_disk *d)
{
	int ret;

	spin_lock_init(&d->lock);
	bio_list_init(&d->pending);
	hrtimer_init(&d->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	d->timer.function = ct_disk_timer;
	d->data = vzalloc(CT_DISK_SECTORS << SECTOR_SHIFT);
	if (!d->data)
		return -ENOMEM;
	d->disk = ct_disk_alloc();
	if (IS_ERR(d->disk)) {
		vfree(d->data);
		return PTR_ERR(d->disk);
	}
	d->disk->fops = &ct_disk_fops;
	d->disk->private_data = d;
	d->disk->flags |= GENHD_FL_NO_PART;
	strscpy(d->disk->disk_name, "cowrap_test0", DISK_NAME_LEN);
	set_capacity(d->disk, CT_DISK_SECTORS);
	ret = add_disk(d->disk);
	if (ret) {
		put_disk(d->disk);
		vfree(d->data);
	}
	return ret;
}

static void ct_disk_destroy(struct ct_disk *d)
{
	del_gendisk(d->disk);
	put_disk(d->disk);
	hrtimer_cancel(&d->timer);
	vfree(d->data);
}

/* A test disk of its own, or a negative errno (the batch cases). */
static struct ct_disk *ct_disk_new(void)
{
	struct ct_disk *d = kzalloc(sizeof(*d), GFP_KERNEL);
	int ret;

	if (!d)
		return ERR_PTR(-ENOMEM);
	ret = ct_disk_create(d);
	if (ret) {
		kfree(d);
		return ERR_PTR(ret);
	}
	return d;
}

/* After the bios and their coroutines: the disk goes. */
static void ct_disk_free(struct ct_disk *d)
{
	ct_wait_idle(cowrap_default_ctx(), 20000);
	ct_disk_destroy(d);
	kfree(d);
}

/* @n pages into @pages (left NULL where none was left), 0 or -ENOMEM. */
static int ct_pages_alloc(struct page **pages, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i])
			return -ENOMEM;
	}
	return 0;
}

static void ct_pages_free(struct page **pages, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (pages[i])
			__free_page(pages[i]);
}

struct ct_bio {
	struct ct_disk *d;
	atomic_t ok, bad, done;
	blk_status_t bad_st, eod_st;
};

static struct ct_bio *ct_bio_cur;

static blk_status_t coroutine_fn ct_bio_rw(struct ct_disk *d, struct page *pg,
					   enum req_op op, sector_t sector)
{
	struct bio *bio = bio_alloc(d->disk->part0, 1, op, GFP_KERNEL);
	blk_status_t st;

	bio->bi_iter.bi_sector = sector;
	__bio_add_page(bio, pg, PAGE_SIZE, 0);
	st = cowrap_co_submit_bio_wait(bio);
	bio_put(bio);
	return st;
}

static bool coroutine_fn ct_bio_one(struct ct_bio *b, int id,
				    struct page *wp, struct page *rp)
{
	sector_t sector = id * (PAGE_SIZE >> SECTOR_SHIFT);
	blk_status_t st;

	memset(page_address(wp), 0x40 + id, PAGE_SIZE);
	st = ct_bio_rw(b->d, wp, REQ_OP_WRITE, sector);
	if (st)
		return false;
	memset(page_address(rp), 0, PAGE_SIZE);
	st = ct_bio_rw(b->d, rp, REQ_OP_READ, sector);
	return !st && !memcmp(page_address(wp), page_address(rp), PAGE_SIZE);
}

static void coroutine_fn ct_bio_entry(void *opaque)
{
	struct ct_bio *b = ct_bio_cur;
	int id = (long)opaque;
	struct page *wp = alloc_page(GFP_KERNEL);
	struct page *rp = alloc_page(GFP_KERNEL);

	if (wp && rp && ct_bio_one(b, id, wp, rp))
		atomic_inc(&b->ok);
	else
		atomic_inc(&b->bad);
	if (id == 0 && wp) {
		/* asynchronous failure from the device */
		b->bad_st = ct_bio_rw(b->d, wp, REQ_OP_READ, CT_DISK_BAD);
		/* synchronous failure in submit_bio (past the end) */
		b->eod_st = ct_bio_rw(b->d, wp, REQ_OP_READ, 4 * CT_DISK_SECTORS);
	}
	if (wp)
		__free_page(wp);
	if (rp)
		__free_page(rp);
	atomic_inc(&b->done);
}

static int ct_bio_run(struct ct_result *r, struct ct_bio *b)
{
	struct cowrap_co *co;
	int i;

	for (i = 0; i < CT_BIO_CO; i++) {
		co = cowrap_co_create(NULL, ct_bio_entry, (void *)(long)i,
				      GFP_KERNEL);
		CT_CHECK(r, co, "no memory");
		cowrap_co_enter(co);
	}
	CT_CHECK(r, ct_wait_until(atomic_read(&b->done) == CT_BIO_CO, 20000),
		 "done=%d", atomic_read(&b->done));
	CT_CHECK(r, atomic_read(&b->ok) == CT_BIO_CO, "%d of %d write+read mismatched",
		 atomic_read(&b->bad), CT_BIO_CO);
	CT_CHECK(r, b->bad_st == BLK_STS_IOERR, "device error gave %d",
		 b->bad_st);
	CT_CHECK(r, b->eod_st == BLK_STS_IOERR, "read past the end gave %d",
		 b->eod_st);
	ct_note(r, "%d coroutines wrote+read 4 KiB each through bios; device error and EOD statuses returned",
		CT_BIO_CO);
	return 0;
}

int ct_bio_submit_wait(struct ct_result *r)
{
	struct ct_bio *b = kzalloc(sizeof(*b), GFP_KERNEL);
	struct ct_disk *d = kzalloc(sizeof(*d), GFP_KERNEL);
	int ret;

	if (!b || !d) {
		kfree(b);
		kfree(d);
		return ct_fail(r, "no memory");
	}
	ret = ct_disk_create(d);
	if (ret) {
		kfree(b);
		kfree(d);
		return ct_fail(r, "test disk: %d", ret);
	}
	b->d = d;
	ct_bio_cur = b;
	ret = ct_bio_run(r, b);
	/* bios are all ended before their coroutines finished */
	ct_wait_idle(cowrap_default_ctx(), 20000);
	ct_disk_destroy(d);
	kfree(d);
	kfree(b);
	return ret;
}

/* The batch case: CT_BATCH one-page bios per batch. */
#define CT_BATCH	8

struct ct_batch {
	struct ct_disk *d;
	struct page *pages[2 * CT_BATCH];
	/* the last bio of every batch: the test's own, reused */
	struct bio *own;
	struct bio_vec own_vec;
	unsigned int inflight;
	blk_status_t write_st, read_st, bad_st, empty_st;
	bool data_ok;
	/* the restartable part */
	struct cowrap_co rco;
	int runs, first_ret, inline_submits;
	blk_status_t rco_st;
	struct completion rco_done;
	struct completion done;
};

static struct bio *ct_batch_bio(struct ct_disk *d, struct page *pg,
				enum req_op op, sector_t sector)
{
	struct bio *bio = bio_alloc(d->disk->part0, 1, op, GFP_NOIO);

	bio->bi_iter.bi_sector = sector;
	__bio_add_page(bio, pg, PAGE_SIZE, 0);
	return bio;
}

/* One batch of @n bios starting at page @first of @t, at @sector. */
static blk_status_t coroutine_fn ct_batch_run(struct ct_batch *t, int first,
					      int n, enum req_op op,
					      sector_t sector)
{
	struct cowrap_bio_batch b;
	int i;

	if (cowrap_co_batch_init(&b))
		return BLK_STS_NOTSUPP;
	/* held until all are submitted, however slow the kernel */
	WRITE_ONCE(t->d->hold, true);
	for (i = 0; i < n - 1; i++)
		cowrap_co_batch_submit(&b, ct_batch_bio(t->d, t->pages[first + i],
							op, sector + i * 8));
	if (n) {
		/* ended and uninitialised by the batch, never freed */
		bio_init(t->own, t->d->disk->part0, &t->own_vec, 1, op);
		t->own->bi_iter.bi_sector = sector + i * 8;
		__bio_add_page(t->own, t->pages[first + i], PAGE_SIZE, 0);
		cowrap_co_batch_submit_embedded(&b, t->own);
	}
	t->inflight = max(t->inflight, cowrap_co_batch_inflight(&b));
	ct_disk_release(t->d);
	return cowrap_co_batch_wait(&b);
}

static void coroutine_fn ct_batch_entry(void *opaque)
{
	struct ct_batch *t = opaque;
	int i;

	for (i = 0; i < CT_BATCH; i++)
		memset(page_address(t->pages[i]), 0x20 + i, PAGE_SIZE);
	t->write_st = ct_batch_run(t, 0, CT_BATCH, REQ_OP_WRITE, 0);
	t->read_st = ct_batch_run(t, CT_BATCH, CT_BATCH, REQ_OP_READ, 0);
	t->data_ok = true;
	for (i = 0; i < CT_BATCH; i++)
		t->data_ok &= !memcmp(page_address(t->pages[i]),
				      page_address(t->pages[CT_BATCH + i]),
				      PAGE_SIZE);
	/* only the last (embedded) bio crosses CT_DISK_BAD: the batch fails */
	t->bad_st = ct_batch_run(t, CT_BATCH, 4, REQ_OP_READ,
				 CT_DISK_BAD - 3 * 8);
	t->empty_st = ct_batch_run(t, 0, 0, REQ_OP_READ, 0);
	complete(&t->done);
}

/* Restartable: inline the batch refuses before anything is submitted. */
static int coroutine_fn ct_batch_body(void *opaque)
{
	struct ct_batch *t = opaque;
	struct cowrap_bio_batch b;
	int ret;

	ret = cowrap_co_batch_init(&b);
	if (t->runs++ == 0)
		t->first_ret = ret;
	if (ret)
		return ret;
	if (cowrap_in_coroutine() && !cowrap_co_need_worker())
		cowrap_co_batch_submit(&b, ct_batch_bio(t->d, t->pages[0],
							REQ_OP_READ, 0));
	else
		t->inline_submits++;
	t->rco_st = cowrap_co_batch_wait(&b);
	return 0;
}

static void ct_batch_done(void *opaque, int ret)
{
	struct ct_batch *t = opaque;

	complete(&t->rco_done);
}

static int ct_batch_check(struct ct_result *r, struct ct_batch *t)
{
	struct cowrap_co *co;

	co = cowrap_co_create(NULL, ct_batch_entry, t, GFP_KERNEL);
	CT_CHECK(r, co, "no memory");
	cowrap_co_enter(co);
	CT_CHECK(r, wait_for_completion_timeout(&t->done, 20 * HZ), "timeout");
	CT_CHECK(r, t->write_st == BLK_STS_OK, "write batch: %d", t->write_st);
	CT_CHECK(r, t->read_st == BLK_STS_OK, "read batch: %d", t->read_st);
	CT_CHECK(r, t->data_ok, "data read back differs");
	CT_CHECK(r, t->bad_st == BLK_STS_IOERR, "failing batch: %d", t->bad_st);
	CT_CHECK(r, t->empty_st == BLK_STS_OK, "empty batch: %d", t->empty_st);
	/* the disk holds the bios of a batch until all are submitted */
	CT_CHECK(r, t->inflight == CT_BATCH, "at most %u bios in flight",
		 t->inflight);

	init_completion(&t->rco_done);
	cowrap_co_init_restartable(&t->rco, NULL, ct_batch_body,
				   ct_batch_done, t);
	cowrap_co_enter(&t->rco);
	CT_CHECK(r, wait_for_completion_timeout(&t->rco_done, 20 * HZ),
		 "restartable timeout");
	CT_CHECK(r, t->first_ret == -EAGAIN, "inline init gave %d",
		 t->first_ret);
	CT_CHECK(r, t->runs == 2, "body ran %d times", t->runs);
	CT_CHECK(r, !t->inline_submits, "submitted inline");
	CT_CHECK(r, t->rco_st == BLK_STS_OK, "restarted batch: %d", t->rco_st);
	ct_note(r, "%d bios per batch (one embedded), %u in flight at once, first error returned, inline init refused",
		CT_BATCH, t->inflight);
	return 0;
}

int ct_bio_batch(struct ct_result *r)
{
	struct ct_batch *t = kzalloc(sizeof(*t), GFP_KERNEL);
	int ret;

	if (!t)
		return ct_fail(r, "no memory");
	init_completion(&t->done);
	ret = ct_pages_alloc(t->pages, 2 * CT_BATCH);
	t->own = kzalloc(sizeof(*t->own), GFP_KERNEL);
	if (!t->own)
		ret = -ENOMEM;
	if (!ret) {
		t->d = ct_disk_new();
		ret = PTR_ERR_OR_ZERO(t->d);
	}
	if (!ret) {
		ret = ct_batch_check(r, t);
		ct_disk_free(t->d);
	}
	ct_pages_free(t->pages, 2 * CT_BATCH);
	kfree(t->own);
	if (ret == -ENOMEM)
		ret = ct_fail(r, "no memory");
	kfree(t);
	return ret;
}

/*
 * The batch_finish case: a restartable body entered with
 * cowrap_co_enter_sleepable() sleeps inline and submits a batch that
 * finishes the coroutine (cowrap_co_batch_finish()).
 */
struct ct_fin {
	struct ct_disk *d;
	struct page *pages[CT_BATCH];
	struct cowrap_co co;
	struct cowrap_bio_batch batch;
	unsigned int nr, runs, cpu;
	sector_t sector;
	bool hold, sleep_check;
	/* what the body saw, on its first run */
	bool in_co, may_sleep, noio, self_after_sleep, other_in_co;
	int init_ret;
	/* what the done function saw */
	atomic_t done_count;
	int done_ret;
	bool done_hardirq, done_in_co;
	struct completion done;
	/* a work item on the body's CPU while the body sleeps */
	struct work_struct work;
	struct completion work_done;
};

static void ct_fin_work(struct work_struct *work)
{
	struct ct_fin *t = container_of(work, struct ct_fin, work);

	t->other_in_co = cowrap_in_coroutine() || cowrap_co_self();
	complete(&t->work_done);
}

/* Sleep inline while a work item runs on this CPU and looks. */
static void coroutine_fn ct_fin_sleep(struct ct_fin *t)
{
	t->cpu = raw_smp_processor_id();
	init_completion(&t->work_done);
	INIT_WORK(&t->work, ct_fin_work);
	queue_work_on(t->cpu, system_wq, &t->work);
	wait_for_completion(&t->work_done);
	t->self_after_sleep = cowrap_co_self() == &t->co &&
			      raw_smp_processor_id() == t->cpu;
}

static int coroutine_fn ct_fin_body(void *opaque)
{
	struct ct_fin *t = opaque;
	unsigned int i;
	int ret;

	ret = cowrap_co_batch_init_last(&t->batch);
	if (t->runs++ == 0) {
		t->in_co = cowrap_co_self() == &t->co;
		t->may_sleep = cowrap_co_may_sleep();
		t->noio = cowrap_co_gfp() == GFP_NOIO;
		t->init_ret = ret;
		if (!ret && t->sleep_check)
			ct_fin_sleep(t);
	}
	if (ret)
		return ret;
	WRITE_ONCE(t->d->hold, t->hold);
	for (i = 0; i < t->nr; i++)
		cowrap_co_batch_submit(&t->batch,
				       ct_batch_bio(t->d, t->pages[i],
						    REQ_OP_WRITE,
						    t->sector + i * 8));
	return cowrap_co_batch_finish(&t->batch);
}

static void ct_fin_done(void *opaque, int ret)
{
	struct ct_fin *t = opaque;

	t->done_ret = ret;
	t->done_hardirq = in_hardirq();
	t->done_in_co = cowrap_in_coroutine();
	atomic_inc(&t->done_count);
	complete(&t->done);
}

/* One run: @nr bios at @sector, held by the disk until released. */
static void ct_fin_start(struct ct_fin *t, bool sleepable, unsigned int nr,
			 sector_t sector, bool hold)
{
	t->nr = nr;
	t->sector = sector;
	t->hold = hold;
	t->runs = 0;
	atomic_set(&t->done_count, 0);
	init_completion(&t->done);
	cowrap_co_init_restartable(&t->co, NULL, ct_fin_body, ct_fin_done, t);
	if (sleepable)
		cowrap_co_enter_sleepable(&t->co);
	else
		cowrap_co_enter(&t->co);
}

static int ct_fin_wait(struct ct_result *r, struct ct_fin *t)
{
	CT_CHECK(r, wait_for_completion_timeout(&t->done, 20 * HZ), "timeout");
	/* a second done call would come right after the first */
	msleep(20);
	CT_CHECK(r, atomic_read(&t->done_count) == 1, "done called %d times",
		 atomic_read(&t->done_count));
	CT_CHECK(r, !t->done_in_co, "done ran in coroutine context");
	return 0;
}

static int ct_fin_check(struct ct_result *r, struct ct_fin *t)
{
	int ret;

	/* inline on this task: sleeps, submits, returns before the bios end */
	t->sleep_check = true;
	ct_fin_start(t, true, CT_BATCH, 0, true);
	t->sleep_check = false;
	CT_CHECK(r, t->in_co && t->may_sleep && t->noio,
		 "sleepable inline run: in_coroutine %d may_sleep %d noio %d",
		 t->in_co, t->may_sleep, t->noio);
	CT_CHECK(r, t->init_ret == 0, "inline init_last gave %d", t->init_ret);
	CT_CHECK(r, !t->other_in_co,
		 "a work item on CPU %u took the sleeping body's slot", t->cpu);
	CT_CHECK(r, t->self_after_sleep, "self() or the CPU changed over a sleep");
	CT_CHECK(r, atomic_read(&t->done_count) == 0,
		 "finished before its bios ended");
	ct_disk_release(t->d);
	ret = ct_fin_wait(r, t);
	if (ret)
		return ret;
	CT_CHECK(r, t->runs == 1 && t->done_ret == 0 && t->done_hardirq,
		 "held batch: %u runs, done %d, from hardirq %d", t->runs,
		 t->done_ret, t->done_hardirq);

	/* nothing in flight: finished by the enter itself */
	ct_fin_start(t, true, 0, 0, false);
	CT_CHECK(r, atomic_read(&t->done_count) == 1 && t->done_ret == 0 &&
		 !t->done_hardirq, "empty batch: done %d times, %d",
		 atomic_read(&t->done_count), t->done_ret);

	/* the first error: the last bios cross CT_DISK_BAD */
	ct_fin_start(t, true, 4, CT_DISK_BAD - 2 * 8, false);
	ret = ct_fin_wait(r, t);
	if (ret)
		return ret;
	CT_CHECK(r, t->done_ret == -EIO, "failing batch finished with %d",
		 t->done_ret);

	/* preemption disabled: refused inline, finished from a worker */
	ct_fin_start(t, false, CT_BATCH, 0, false);
	ret = ct_fin_wait(r, t);
	if (ret)
		return ret;
	CT_CHECK(r, t->init_ret == -EAGAIN && !t->may_sleep && t->runs == 2 &&
		 t->done_ret == 0, "atomic inline: init %d may_sleep %d runs %u done %d",
		 t->init_ret, t->may_sleep, t->runs, t->done_ret);
	ct_note(r, "sleepable inline run slept on CPU %u (a work item there saw no coroutine), %d bios finished it from hardirq; empty, failing and atomic-refused batches",
		t->cpu, CT_BATCH);
	return 0;
}

int ct_bio_batch_finish(struct ct_result *r)
{
	struct ct_fin *t = kzalloc(sizeof(*t), GFP_KERNEL);
	int ret;

	if (!t)
		return ct_fail(r, "no memory");
	ret = ct_pages_alloc(t->pages, CT_BATCH);
	if (!ret) {
		t->d = ct_disk_new();
		ret = PTR_ERR_OR_ZERO(t->d);
	}
	if (!ret) {
		ret = ct_fin_check(r, t);
		/* a failed check may leave bios held */
		ct_disk_release(t->d);
		ct_disk_free(t->d);
	}
	ct_pages_free(t->pages, CT_BATCH);
	if (ret == -ENOMEM)
		ret = ct_fail(r, "no memory");
	kfree(t);
	return ret;
}
