/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrap coroutine layer: definitions shared by the co_*.c files only.
 */
#ifndef _COWRAP_CO_INTERNAL_H
#define _COWRAP_CO_INTERNAL_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <cowrap/coroutine.h>

#include "co_layer.h"

/*
 * Wake state machine of a coroutine (struct cowrap_co.state).
 *
 *   RUNNING --wake--> PENDING              (wake before yield, kept)
 *   RUNNING --park--> PARKED / PARKED_C    (coroutine parks its worker)
 *   PENDING --park--> RUNNING              (park returns at once)
 *   PARKED* --wake--> RUNNING + wake_up_process(worker)
 *   PARKED_C --own cancel check--> RUNNING (park returns -ECANCELED)
 *   RUNNING --body returns after a refused park--> RESTART
 *   RESTART --its worker or timer runs the body again--> RUNNING
 *
 * Only the coroutine itself leaves RUNNING for PARKED*, and only it turns
 * PENDING back into RUNNING; wakers only do RUNNING->PENDING and
 * PARKED*->RUNNING, with a fully ordered cmpxchg.  A wake that finds
 * RESTART (or PENDING when the body returns after a refusal) was armed
 * before a refused park: it is reported and dropped, the restarted body
 * arms its own.
 */
enum {
	COWRAP_CO_RUNNING = 0,
	COWRAP_CO_PENDING = 1,
	COWRAP_CO_PARKED = 2,		/* not cancellable */
	COWRAP_CO_PARKED_C = 3,		/* cancellable */
	COWRAP_CO_RESTART = 4,		/* waiting to run its body again */
};

#define COWRAP_CO_F_ALLOCATED	0x1	/* from cowrap_co_create() */
#define COWRAP_CO_F_RESTARTABLE	0x2	/* body/done, may run inline */
#define COWRAP_CO_F_INLINE	0x4	/* running inline now: cannot park */
#define COWRAP_CO_F_REFUSED	0x8	/* a park was refused on this run */
#define COWRAP_CO_F_DEFER	0x10	/* restart from ->timer at ->wake_at */
#define COWRAP_CO_F_TIMER	0x20	/* ->timer is initialised */
#define COWRAP_CO_F_SLEEPABLE	0x40	/* inline on ->task, migration disabled */

/**
 * struct cowrap_worker - one worker thread of a context
 * @task: the kthread
 * @pool: the per-CPU pool it belongs to (it is bound to that CPU)
 * @node: link in ctx->workers
 * @idle_node: link in pool->idle while idle
 * @next: coroutine handed to this worker
 * @from: pool that counts @next (or @co) as live
 * @co: coroutine running (or parked) on this worker, only used by @task
 * @hp_seq: the last CPU-hotplug pass that set its affinity (ctx->lock)
 * @reserve: never reaped
 */
struct cowrap_worker {
	struct task_struct *task;
	struct cowrap_pool *pool;
	struct list_head node;
	struct list_head idle_node;
	struct cowrap_co *next;
	struct cowrap_pool *from;
	struct cowrap_co *co;
	unsigned long hp_seq;
	bool reserve;
};

/**
 * struct cowrap_pool - the part of a context that belongs to one CPU
 * @lock: protects everything below but @spawn_work
 * @runq: coroutines waiting for a worker of this CPU (FIFO)
 * @idle: idle workers of this CPU (LIFO: the warmest first)
 * @ctx: owning context
 * @cpu: the CPU
 * @nr_live: coroutines counted here and not finished (see co_pool.c)
 * @nr_counted: coroutines ever counted in @nr_live
 * @nr_queued: length of @runq
 * @nr_allocated: live coroutines from cowrap_co_create() counted here
 * @nr_idle: length of @idle
 * @nr_workers: workers bound to this CPU
 * @nr_parked: coroutines parked on workers of this CPU
 * @nr_finished: coroutines finished on workers of this CPU
 * @nr_inline: restartable coroutines finished inline on this CPU
 * @nr_restarts: refused inline runs restarted from this CPU
 * @nr_deferred: restarts deferred to a timer from this CPU
 * @spawn_work: creates workers for @runq (process context)
 * @spawn_delay: back-off of @spawn_work after a failed creation, jiffies
 *
 * One per possible CPU (alloc_percpu), so CPUs share no lock or cache
 * line on the enter, park and finish paths.
 */
