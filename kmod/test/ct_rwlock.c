// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap_test: CoRwlock.  Scripted coroutines take the lock, park, and
 * do what the test tells them next (unlock, upgrade, downgrade), so the
 * order of grants can be checked step by step; a stress case checks
 * exclusion with readers, writers and upgraders mixed.
 */
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/slab.h>

#include "cowrap_test.h"

#define CT_RW_N		8

enum { CT_RW_IDLE, CT_RW_UNLOCK, CT_RW_UPGRADE, CT_RW_DOWNGRADE };

/**
 * struct ct_rw_co - one scripted coroutine
 * @co: the coroutine
 * @write: it takes the write lock first
 * @cmd: what to do when woken next
 * @got: sequence number of its last grant, 0 while it waits
 * @ret: result of its last lock call
 * @done: it has unlocked and returned
 */
struct ct_rw_co {
	struct cowrap_co co;
	bool write;
	int cmd;
	int got;
	int ret;
	bool done;
};

struct ct_rw {
	struct cowrap_co_rwlock l;
	struct ct_rw_co c[CT_RW_N];
	atomic_t seq;
};

static unsigned int ct_rw_waiters(struct cowrap_co_rwlock *l)
{
	unsigned int n;

	spin_lock_irq(&l->lock);
	n = list_count_nodes(&l->waiters);
	spin_unlock_irq(&l->lock);
	return n;
}

static void ct_rw_granted(struct ct_rw *t, struct ct_rw_co *c, int ret)
{
	c->ret = ret;
	WRITE_ONCE(c->got, atomic_inc_return(&t->seq));
}

static struct ct_rw *ct_rw_cur;

static void coroutine_fn ct_rw_entry(void *opaque)
{
	struct ct_rw *t = ct_rw_cur;
	struct ct_rw_co *c = opaque;
	int cmd;

	ct_rw_granted(t, c, c->write ? cowrap_co_rwlock_wrlock(&t->l) :
			    cowrap_co_rwlock_rdlock(&t->l));
	for (;;) {
		cowrap_co_yield();
		cmd = READ_ONCE(c->cmd);
		WRITE_ONCE(c->cmd, CT_RW_IDLE);
		if (cmd == CT_RW_UNLOCK)
			break;
		if (cmd == CT_RW_UPGRADE)
			ct_rw_granted(t, c, cowrap_co_rwlock_upgrade(&t->l));
		else if (cmd == CT_RW_DOWNGRADE)
			cowrap_co_rwlock_downgrade(&t->l);
	}
	cowrap_co_rwlock_unlock(&t->l);
	WRITE_ONCE(c->done, true);
}
cowrap_co_addr_ok(ct_rw_entry);

/* Start coroutine @i and wait until it holds the lock or is queued. */
static int ct_rw_start(struct ct_result *r, struct cowrap_ctx *ctx,
		       struct ct_rw *t, int i, bool write, bool granted)
{
	struct ct_rw_co *c = &t->c[i];
	unsigned int queued = ct_rw_waiters(&t->l);

	c->write = write;
	cowrap_co_init(&c->co, ctx, ct_rw_entry, c);
	cowrap_co_enter(&c->co);
	if (granted)
		CT_CHECK(r, ct_wait_until(READ_ONCE(c->got), 5000),
			 "%d not granted", i);
	else
		CT_CHECK(r, ct_wait_until(ct_rw_waiters(&t->l) == queued + 1,
					  5000), "%d not queued", i);
	return 0;
}

/* An upgrade's grant is waited for anew: clear the last one first. */
static void ct_rw_tell(struct ct_rw *t, int i, int cmd)
{
	if (cmd == CT_RW_UPGRADE)
		WRITE_ONCE(t->c[i].got, 0);
	WRITE_ONCE(t->c[i].cmd, cmd);
	cowrap_co_wake(&t->c[i].co);
}

/* Tell @i to unlock and wait until it has. */
static int ct_rw_unlock(struct ct_result *r, struct ct_rw *t, int i)
{
	ct_rw_tell(t, i, CT_RW_UNLOCK);
	CT_CHECK(r, ct_wait_until(READ_ONCE(t->c[i].done), 5000),
		 "%d did not unlock", i);
	return 0;
}

