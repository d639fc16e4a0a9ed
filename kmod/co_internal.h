/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrap coroutine layer: definitions shared by the co_*.c files only.
 */
#ifndef _COWRAP_CO_INTERNAL_H
#define _COWRAP_CO_INTERNAL_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/wait.h>

#include "coroutine.h"

/*
 * Wake state machine of a coroutine (struct cowrap_co.state).
 *
 *   RUNNING --wake--> PENDING              (wake before yield, kept)
 *   RUNNING --park--> PARKED / PARKED_C    (coroutine parks its worker)
 *   PENDING --park--> RUNNING              (park returns at once)
 *   PARKED* --wake--> RUNNING + wake_up_process(worker)
 *   PARKED_C --own cancel check--> RUNNING (park returns -ECANCELED)
 *
 * Only the coroutine itself leaves RUNNING for PARKED*, and only it turns
 * PENDING back into RUNNING; wakers only do RUNNING->PENDING and
 * PARKED*->RUNNING, with a fully ordered cmpxchg.
 */
enum {
	COWRAP_CO_RUNNING = 0,
	COWRAP_CO_PENDING = 1,
	COWRAP_CO_PARKED = 2,		/* not cancellable */
	COWRAP_CO_PARKED_C = 3,		/* cancellable */
};

#define COWRAP_CO_F_ALLOCATED	0x1

/**
 * struct cowrap_worker - one worker thread of a context
 * @task: the kthread
 * @ctx: owning context
 * @node: link in ctx->all_workers
 * @idle_node: link in ctx->idle while idle
 * @next: coroutine handed to this worker by enter or the manager
 * @co: coroutine running (or parked) on this worker, only used by @task
 */
struct cowrap_worker {
	struct task_struct *task;
	struct cowrap_ctx *ctx;
	struct list_head node;
	struct list_head idle_node;
	struct cowrap_co *next;
	struct cowrap_co *co;
};

/**
 * struct cowrap_ctx - execution context
 * @lock: protects the lists and counters below
 * @runq: entered coroutines waiting for a worker (FIFO)
 * @idle: idle workers (LIFO: the most recently used is reused first)
 * @all_workers: every worker
 * @manager: kthread that spawns workers on demand
 * @drain_wq: cowrap_ctx_destroy() waits here for nr_live to drop to 0
 * @cancelling: set by cowrap_ctx_destroy(); read locklessly by parkers
 * @stalled: coroutines were queued and none started for a stall period:
 *	@max_running is ignored until the run queue is empty again
 * @stall_timer: armed while coroutines wait in @runq because of
 *	@max_running; detects that none started for %COWRAP_CTX_STALL_MS
 * @nr_live: entered and not finished coroutines
 * @nr_queued: length of @runq
 * @nr_allocated: live coroutines allocated by cowrap_co_create()
 * @nr_workers: length of @all_workers
 * @nr_idle: length of @idle
 * @nr_running: workers running a coroutine that is not parked
 * @max_running: concurrency target: a coroutine is started only while
 *	@nr_running is below it (or the context is @stalled)
 * @max_workers: bound of @nr_workers
 * @nr_reserved: workers pre-spawned at creation
 * @nr_finished: finished coroutines
 * @nr_started: coroutines handed to a worker
 * @stall_mark: @nr_started when @stall_timer was armed
 * @nr_stalls: times @stall_timer found no start and set @stalled
 * @name: context name
 */
struct cowrap_ctx {
	spinlock_t lock;
	struct list_head runq;
	struct list_head idle;
	struct list_head all_workers;
	struct task_struct *manager;
	wait_queue_head_t drain_wq;
	bool cancelling;
	bool stalled;
	struct timer_list stall_timer;
	unsigned int nr_live;
	unsigned int nr_queued;
	unsigned int nr_allocated;
	unsigned int nr_workers;
	unsigned int nr_idle;
	unsigned int nr_running;
	unsigned int max_running;
	unsigned int max_workers;
	unsigned int nr_reserved;
	u64 nr_finished;
	u64 nr_started;
	u64 stall_mark;
	u64 nr_stalls;
	char name[24];
};

/**
 * cowrap_worker_fn() - main loop of a worker kthread (co_ctx.c)
 * @data: its struct cowrap_worker
 *
 * Return: 0 when stopped.
 */
int cowrap_worker_fn(void *data);

/**
 * cowrap_co_run() - run a coroutine to completion on a worker (co_core.c)
 * @w: current worker
 * @co: coroutine handed to it
 *
 * Return: true if @co was allocated by cowrap_co_create() (now freed).
 */
bool cowrap_co_run(struct cowrap_worker *w, struct cowrap_co *co);

/**
 * cowrap_co_park() - park the current coroutine until woken (co_core.c)
 * @co: the current coroutine
 * @cancellable: whether cowrap_ctx_destroy() may end the wait
 *
 * Return: 0 when woken, -ECANCELED when @cancellable and the context is
 * being destroyed.
 */
int coroutine_fn cowrap_co_park(struct cowrap_co *co, bool cancellable);

/**
 * cowrap_ctx_queue() - hand an entered coroutine to its context (co_ctx.c)
 * @ctx: context
 * @co: coroutine
 *
 * Gives @co to an idle worker if the context runs fewer than its
 * max_running coroutines, or queues it (kicking the manager if the pool
 * may grow, arming the stall timer if the concurrency target holds it
 * back).  Any context; allocates nothing.
 */
void cowrap_ctx_queue(struct cowrap_ctx *ctx, struct cowrap_co *co);

/**
 * cowrap_ctx_parking() - the current coroutine's worker is about to sleep
 * @ctx: its context
 *
 * Called by cowrap_co_park() once the coroutine is marked parked: the
 * worker stops counting as running, so a queued coroutine may start.
 */
void cowrap_ctx_parking(struct cowrap_ctx *ctx);

/**
 * cowrap_ctx_unparked() - the current coroutine's worker runs again
 * @ctx: its context
 *
 * Called by cowrap_co_park() after a park that cowrap_ctx_parking() began.
 */
void cowrap_ctx_unparked(struct cowrap_ctx *ctx);

/**
 * cowrap_co_current() - coroutine of the current task, no context checks
 *
 * Return: the coroutine if current is a worker running one, else NULL.
 */
struct cowrap_co *cowrap_co_current(void);

/* Set up / tear down the call_noco workqueue (co_poll.c). */
int cowrap_co_poll_init(void);
void cowrap_co_poll_exit(void);

/**
 * cowrap_co_layer_init() - create the default context and workqueue
 *
 * Called once from the module init.
 *
 * Return: 0 or a negative errno.
 */
int cowrap_co_layer_init(void);

/**
 * cowrap_co_layer_exit() - destroy the default context and workqueue
 *
 * Called once from the module exit, after every user of the layer is gone.
 */
void cowrap_co_layer_exit(void);

#endif /* _COWRAP_CO_INTERNAL_H */