struct cowrap_pool {
	spinlock_t lock;
	struct list_head runq;
	struct list_head idle;
	struct cowrap_ctx *ctx;
	unsigned int cpu;
	int nr_live;
	u64 nr_counted;
	unsigned int nr_queued;
	int nr_allocated;
	unsigned int nr_idle;
	unsigned int nr_workers;
	atomic_t nr_parked;
	u64 nr_finished;
	u64 nr_inline;
	u64 nr_restarts;
	u64 nr_deferred;
	struct delayed_work spawn_work;
	unsigned long spawn_delay;
};

/**
 * struct cowrap_ctx - execution context
 * @pools: per-CPU pools
 * @lock: protects @workers, @dying and the counters that follow them
 * @workers: every worker
 * @dying: reaped workers waiting for cowrap_ctx_reap_fn() to stop them
 * @reap_work: stops the workers on @dying
 * @drain_wq: cowrap_ctx_destroy() waits here for the pools to drain
 * @cancelling: set by cowrap_ctx_destroy(); read locklessly by parkers
 * @starved: a worker could not be created: finishing workers take
 *	queued coroutines of every CPU until the queues are empty
 * @nr_workers: length of @workers (with @dying)
 * @max_workers: bound of @nr_workers
 * @nr_reserved: workers never reaped
 * @nr_spawned: workers created
 * @nr_reaped: workers reaped
 * @nr_spawn_failed: failed creations
 * @hp_node: instance of the pools' CPU-hotplug state
 * @hp_seq: CPU-hotplug passes over @workers (serialised by the hotplug lock)
 * @name: context name
 */
struct cowrap_ctx {
	struct cowrap_pool __percpu *pools;
	spinlock_t lock;
	struct list_head workers;
	struct list_head dying;
	struct work_struct reap_work;
	wait_queue_head_t drain_wq;
	bool cancelling;
	bool starved;
	unsigned int nr_workers;
	unsigned int max_workers;
	unsigned int nr_reserved;
	u64 nr_spawned;
	u64 nr_reaped;
	u64 nr_spawn_failed;
	struct hlist_node hp_node;
	unsigned long hp_seq;
	char name[24];
};

/**
 * cowrap_worker_fn() - main loop of a worker kthread (co_pool.c)
 * @data: its struct cowrap_worker
 *
 * Return: 0 when stopped.
 */
int cowrap_worker_fn(void *data);

/**
 * cowrap_co_run() - run a coroutine on the current worker (co_core.c)
 * @w: current worker
 * @co: coroutine handed to it
 *
 * Runs @co's entry, or its body and then its done function, to the end.
 *
 * Return: true if @co was allocated by cowrap_co_create() (now freed).
 */
bool cowrap_co_run(struct cowrap_worker *w, struct cowrap_co *co);

/**
 * cowrap_co_run_inline() - run a restartable coroutine's body here
 * @co: the coroutine, in state RUNNING
 * @sleepable: the caller is in task context and may sleep
 *
 * Runs the body as this CPU's inline coroutine of the current interrupt
 * level, with preemption disabled, or with migration disabled when
 * @sleepable and no other task's sleepable body holds the slot; then
 * finishes @co (cowrap_co_finish()), or hands it to a worker (or its
 * timer) if a park was refused.  Any context but NMI.
 */
void cowrap_co_run_inline(struct cowrap_co *co, bool sleepable);

/**
 * cowrap_co_call_done() - call a restartable coroutine's done function
 * @co: the coroutine, whose body has returned
 * @ret: its result
 *
 * Outside coroutine context even when called from inside another
 * coroutine's inline run (a bio of a finishing batch that ends there).
 * @co may be reused from the call on.  Any context.
 */
void cowrap_co_call_done(struct cowrap_co *co, int ret);

/**
 * cowrap_co_batch_release() - the body of a finishing batch has returned
 * @b: the batch it returned cowrap_co_batch_finish() for (co_bio.c)
 *
 * Drops the body's hold: the batch's last bio, or this call if they have
 * all ended, finishes the coroutine.
 */
void cowrap_co_batch_release(struct cowrap_bio_batch *b);

/**
 * cowrap_co_park() - park the current coroutine until woken (co_core.c)
 * @co: the current coroutine
 * @cancellable: whether cowrap_ctx_destroy() may end the wait
 *
 * Return: 0 when woken, -ECANCELED when @cancellable and the context is
 * being destroyed, -EAGAIN when @co runs inline (it must restart).
 */