#define CT_RW_DO(expr)				\
	do {					\
		int __ret = (expr);		\
		if (__ret)			\
			return __ret;		\
	} while (0)

/* Give the granting side time to do something wrong, then check. */
static int ct_rw_not_granted(struct ct_result *r, struct ct_rw *t, int i)
{
	msleep(20);
	CT_CHECK(r, !READ_ONCE(t->c[i].got), "%d granted too early", i);
	return 0;
}

/*
 * Readers share; a writer waits for all of them; a reader arriving
 * while the writer waits queues behind it (writers are not starved).
 */
static int ct_rw_fifo_run(struct ct_result *r, struct cowrap_ctx *ctx,
			  struct ct_rw *t)
{
	int i;

	for (i = 0; i < 3; i++)
		CT_RW_DO(ct_rw_start(r, ctx, t, i, false, true));
	CT_CHECK(r, t->l.readers == 3, "readers=%u", t->l.readers);
	CT_RW_DO(ct_rw_start(r, ctx, t, 3, true, false));
	CT_RW_DO(ct_rw_start(r, ctx, t, 4, false, false));
	CT_RW_DO(ct_rw_unlock(r, t, 0));
	CT_RW_DO(ct_rw_unlock(r, t, 1));
	CT_RW_DO(ct_rw_not_granted(r, t, 3));
	CT_RW_DO(ct_rw_unlock(r, t, 2));
	CT_CHECK(r, ct_wait_until(READ_ONCE(t->c[3].got), 5000),
		 "writer not granted after the last reader");
	CT_RW_DO(ct_rw_not_granted(r, t, 4));
	CT_CHECK(r, t->l.owner == &t->c[3].co, "owner is not the writer");
	CT_RW_DO(ct_rw_unlock(r, t, 3));
	CT_CHECK(r, ct_wait_until(READ_ONCE(t->c[4].got), 5000),
		 "late reader not granted");
	CT_RW_DO(ct_rw_unlock(r, t, 4));
	for (i = 0; i < 5; i++)
		CT_CHECK(r, t->c[i].got == i + 1 && !t->c[i].ret,
			 "%d: grant #%d ret %d", i, t->c[i].got, t->c[i].ret);
	ct_note(r, "3 readers shared, the writer waited for them and a later reader waited for the writer");
	return 0;
}

/*
 * Upgrade of the only reader is atomic; downgrade admits the readers at
 * the head and not the writer behind them; an upgrade with another
 * reader waits for it and goes before the queued writer.
 */
static int ct_rw_updown_run(struct ct_result *r, struct cowrap_ctx *ctx,
			    struct ct_rw *t)
{
	struct ct_rw_co *c0 = &t->c[0];

