// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap coroutine layer: per-CPU worker pools.
 *
 * Each context has a pool per CPU: a run queue of coroutines waiting for a
 * worker and the idle workers bound to that CPU.  A coroutine handed to a
 * worker (a refused inline run, or a coroutine that is not restartable) is
 * given to an idle worker of the CPU it was entered on, or queued there
 * while the layer's spawn workqueue creates a worker for it; enter and
 * wake never sleep nor allocate.  A worker that finishes takes the next
 * coroutine of its CPU without a wake-up.  Workers beyond the context's
 * reserve exit after COWRAP_WORKER_IDLE_MS idle.
 *
 * When a worker cannot be created (no memory, threads-max, the context's
 * max_workers, the fail_spawn hook) the context is "starved": idle
 * workers of other CPUs are lent to the queue, finishing workers take
 * queued coroutines of every CPU, and creation is retried with back-off.
 * Queued coroutines keep their order and always run eventually, because
 * the reserve exists and a parked coroutine keeps its worker.
 *
 * CPU hotplug: before a CPU goes offline its pools' workers are unbound
 * (a wake from a timer that moved off it still finds them); once it is
 * online again they are bound to it again.  A pool's queue and counters
 * stay where they are: an offline CPU's pool simply gets no new work.
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "co_internal.h"

static struct workqueue_struct *cowrap_spawn_wq;
static enum cpuhp_state cowrap_pool_hp_state;

static int cowrap_fail_spawn;
module_param_named(fail_spawn, cowrap_fail_spawn, int, 0644);
MODULE_PARM_DESC(fail_spawn,
		 "test hook: fail the next N worker creations (-1: all, 0: none)");

void cowrap_co_test_fail_spawn(int n)
{
	WRITE_ONCE(cowrap_fail_spawn, n);
}
EXPORT_SYMBOL_GPL(cowrap_co_test_fail_spawn);

/* Consume one failure of the fail_spawn hook: true if this one fails. */
static bool cowrap_pool_hook_fails(void)
{
	int old = READ_ONCE(cowrap_fail_spawn);

	while (old) {
		if (old < 0)
			return true;
		if (try_cmpxchg(&cowrap_fail_spawn, &old, old - 1))
			return true;
	}
	return false;
}

/* The oldest queued coroutine, taken off the run queue, or NULL. */
static struct cowrap_co *cowrap_pool_dequeue_locked(struct cowrap_pool *pool)
{
	struct cowrap_co *co;

	co = list_first_entry_or_null(&pool->runq, struct cowrap_co, node);
	if (co) {
		list_del_init(&co->node);
		pool->nr_queued--;
	}
	return co;
}

/* The warmest idle worker, taken off the idle list, or NULL. */
static struct cowrap_worker *cowrap_pool_idle_locked(struct cowrap_pool *pool)
{
	struct cowrap_worker *w;

	w = list_first_entry_or_null(&pool->idle, struct cowrap_worker,
				     idle_node);
	if (w) {
		list_del_init(&w->idle_node);
		pool->nr_idle--;
	}
	return w;
}

/* Hand @co (counted in @from) to @w, which is not idle; the caller wakes @w. */
static void cowrap_pool_give(struct cowrap_worker *w, struct cowrap_pool *from,
			     struct cowrap_co *co)
{
	w->from = from;
	/* pairs with the acquire in cowrap_worker_wait(): @co is set up */
	smp_store_release(&w->next, co);
}

/* Count @co as live in @pool.  pool->lock held. */
static void cowrap_pool_count_locked(struct cowrap_pool *pool,
				     struct cowrap_co *co)
{
	pool->nr_live++;
	pool->nr_counted++;
	if (co->flags & COWRAP_CO_F_ALLOCATED)
		pool->nr_allocated++;
}