int coroutine_fn cowrap_co_park(struct cowrap_co *co, bool cancellable);

/**
 * cowrap_co_may_park() - refuse if @co cannot park where it runs
 * @co: the current coroutine
 *
 * Return: 0, or -EAGAIN with @co marked for a restart (co_core.c).
 */
int cowrap_co_may_park(struct cowrap_co *co);

/**
 * cowrap_pool_queue() - hand a coroutine to a worker (co_pool.c)
 * @co: coroutine to start (or restart) on a worker of @co->cpu's pool
 *
 * Gives @co to an idle worker of that CPU, or queues it and asks for a
 * worker to be created.  Any context but NMI; allocates nothing.
 */
void cowrap_pool_queue(struct cowrap_co *co);

/**
 * cowrap_pool_parking() - the current worker's coroutine parks or resumes
 * @co: the coroutine
 * @delta: +1 when it parks, -1 when it runs again
 */
void cowrap_pool_parking(struct cowrap_co *co, int delta);

/**
 * cowrap_pool_count_inline() - count a coroutine that finished inline
 * @co: the coroutine (still valid)
 */
void cowrap_pool_count_inline(struct cowrap_co *co);

/**
 * cowrap_pool_count_restart() - count a refused run
 * @co: the coroutine
 * @deferred: restarted from its timer rather than a worker
 */
void cowrap_pool_count_restart(struct cowrap_co *co, bool deferred);

/**
 * cowrap_pool_defer_begin() - a deferred restart keeps the context alive
 * @co: coroutine whose timer is about to be armed
 */
void cowrap_pool_defer_begin(struct cowrap_co *co);

/**
 * cowrap_co_pool() - the pool of the CPU a coroutine was entered on
 * @co: the coroutine
 *
 * Return: that pool, which counts @co while it is on a worker or timer.
 */
struct cowrap_pool *cowrap_co_pool(struct cowrap_co *co);

/**
 * cowrap_pool_put() - drop what cowrap_pool_defer_begin() counted
 * @pool: the coroutine's pool, taken with cowrap_co_pool() before the
 *	coroutine ran again (it may be gone by now)
 */
void cowrap_pool_put(struct cowrap_pool *pool);

/**
 * cowrap_co_current() - coroutine of the current task, no context checks
 *
 * Return: the coroutine if current is a worker running one, else NULL.
 */
struct cowrap_co *cowrap_co_current(void);

/**
 * cowrap_pools_init() - set up the per-CPU pools of a new context
 * @ctx: context whose ->lock, lists and limits are initialised
 * @reserved: reserve workers to create, spread over the online CPUs
 *
 * Return: 0 or a negative errno (nothing left allocated).
 */
int cowrap_pools_init(struct cowrap_ctx *ctx, unsigned int reserved);

/**
 * cowrap_pools_exit() - stop every worker and free the pools
 * @ctx: drained context
 */
void cowrap_pools_exit(struct cowrap_ctx *ctx);

/**
 * cowrap_pools_live() - coroutines still counted in a context's pools
 * @ctx: context
 * @counted: set to the number ever counted, so that a caller comparing
 *	two calls sees a coroutine counted in between
 *
 * Return: the number of live coroutines.
 */
unsigned int cowrap_pools_live(struct cowrap_ctx *ctx, u64 *counted);

/**
 * cowrap_pools_stats() - add the pools' counters to a snapshot
 * @ctx: context
 * @st: snapshot to add to
 */
void cowrap_pools_stats(struct cowrap_ctx *ctx, struct cowrap_ctx_stats *st);

/* The deferred restart timer of a restartable coroutine (co_sleep.c). */
enum hrtimer_restart cowrap_co_defer_fire(struct hrtimer *timer);

/* Set up / tear down the call_noco workqueue (co_poll.c). */
int cowrap_co_poll_init(void);
void cowrap_co_poll_exit(void);

/*
 * Set up / tear down the worker-creation workqueue and the CPU-hotplug
 * state that keeps each pool's workers bound to its CPU (co_pool.c).
 */
int cowrap_pool_init(void);
void cowrap_pool_exit(void);

#endif /* _COWRAP_CO_INTERNAL_H */