	CT_RW_DO(ct_rw_start(r, ctx, t, 0, false, true));
	ct_rw_tell(t, 0, CT_RW_UPGRADE);
	CT_CHECK(r, ct_wait_until(READ_ONCE(c0->got), 5000), "upgrade stuck");
	CT_CHECK(r, t->l.owner == &c0->co && !t->l.readers && !c0->ret,
		 "sole reader's upgrade: owner %p readers %u ret %d",
		 t->l.owner, t->l.readers, c0->ret);
	CT_RW_DO(ct_rw_start(r, ctx, t, 1, false, false));
	CT_RW_DO(ct_rw_start(r, ctx, t, 2, false, false));
	CT_RW_DO(ct_rw_start(r, ctx, t, 3, true, false));
	CT_RW_DO(ct_rw_start(r, ctx, t, 4, false, false));
	ct_rw_tell(t, 0, CT_RW_DOWNGRADE);
	CT_CHECK(r, ct_wait_until(READ_ONCE(t->c[1].got) &&
				  READ_ONCE(t->c[2].got), 5000),
		 "downgrade did not admit the readers at the head");
	CT_CHECK(r, !t->l.owner && t->l.readers == 3, "readers=%u",
		 t->l.readers);
	CT_RW_DO(ct_rw_not_granted(r, t, 3));
	CT_RW_DO(ct_rw_not_granted(r, t, 4));
	CT_RW_DO(ct_rw_unlock(r, t, 1));
	ct_rw_tell(t, 0, CT_RW_UPGRADE);	/* 2 still reads */
	CT_CHECK(r, ct_wait_until(ct_rw_waiters(&t->l) == 3, 5000),
		 "upgrade not queued");
	CT_RW_DO(ct_rw_not_granted(r, t, 0));
	CT_RW_DO(ct_rw_unlock(r, t, 2));
	CT_CHECK(r, ct_wait_until(READ_ONCE(c0->got), 5000),
		 "upgrade not granted after the other reader");
	CT_CHECK(r, t->l.owner == &c0->co, "upgrader is not the owner");
	CT_RW_DO(ct_rw_not_granted(r, t, 3));
	CT_RW_DO(ct_rw_unlock(r, t, 0));
	CT_CHECK(r, ct_wait_until(READ_ONCE(t->c[3].got), 5000),
		 "writer not granted");
	CT_RW_DO(ct_rw_not_granted(r, t, 4));
	CT_RW_DO(ct_rw_unlock(r, t, 3));
	CT_CHECK(r, ct_wait_until(READ_ONCE(t->c[4].got), 5000),
		 "last reader not granted");
	CT_RW_DO(ct_rw_unlock(r, t, 4));
	CT_CHECK(r, !t->l.owner && !t->l.readers && !ct_rw_waiters(&t->l),
		 "lock not free at the end");
	ct_note(r, "upgrade atomic alone, queued at the head with another reader; downgrade admitted 2 readers, not the writer");
	return 0;
}

/*
 * After a failure: tell every holder to unlock, as long as some are left
 * (a waiter is only woken by its grant, never told).
 */
static void ct_rw_drain(struct ct_rw *t)
{
	int i, round;

	for (round = 0; round < 500; round++) {
		bool left = false;

		for (i = 0; i < CT_RW_N; i++) {
			struct ct_rw_co *c = &t->c[i];

			if (!READ_ONCE(c->co.ctx) || READ_ONCE(c->done))
				continue;
			left = true;
			if (READ_ONCE(c->got) && READ_ONCE(c->cmd) == CT_RW_IDLE)
				ct_rw_tell(t, i, CT_RW_UNLOCK);
		}
		if (!left)
			return;
		msleep(10);
	}
}

static int ct_rw_case(struct ct_result *r,
		      int (*run)(struct ct_result *, struct cowrap_ctx *,
				 struct ct_rw *))
{
	struct cowrap_ctx *ctx;
	struct ct_rw *t;
	int ret;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	CT_CHECK(r, t, "no memory");
	cowrap_co_rwlock_init(&t->l);
	ct_rw_cur = t;
	ctx = cowrap_ctx_create("t-rwlock", CT_RW_N + 1);
	if (IS_ERR(ctx)) {
		kfree(t);
		return ct_fail(r, "ctx create: %ld", PTR_ERR(ctx));
	}
	ret = run(r, ctx, t);
	if (ret)
		ct_rw_drain(t);
	if (!ct_wait_idle(ctx, 10000) && !ret)
		ret = ct_fail(r, "coroutines left: %u", ct_live(ctx));
	cowrap_ctx_destroy(ctx);
	kfree(t);
	return ret;
}

int ct_rwlock_fifo(struct ct_result *r)
{
	return ct_rw_case(r, ct_rw_fifo_run);
}

int ct_rwlock_upgrade_downgrade(struct ct_result *r)
{
	return ct_rw_case(r, ct_rw_updown_run);
}

#define CT_RWS_CO	16
#define CT_RWS_ITER	100

/**
 * struct ct_rws - the exclusion stress case
 * @l: the lock
 * @co: coroutines: writers, readers and upgraders
 * @readers: coroutines inside as readers now
 * @writers: coroutines inside as writers now
 * @max_readers: most readers seen inside at once
 * @value: written by writers only, read by readers
 * @errors: exclusion violations seen
 * @done: coroutines finished
 */