void cowrap_pool_queue(struct cowrap_co *co)
{
	struct cowrap_pool *pool = cowrap_co_pool(co);
	struct cowrap_worker *w;
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	cowrap_pool_count_locked(pool, co);
	w = cowrap_pool_idle_locked(pool);
	if (w) {
		cowrap_pool_give(w, pool, co);
	} else {
		list_add_tail(&co->node, &pool->runq);
		pool->nr_queued++;
	}
	spin_unlock_irqrestore(&pool->lock, flags);

	/* workers and the spawn work live as long as the context */
	if (w)
		wake_up_process(w->task);
	else
		queue_delayed_work(cowrap_spawn_wq, &pool->spawn_work, 0);
}

void cowrap_pool_parking(struct cowrap_co *co, int delta)
{
	struct cowrap_worker *w = kthread_data(current);

	atomic_add(delta, &w->pool->nr_parked);
}

void cowrap_pool_count_inline(struct cowrap_co *co)
{
	this_cpu_inc(co->ctx->pools->nr_inline);
}

void cowrap_pool_count_restart(struct cowrap_co *co, bool deferred)
{
	this_cpu_inc(co->ctx->pools->nr_restarts);
	if (deferred)
		this_cpu_inc(co->ctx->pools->nr_deferred);
}

void cowrap_pool_defer_begin(struct cowrap_co *co)
{
	struct cowrap_pool *pool = cowrap_co_pool(co);
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	pool->nr_live++;
	pool->nr_counted++;
	spin_unlock_irqrestore(&pool->lock, flags);
}

struct cowrap_pool *cowrap_co_pool(struct cowrap_co *co)
{
	return per_cpu_ptr(co->ctx->pools, co->cpu);
}

void cowrap_pool_put(struct cowrap_pool *pool)
{
	struct cowrap_ctx *ctx = pool->ctx;
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	pool->nr_live--;
	spin_unlock_irqrestore(&pool->lock, flags);
	if (READ_ONCE(ctx->cancelling))
		wake_up(&ctx->drain_wq);
}

/* A reaped worker: hand it to the context's reaper and wait to be stopped. */
static void cowrap_worker_exit(struct cowrap_worker *w)
{
	struct cowrap_ctx *ctx = w->pool->ctx;
	bool queued;

	spin_lock_irq(&ctx->lock);
	/* cowrap_pools_exit() may have taken it already */
	queued = !list_empty(&w->node);
	if (queued) {
		list_move_tail(&w->node, &ctx->dying);
		ctx->nr_reaped++;
	}
	spin_unlock_irq(&ctx->lock);
	if (queued)
		schedule_work(&ctx->reap_work);
	for (;;) {
		set_current_state(TASK_IDLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
}

/* Leave the idle list for good unless a coroutine was just handed over. */
static bool cowrap_worker_reap(struct cowrap_worker *w)
{
	struct cowrap_pool *pool = w->pool;
	bool reap;

	spin_lock_irq(&pool->lock);
	reap = !READ_ONCE(w->next) && !list_empty(&w->idle_node);
	if (reap) {
		list_del_init(&w->idle_node);
		pool->nr_idle--;
		pool->nr_workers--;
	}
	spin_unlock_irq(&pool->lock);
	return reap;
}

/*
 * Sleep until a coroutine is handed to @w; NULL when @w must stop (asked
 * to, or idle for COWRAP_WORKER_IDLE_MS and not part of the reserve).
 */
static struct cowrap_co *cowrap_worker_wait(struct cowrap_worker *w)
{
	long left = msecs_to_jiffies(COWRAP_WORKER_IDLE_MS);
	struct cowrap_co *co;

	for (;;) {
		set_current_state(TASK_IDLE);
		co = smp_load_acquire(&w->next);
		if (co)
			break;
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			return NULL;
		}
		if (!left && !w->reserve) {
			__set_current_state(TASK_RUNNING);
			if (cowrap_worker_reap(w)) {
				cowrap_worker_exit(w);
				return NULL;
			}
			left = msecs_to_jiffies(COWRAP_WORKER_IDLE_MS);
			continue;
		}
		left = schedule_timeout(w->reserve ? MAX_SCHEDULE_TIMEOUT : left);
	}
	__set_current_state(TASK_RUNNING);
	WRITE_ONCE(w->next, NULL);
	return co;
}

/* Starved context: the oldest coroutine queued on any CPU, or NULL. */
static struct cowrap_co *cowrap_worker_steal(struct cowrap_ctx *ctx,
					     struct cowrap_pool **from)
{
	struct cowrap_pool *pool;
	struct cowrap_co *co;
	int cpu;

	/* cleared first: a failure that queues after our scan sets it again */
	WRITE_ONCE(ctx->starved, false);
	for_each_possible_cpu(cpu) {
		pool = per_cpu_ptr(ctx->pools, cpu);
		spin_lock_irq(&pool->lock);
		co = cowrap_pool_dequeue_locked(pool);
		spin_unlock_irq(&pool->lock);
		if (co) {
			WRITE_ONCE(ctx->starved, true);
			*from = pool;
			return co;
		}
	}
	return NULL;
}

/* A coroutine counted in @pool has finished.  pool->lock held. */
static void cowrap_pool_finished_locked(struct cowrap_pool *pool,
					bool allocated)
{
	pool->nr_live--;
	pool->nr_finished++;
	if (allocated)
		pool->nr_allocated--;
}

/*
 * Pick the next coroutine of @w, which has finished one (counted in
 * @from): the oldest of its CPU, or of any CPU while the context is
 * starved.  The finished one stops counting as live only once @w is idle
 * or has its next one, so a drained context has every worker idle.
 * Return: the next coroutine, or NULL with @w idle.
 */
static struct cowrap_co *cowrap_worker_done(struct cowrap_worker *w,
					    struct cowrap_pool *from,
					    bool allocated)
{
	struct cowrap_pool *pool = w->pool, *next_from = pool;
	struct cowrap_ctx *ctx = pool->ctx;
	struct cowrap_co *co;

	spin_lock_irq(&pool->lock);
	co = cowrap_pool_dequeue_locked(pool);
	if (!co && READ_ONCE(ctx->starved)) {
		spin_unlock_irq(&pool->lock);
		co = cowrap_worker_steal(ctx, &next_from);
		spin_lock_irq(&pool->lock);
	}
	if (co) {
		w->from = next_from;
	} else {
		list_add(&w->idle_node, &pool->idle);
		pool->nr_idle++;
	}
	if (from == pool)
		cowrap_pool_finished_locked(pool, allocated);
	spin_unlock_irq(&pool->lock);
	if (from != pool) {
		spin_lock_irq(&from->lock);
		cowrap_pool_finished_locked(from, allocated);
		spin_unlock_irq(&from->lock);
	}
	/* ctx stays alive: destroy stops this thread before freeing it */
	if (READ_ONCE(ctx->cancelling))
		wake_up(&ctx->drain_wq);
	return co;
}

int cowrap_worker_fn(void *data)
{
	struct cowrap_worker *w = data;
	struct cowrap_co *co = NULL;
	bool allocated;

	for (;;) {
		if (!co)
			co = cowrap_worker_wait(w);
		if (!co)
			break;
		allocated = cowrap_co_run(w, co);
		co = cowrap_worker_done(w, w->from, allocated);
	}
	return 0;
}

/*
 * Create a worker bound to @pool's CPU; it takes the oldest queued
 * coroutine of that CPU or goes idle.  Return: 0, -EBUSY at max_workers,
 * or the allocation or kthread error.
 */
static int cowrap_pool_spawn(struct cowrap_pool *pool, bool reserve)
{
	struct cowrap_ctx *ctx = pool->ctx;
	struct cowrap_worker *w;
	struct task_struct *task;
	struct cowrap_co *co;
	int ret = -EBUSY;

	spin_lock_irq(&ctx->lock);
	if (ctx->nr_workers < ctx->max_workers) {
		ctx->nr_workers++;
		ret = 0;
	}
	spin_unlock_irq(&ctx->lock);
	if (ret)
		return ret;

	ret = -ENOMEM;
	w = cowrap_pool_hook_fails() ? NULL : kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		goto err_slot;
	w->pool = pool;
	w->reserve = reserve;
	INIT_LIST_HEAD(&w->idle_node);
	task = kthread_create_on_node(cowrap_worker_fn, w, cpu_to_node(pool->cpu),
				      "cowrap%u:%s", pool->cpu, ctx->name);
	if (IS_ERR(task)) {
		ret = PTR_ERR(task);
		goto err_free;
	}
	w->task = task;

	/*
	 * An offline CPU's pool gets an unbound worker.  Under the hotplug
	 * lock, so that the hotplug callbacks see every worker they must.
	 */
	cpus_read_lock();
	if (cpu_online(pool->cpu))
		kthread_bind(task, pool->cpu);
	spin_lock_irq(&ctx->lock);
	list_add_tail(&w->node, &ctx->workers);
	ctx->nr_spawned++;
	spin_unlock_irq(&ctx->lock);
	cpus_read_unlock();

	spin_lock_irq(&pool->lock);
	pool->nr_workers++;
	co = cowrap_pool_dequeue_locked(pool);
	if (co) {
		cowrap_pool_give(w, pool, co);
	} else {
		list_add(&w->idle_node, &pool->idle);
		pool->nr_idle++;
	}
	spin_unlock_irq(&pool->lock);
	wake_up_process(task);
	return 0;

err_free:
	kfree(w);
err_slot:
	spin_lock_irq(&ctx->lock);
	ctx->nr_workers--;
	spin_unlock_irq(&ctx->lock);
	return ret;
}

/* Lend idle workers of any CPU to @pool's queue.  Process context. */
static void cowrap_pool_lend(struct cowrap_pool *pool)
{
	struct cowrap_ctx *ctx = pool->ctx;
	struct cowrap_worker *w = NULL;
	struct cowrap_pool *other;
	struct cowrap_co *co;
	int cpu;

	for_each_possible_cpu(cpu) {
		other = per_cpu_ptr(ctx->pools, cpu);
		for (;;) {
			spin_lock_irq(&other->lock);
			w = cowrap_pool_idle_locked(other);
			spin_unlock_irq(&other->lock);
			if (!w)
				break;
			spin_lock_irq(&pool->lock);
			co = cowrap_pool_dequeue_locked(pool);
			spin_unlock_irq(&pool->lock);
			if (!co)
				goto give_back;
			cowrap_pool_give(w, pool, co);
			wake_up_process(w->task);
		}
	}
	return;

give_back:
	spin_lock_irq(&other->lock);
	list_add(&w->idle_node, &other->idle);
	other->nr_idle++;
	spin_unlock_irq(&other->lock);
}

/* No worker could be created for @pool: run its queue on other workers. */
static void cowrap_pool_starve(struct cowrap_pool *pool, int err)
{
	struct cowrap_ctx *ctx = pool->ctx;

	WRITE_ONCE(ctx->starved, true);
	cowrap_pool_lend(pool);
	if (err == -EBUSY)
		return;		/* at max_workers: finishing workers take over */
	spin_lock_irq(&ctx->lock);
	ctx->nr_spawn_failed++;
	spin_unlock_irq(&ctx->lock);
	pool->spawn_delay = clamp(pool->spawn_delay * 2, 1UL, (unsigned long)HZ);
	queue_delayed_work(cowrap_spawn_wq, &pool->spawn_work, pool->spawn_delay);
}

/* Create workers while coroutines of this CPU wait for one. */
static void cowrap_pool_spawn_fn(struct work_struct *work)
{
	struct cowrap_pool *pool = container_of(to_delayed_work(work),
						struct cowrap_pool, spawn_work);
	bool need;
	int ret;

	for (;;) {
		spin_lock_irq(&pool->lock);
		need = pool->nr_queued && !pool->nr_idle;
		spin_unlock_irq(&pool->lock);
		if (!need)
			break;
		ret = cowrap_pool_spawn(pool, false);
		if (ret) {
			cowrap_pool_starve(pool, ret);
			return;
		}
		pool->spawn_delay = 0;
	}
}

/*
 * A stopped worker leaves its pool's idle list, where cowrap_pools_exit()
 * finds the idle ones (a reaped worker has left it already): another
 * worker unlinking itself from that list must not meet a freed neighbour.
 */
static void cowrap_worker_forget(struct cowrap_worker *w)
{
	struct cowrap_pool *pool = w->pool;

	spin_lock_irq(&pool->lock);
	if (!list_empty(&w->idle_node)) {
		list_del_init(&w->idle_node);
		pool->nr_idle--;
		pool->nr_workers--;
	}
	spin_unlock_irq(&pool->lock);
}

/* Stop and free the workers handed to the reaper, or, with @all, every one. */
static void cowrap_ctx_stop_workers(struct cowrap_ctx *ctx, bool all)
{
	struct cowrap_worker *w;

	for (;;) {
		spin_lock_irq(&ctx->lock);
		w = all ? list_first_entry_or_null(&ctx->workers,
						   struct cowrap_worker, node) :
			  NULL;
		if (!w)
			w = list_first_entry_or_null(&ctx->dying,
						     struct cowrap_worker, node);
		if (w)
			list_del_init(&w->node);
		spin_unlock_irq(&ctx->lock);
		if (!w)
			return;
		kthread_stop(w->task);
		cowrap_worker_forget(w);
		kfree(w);
		spin_lock_irq(&ctx->lock);
		ctx->nr_workers--;
		spin_unlock_irq(&ctx->lock);
	}
}

static void cowrap_ctx_reap_fn(struct work_struct *work)
{
	cowrap_ctx_stop_workers(container_of(work, struct cowrap_ctx, reap_work),
				false);
}

int cowrap_pools_init(struct cowrap_ctx *ctx, unsigned int reserved)
{
	unsigned int i, cpu = cpumask_first(cpu_online_mask);
	struct cowrap_pool *pool;
	int ret;

	ctx->pools = alloc_percpu(struct cowrap_pool);
	if (!ctx->pools)
		return -ENOMEM;
	ret = cpuhp_state_add_instance_nocalls(cowrap_pool_hp_state,
					       &ctx->hp_node);
	if (ret) {
		free_percpu(ctx->pools);
		ctx->pools = NULL;
		return ret;
	}
	INIT_WORK(&ctx->reap_work, cowrap_ctx_reap_fn);
	for_each_possible_cpu(i) {
		pool = per_cpu_ptr(ctx->pools, i);
		spin_lock_init(&pool->lock);
		INIT_LIST_HEAD(&pool->runq);
		INIT_LIST_HEAD(&pool->idle);
		pool->ctx = ctx;
		pool->cpu = i;
		atomic_set(&pool->nr_parked, 0);
		INIT_DELAYED_WORK(&pool->spawn_work, cowrap_pool_spawn_fn);
	}
	for (i = 0; i < reserved; i++) {
		ret = cowrap_pool_spawn(per_cpu_ptr(ctx->pools, cpu), true);
		if (ret)
			goto err;
		cpu = cpumask_next(cpu, cpu_online_mask);
		if (cpu >= nr_cpu_ids)
			cpu = cpumask_first(cpu_online_mask);
	}
	return 0;

err:
	cowrap_pools_exit(ctx);
	return ret;
}

void cowrap_pools_exit(struct cowrap_ctx *ctx)
{
	int cpu;

	cpuhp_state_remove_instance_nocalls(cowrap_pool_hp_state, &ctx->hp_node);
	for_each_possible_cpu(cpu)
		cancel_delayed_work_sync(&per_cpu_ptr(ctx->pools, cpu)->spawn_work);
	cowrap_ctx_stop_workers(ctx, true);
	/* a worker that reaped itself meanwhile may have queued it */
	flush_work(&ctx->reap_work);
	free_percpu(ctx->pools);
	ctx->pools = NULL;
}

unsigned int cowrap_pools_live(struct cowrap_ctx *ctx, u64 *counted)
{
	struct cowrap_pool *pool;
	unsigned int live = 0;
	int cpu;

	*counted = 0;
	for_each_possible_cpu(cpu) {
		pool = per_cpu_ptr(ctx->pools, cpu);
		spin_lock_irq(&pool->lock);
		live += pool->nr_live;
		*counted += pool->nr_counted;
		spin_unlock_irq(&pool->lock);
	}
	return live;
}

void cowrap_pools_stats(struct cowrap_ctx *ctx, struct cowrap_ctx_stats *st)
{
	struct cowrap_pool *pool;
	unsigned long flags;
	int cpu;

	for_each_possible_cpu(cpu) {
		pool = per_cpu_ptr(ctx->pools, cpu);
		spin_lock_irqsave(&pool->lock, flags);
		st->nr_live += pool->nr_live;
		st->nr_queued += pool->nr_queued;
		st->nr_allocated += pool->nr_allocated;
		st->nr_idle += pool->nr_idle;
		st->nr_workers += pool->nr_workers;
		st->nr_finished += pool->nr_finished + pool->nr_inline;
		spin_unlock_irqrestore(&pool->lock, flags);
		st->nr_parked += atomic_read(&pool->nr_parked);
		st->nr_inline += READ_ONCE(pool->nr_inline);
		st->nr_restarts += READ_ONCE(pool->nr_restarts);
		st->nr_deferred += READ_ONCE(pool->nr_deferred);
	}
}

#define COWRAP_HP_BATCH	16

/*
 * Give every worker of @ctx's pool of @cpu the CPUs @mask.  The callbacks
 * run with the hotplug lock held, so no worker is added meanwhile
 * (cowrap_pool_spawn()); one that is reaped keeps its task alive by the
 * reference taken here.  Setting the affinity may sleep: it is done
 * without the lock, a batch of tasks at a time.
 */
static void cowrap_pool_set_cpus(struct cowrap_ctx *ctx, unsigned int cpu,
				 const struct cpumask *mask)
{
	struct task_struct *batch[COWRAP_HP_BATCH];
	unsigned long seq = ++ctx->hp_seq;
	struct cowrap_worker *w;
	int i, n;

	do {
		n = 0;
		spin_lock_irq(&ctx->lock);
		list_for_each_entry(w, &ctx->workers, node) {
			if (w->pool->cpu != cpu || w->hp_seq == seq)
				continue;
			w->hp_seq = seq;
			get_task_struct(w->task);
			batch[n++] = w->task;
			if (n == COWRAP_HP_BATCH)
				break;
		}
		spin_unlock_irq(&ctx->lock);
		for (i = 0; i < n; i++) {
			/* fails only for a mask with no online CPU */
			WARN_ON_ONCE(set_cpus_allowed_ptr(batch[i], mask));
			put_task_struct(batch[i]);
		}
	} while (n == COWRAP_HP_BATCH);
}

/* @cpu is online again: its pool's workers run there only. */
static int cowrap_pool_cpu_online(unsigned int cpu, struct hlist_node *node)
{
	cowrap_pool_set_cpus(hlist_entry(node, struct cowrap_ctx, hp_node), cpu,
			     cpumask_of(cpu));
	return 0;
}

/* @cpu goes offline: its pool's workers may run anywhere until it is back. */
static int cowrap_pool_cpu_down(unsigned int cpu, struct hlist_node *node)
{
	cowrap_pool_set_cpus(hlist_entry(node, struct cowrap_ctx, hp_node), cpu,
			     cpu_possible_mask);
	return 0;
}

int cowrap_pool_init(void)
{
	int ret;

	cowrap_spawn_wq = alloc_workqueue("cowrap_spawn", WQ_MEM_RECLAIM, 0);
	if (!cowrap_spawn_wq)
		return -ENOMEM;
	ret = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN, "cowrap/co:online",
				      cowrap_pool_cpu_online,
				      cowrap_pool_cpu_down);
	if (ret < 0) {
		destroy_workqueue(cowrap_spawn_wq);
		cowrap_spawn_wq = NULL;
		return ret;
	}
	cowrap_pool_hp_state = ret;
	return 0;
}

void cowrap_pool_exit(void)
{
	cpuhp_remove_multi_state(cowrap_pool_hp_state);
	destroy_workqueue(cowrap_spawn_wq);
	cowrap_spawn_wq = NULL;
}