struct ct_rws {
	struct cowrap_co_rwlock l;
	struct cowrap_co co[CT_RWS_CO];
	atomic_t readers, writers, max_readers;
	unsigned long value;
	atomic_t errors, done;
};

static struct ct_rws *ct_rws_cur;

static void ct_rws_check(struct ct_rws *t, bool write)
{
	int rd = atomic_read(&t->readers), wr = atomic_read(&t->writers);

	if (write ? rd || wr != 1 : wr)
		atomic_inc(&t->errors);
	if (rd > atomic_read(&t->max_readers))
		atomic_set(&t->max_readers, rd);
}

static void coroutine_fn ct_rws_write(struct ct_rws *t)
{
	unsigned long v;

	atomic_inc(&t->writers);
	ct_rws_check(t, true);
	v = READ_ONCE(t->value);
	cowrap_co_sleep_ns(20000);
	WRITE_ONCE(t->value, v + 1);	/* lost if not exclusive */
	ct_rws_check(t, true);
	atomic_dec(&t->writers);
}

static void coroutine_fn ct_rws_read(struct ct_rws *t)
{
	atomic_inc(&t->readers);
	ct_rws_check(t, false);
	cowrap_co_sleep_ns(20000);
	ct_rws_check(t, false);
	atomic_dec(&t->readers);
}

/* Kind by id: 0 writer, 1 upgrader (read, write, downgrade), else reader. */
static void coroutine_fn ct_rws_entry(void *opaque)
{
	struct ct_rws *t = ct_rws_cur;
	int id = (long)opaque, kind = id % 4, i;

	for (i = 0; i < CT_RWS_ITER; i++) {
		if (kind == 0) {
			cowrap_co_rwlock_wrlock(&t->l);
			ct_rws_write(t);
		} else {
			cowrap_co_rwlock_rdlock(&t->l);
			ct_rws_read(t);
			if (kind == 1) {
				cowrap_co_rwlock_upgrade(&t->l);
				ct_rws_write(t);
				cowrap_co_rwlock_downgrade(&t->l);
				ct_rws_read(t);
			}
		}
		cowrap_co_rwlock_unlock(&t->l);
	}
	atomic_inc(&t->done);
}
cowrap_co_addr_ok(ct_rws_entry);

int ct_rwlock_exclusion(struct ct_result *r)
{
	unsigned long want = (CT_RWS_CO / 4) * 2 * CT_RWS_ITER;
	struct cowrap_ctx *ctx;
	struct ct_rws *t;
	int i, ret = 0;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	CT_CHECK(r, t, "no memory");
	cowrap_co_rwlock_init(&t->l);
	ct_rws_cur = t;
	ctx = cowrap_ctx_create("t-rwstress", CT_RWS_CO + 1);
	if (IS_ERR(ctx)) {
		kfree(t);
		return ct_fail(r, "ctx create: %ld", PTR_ERR(ctx));
	}
	for (i = 0; i < CT_RWS_CO; i++) {
		cowrap_co_init(&t->co[i], ctx, ct_rws_entry, (void *)(long)i);
		cowrap_co_enter(&t->co[i]);
	}
	if (!ct_wait_until(atomic_read(&t->done) == CT_RWS_CO, 120000))
		ret = ct_fail(r, "done=%d of %d", atomic_read(&t->done),
			      CT_RWS_CO);
	else if (atomic_read(&t->errors) || t->value != want)
		ret = ct_fail(r, "%d exclusion violations, value %lu of %lu",
			      atomic_read(&t->errors), t->value, want);
	else if (atomic_read(&t->max_readers) < 2)
		ret = ct_fail(r, "readers never shared the lock");
	if (!ret)
		ct_note(r, "%d coroutines x %d: no violation, %lu writes, up to %d readers at once",
			CT_RWS_CO, CT_RWS_ITER, want,
			atomic_read(&t->max_readers));
	if (!ct_wait_idle(ctx, 10000) && !ret)
		ret = ct_fail(r, "coroutines left: %u", ct_live(ctx));
	cowrap_ctx_destroy(ctx);
	kfree(t);
	return ret;
}
