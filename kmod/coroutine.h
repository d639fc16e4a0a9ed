/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrap coroutine continuation layer: public API.
 *
 * A coroutine is a function that runs on a kernel worker thread owned by an
 * execution context (struct cowrap_ctx) and may park that thread
 * (cowrap_co_yield()) until somebody calls cowrap_co_wake() on it.  There is
 * no stack switching: each running or parked coroutine occupies one worker
 * kthread of its context, so the unwinder, lockdep, KASAN and the scheduler
 * see ordinary kernel threads.  See Documentation/coroutines.rst.
 */
#ifndef _COWRAP_COROUTINE_H
#define _COWRAP_COROUTINE_H

#include <linux/atomic.h>
#include <linux/blk_types.h>
#include <linux/completion.h>
#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "annotations.h"

struct bio;
struct task_struct;

/**
 * typedef cowrap_co_entry_t - entry point of a coroutine
 * @opaque: the pointer given to cowrap_co_init() or cowrap_co_create()
 *
 * Points at a coroutine_fn.  When it returns the coroutine is finished.
 */
typedef void (*cowrap_co_entry_t)(void *opaque);

/* Execution context; opaque, created by cowrap_ctx_create(). */
struct cowrap_ctx;

/**
 * struct cowrap_co - a coroutine
 * @node: run-queue link before it starts, wait-list link while it waits
 * @ctx: execution context whose worker runs it
 * @entry: function run by the coroutine
 * @opaque: argument of @entry
 * @task: worker thread running it (set when it starts)
 * @wait_on: CoQueue it is queued on (internal, see co_queue.c)
 * @state: wake state machine (internal, see co_internal.h)
 * @entered: set by the first cowrap_co_enter() after initialisation
 * @flags: internal flags (allocated by cowrap_co_create())
 *
 * Embed it (cowrap_co_init(), e.g. in a request PDU) or allocate it
 * (cowrap_co_create()).  All fields are private to the coroutine layer.
 */
struct cowrap_co {
	struct list_head node;
	struct cowrap_ctx *ctx;
	cowrap_co_entry_t entry;
	void *opaque;
	struct task_struct *task;
	void *wait_on;
	atomic_t state;
	atomic_t entered;
	unsigned int flags;
};

/**
 * struct cowrap_ctx_stats - snapshot of an execution context's counters
 * @nr_live: coroutines entered and not yet finished (queued, running, parked)
 * @nr_queued: entered coroutines still waiting for a worker
 * @nr_allocated: entered coroutines from cowrap_co_create() not yet freed
 * @nr_workers: worker threads owned by the context
 * @nr_idle: worker threads with no coroutine
 * @max_workers: upper bound on @nr_workers
 * @nr_reserved: workers spawned at creation and never given back
 * @nr_finished: coroutines that have finished since creation
 * @nr_running: workers running a coroutine that is not parked
 * @max_running: the context's concurrency target
 *	(cowrap_ctx_set_max_running())
 * @nr_stalls: times queued coroutines were started past @max_running
 *	because none had started for %COWRAP_CTX_STALL_MS
 */
struct cowrap_ctx_stats {
	unsigned int nr_live;
	unsigned int nr_queued;
	unsigned int nr_allocated;
	unsigned int nr_workers;
	unsigned int nr_idle;
	unsigned int max_workers;
	unsigned int nr_reserved;
	u64 nr_finished;
	unsigned int nr_running;
	unsigned int max_running;
	u64 nr_stalls;
};

/* Period after which queued coroutines start past the concurrency target. */
#define COWRAP_CTX_STALL_MS		10
/* Workers pre-spawned by cowrap_ctx_create() (at most max_workers). */
#define COWRAP_CTX_MIN_WORKERS		2
/* Upper bound of the default context's worker pool. */
#define COWRAP_DEFAULT_MAX_WORKERS	256
/* Workers pre-spawned for the default context. */
#define COWRAP_DEFAULT_RESERVED		4

/**
 * cowrap_default_ctx() - the module-wide default execution context
 *
 * Created by cowrap_co_layer_init() and destroyed by cowrap_co_layer_exit().
 * Its pool holds at most %COWRAP_DEFAULT_MAX_WORKERS workers.
 *
 * Return: the default context (never NULL while the module is loaded).
 */
struct cowrap_ctx *cowrap_default_ctx(void);

/**
 * cowrap_ctx_create() - create an execution context
 * @name: short name, used for the worker threads' names
 * @max_workers: maximum number of coroutines of this context that can be
 *	running or parked at the same time (>= 1)
 *
 * Pre-spawns min(@max_workers, %COWRAP_CTX_MIN_WORKERS) workers; further
 * workers are spawned on demand by the context's manager thread.  Process
 * context only (sleeps and allocates).
 *
 * Return: the context, or an ERR_PTR(): -EINVAL for a zero @max_workers or a
 * NULL @name, -ENOMEM or the kthread creation error.
 */
struct cowrap_ctx *cowrap_ctx_create(const char *name, unsigned int max_workers);

/**
 * cowrap_ctx_create_reserved() - create a context with a reserved pool
 * @name: short name, used for the worker threads' names
 * @max_workers: maximum number of running or parked coroutines (>= 1)
 * @reserved: workers spawned now and kept for the context's lifetime
 *	(<= @max_workers)
 *
 * A context whose @reserved covers every coroutine that can be live at once
 * (for a block device: the tag count plus a reserve for wrappers) never
 * needs memory to start a coroutine: this is the forward-progress
 * guarantee described in Documentation/coroutines.rst.  Process context.
 *
 * Return: the context, or an ERR_PTR() (-EINVAL, -ENOMEM, kthread error).
 */
struct cowrap_ctx *cowrap_ctx_create_reserved(const char *name,
					      unsigned int max_workers,
					      unsigned int reserved);

/**
 * cowrap_ctx_destroy() - tear down an execution context
 * @ctx: context to destroy; NULL is ignored
 *
 * Marks the context as cancelling, wakes every coroutine parked in a
 * cancellable wait (cowrap_co_yield(), cowrap_co_queue_wait*(),
 * cowrap_co_sleep_ns()), which then returns -ECANCELED, and waits until
 * every coroutine entered in @ctx (queued ones included, they still run) has
 * returned.  Non-cancellable waits (mutex, bio, call_noco) are waited for.
 * Then stops the workers and frees the context.  Must not be called from a
 * coroutine of @ctx (WARN_ONCE, nothing done) nor for the default context.
 * Process context.
 */
void cowrap_ctx_destroy(struct cowrap_ctx *ctx);

/**
 * cowrap_ctx_set_max_running() - set a context's concurrency target
 * @ctx: context
 * @n: how many coroutines of @ctx may run (not parked) at once; clamped
 *	to 1..max_workers
 *
 * An entered coroutine starts at once only while fewer than @n coroutines
 * of @ctx run; otherwise it waits in the run queue until one finishes or
 * parks, which takes it without a thread wake-up.  A coroutine that blocks
 * outside the layer (a kernel mutex, an allocation) still counts as
 * running: when none of the queued coroutines could start for
 * %COWRAP_CTX_STALL_MS, they start regardless of @n until the queue is
 * empty, so a coroutine waiting that way for a queued one is not
 * deadlocked.  The default is min(max_workers, num_online_cpus()).  Any
 * context.
 */
void cowrap_ctx_set_max_running(struct cowrap_ctx *ctx, unsigned int n);

/**
 * cowrap_ctx_get_stats() - read a context's counters
 * @ctx: context
 * @st: filled with a consistent snapshot
 *
 * Any context.
 */
void cowrap_ctx_get_stats(struct cowrap_ctx *ctx, struct cowrap_ctx_stats *st);

/**
 * cowrap_co_init() - initialise an embedded coroutine
 * @co: coroutine storage, owned by the caller
 * @ctx: execution context to run in; NULL means cowrap_default_ctx()
 * @entry: coroutine_fn to run
 * @opaque: argument for @entry
 *
 * Allocates nothing.  A coroutine is entered at most once per
 * initialisation; once @entry has returned the layer no longer touches
 * @co, so the owner may free or re-initialise it from inside @entry's last
 * action (e.g. completing the request that embeds it).  Any context.
 */
void cowrap_co_init(struct cowrap_co *co, struct cowrap_ctx *ctx,
		    cowrap_co_entry_t entry, void *opaque);

/**
 * cowrap_co_create() - allocate and initialise a coroutine
 * @ctx: execution context to run in; NULL means cowrap_default_ctx()
 * @entry: coroutine_fn to run
 * @opaque: argument for @entry
 * @gfp: allocation flags
 *
 * The coroutine is freed by the layer when @entry returns.  A coroutine
 * that is never entered must be freed with kfree().
 *
 * Return: the coroutine or NULL if the allocation failed.
 */
struct cowrap_co *cowrap_co_create(struct cowrap_ctx *ctx,
				   cowrap_co_entry_t entry, void *opaque,
				   gfp_t gfp);

/**
 * cowrap_co_enter() - start a coroutine
 * @co: initialised coroutine that has not been entered yet
 *
 * Queues @co on its context: an idle worker takes it at once, otherwise the
 * manager spawns one (up to max_workers) or it waits for a worker to become
 * free.  Never runs @co on the caller's stack, so entering from a coroutine
 * (nested enter) returns immediately and both run concurrently.  Allocates
 * nothing; any context, hardirq included.  Entering twice without
 * re-initialising is refused with a WARN_ONCE.
 */
void cowrap_co_enter(struct cowrap_co *co);

/**
 * cowrap_co_yield() - park the current coroutine until it is woken
 *
 * Returns at once if a cowrap_co_wake() arrived since the coroutine last
 * returned from a wait (a wake is remembered, at most one).  The worker
 * thread stays with the coroutine while it is parked.
 *
 * Return: 0 when woken; -ECANCELED when the context is being destroyed
 * (from then on returned at once unless a wake is pending); -EPERM with a
 * WARN_ONCE when called outside a coroutine.
 */
int coroutine_fn cowrap_co_yield(void);

/**
 * cowrap_co_wake() - make a parked coroutine runnable again
 * @co: coroutine that is parked or still running (a wake before the
 *	matching yield is kept); it must not have finished
 *
 * Allocates nothing and never sleeps: any context except NMI, hardirq and
 * softirq included.  The caller must not touch @co after the call
 * unless it otherwise knows that @co is still alive.
 */
void cowrap_co_wake(struct cowrap_co *co);

/**
 * cowrap_co_self() - the coroutine running on the current thread
 *
 * Return: the current coroutine, or NULL outside a coroutine (including in
 * hardirq, softirq and NMI context on a worker thread).
 */
struct cowrap_co *cowrap_co_self(void);

/**
 * cowrap_in_coroutine() - whether the caller runs inside a coroutine
 *
 * Exact in every context: true only in task context on a worker thread
 * that is currently running a coroutine.
 *
 * Return: true inside a coroutine.
 */
bool cowrap_in_coroutine(void);

/**
 * struct cowrap_co_queue - FIFO queue of waiting coroutines (CoQueue)
 * @lock: protects @waiters
 * @waiters: parked coroutines, oldest first
 */
struct cowrap_co_queue {
	spinlock_t lock;
	struct list_head waiters;
};

/**
 * struct cowrap_co_mutex - sleeping mutex for coroutines (CoMutex)
 * @lock: protects the other fields
 * @owner: coroutine holding the mutex, or NULL
 * @waiters: coroutines waiting for it, oldest first
 */
struct cowrap_co_mutex {
	spinlock_t lock;
	struct cowrap_co *owner;
	struct list_head waiters;
};

/**
 * cowrap_co_queue_init() - initialise a wait queue
 * @q: queue
 */
void cowrap_co_queue_init(struct cowrap_co_queue *q);

/**
 * cowrap_co_queue_wait() - wait on a queue until woken
 * @q: queue
 *
 * Appends the current coroutine to @q and parks it until
 * cowrap_co_queue_next() or cowrap_co_queue_restart_all() picks it.
 * Cancellable.
 *
 * Return: 0 when woken by the queue, -ECANCELED (not queued any more) when
 * the context is destroyed, -EPERM (WARN_ONCE) outside a coroutine.
 */
int coroutine_fn cowrap_co_queue_wait(struct cowrap_co_queue *q);

/**
 * cowrap_co_queue_wait_mutex() - wait on a queue, releasing a mutex
 * @q: queue
 * @m: mutex held by the caller, or NULL
 *
 * Like cowrap_co_queue_wait(), but the coroutine is on @q before @m is
 * released, so a waker that takes @m cannot miss it; @m is taken again
 * before returning (also on -ECANCELED), as with a condition variable.
 *
 * Return: as cowrap_co_queue_wait().
 */
int coroutine_fn cowrap_co_queue_wait_mutex(struct cowrap_co_queue *q,
					    struct cowrap_co_mutex *m);

/**
 * cowrap_co_queue_next() - wake the oldest waiter of a queue
 * @q: queue
 *
 * Any context.
 *
 * Return: true if a coroutine was woken, false if @q was empty.
 */
bool cowrap_co_queue_next(struct cowrap_co_queue *q);

/**
 * cowrap_co_queue_restart_all() - wake every waiter of a queue
 * @q: queue
 *
 * Wakes them in FIFO order.  Any context.
 *
 * Return: the number of coroutines woken.
 */
unsigned int cowrap_co_queue_restart_all(struct cowrap_co_queue *q);

/**
 * cowrap_co_queue_empty() - whether a queue has no waiter
 * @q: queue
 *
 * Return: true if nobody waits on @q at the time of the call.
 */
bool cowrap_co_queue_empty(struct cowrap_co_queue *q);

/**
 * cowrap_co_mutex_init() - initialise a coroutine mutex
 * @m: mutex
 */
void cowrap_co_mutex_init(struct cowrap_co_mutex *m);

/**
 * cowrap_co_mutex_lock() - take a coroutine mutex
 * @m: mutex, not held by the caller
 *
 * Parks the coroutine (not cancellable) until the mutex is handed to it.
 * Waiters get the mutex strictly in arrival order.  Calling it outside a
 * coroutine is refused with a WARN_ONCE.
 */
void coroutine_fn cowrap_co_mutex_lock(struct cowrap_co_mutex *m);

/**
 * cowrap_co_mutex_unlock() - release a coroutine mutex
 * @m: mutex held by the caller
 *
 * If coroutines wait, ownership passes directly to the oldest one, so
 * nobody can overtake it.  Releasing a mutex one does not own is refused
 * with a WARN_ONCE.
 */
void coroutine_fn cowrap_co_mutex_unlock(struct cowrap_co_mutex *m);

/**
 * cowrap_co_sleep_ns() - park the current coroutine for a time
 * @ns: nanoseconds (CLOCK_MONOTONIC, relative); 0 just lets the timer fire
 *
 * A high-resolution timer wakes the coroutine; it never returns early
 * except when cancelled.
 *
 * Return: 0, -ECANCELED if the context is destroyed meanwhile, -EPERM
 * (WARN_ONCE) outside a coroutine.
 */
int coroutine_fn cowrap_co_sleep_ns(u64 ns);

/**
 * cowrap_co_submit_bio_wait() - submit a bio and park until it completes
 * @bio: bio with its device, sectors, pages and opf set; its bi_end_io and
 *	bi_private are overwritten
 *
 * Not cancellable (the I/O must finish before its pages are released).
 * The bio is not put; the caller owns it.
 *
 * Return: the bio's status; BLK_STS_NOTSUPP (WARN_ONCE, bio not submitted)
 * outside a coroutine.
 */
blk_status_t coroutine_fn cowrap_co_submit_bio_wait(struct bio *bio);

/**
 * struct cowrap_poll_co - state of one cowrap_poll_co() call
 * @co: the coroutine running the entry
 * @done: completed when the entry has returned
 * @entry: the entry
 * @opaque: its argument
 *
 * Lives in the synchronous wrapper's frame; private to the layer.
 */
struct cowrap_poll_co {
	struct cowrap_co co;
	struct completion done;
	cowrap_co_entry_t entry;
	void *opaque;
};

/**
 * cowrap_poll_co() - run a coroutine and wait for it from outside
 * @p: call state, usually on the caller's stack
 * @ctx: context to run in; NULL means cowrap_default_ctx()
 * @entry: coroutine_fn to run
 * @opaque: argument for @entry
 *
 * Starts @entry in a coroutine of @ctx and sleeps (uninterruptibly, on a
 * completion) until it has returned.  The completion is the last thing the
 * coroutine touches, so @p may go away as soon as this returns.  Process
 * context only.
 *
 * Return: 0 once @entry has returned; -EDEADLK with a WARN_ONCE (entry not
 * run) from a coroutine; -EPERM with a WARN_ONCE (entry not run) from
 * atomic or interrupt context; -ENODEV with a WARN_ONCE when @ctx is NULL
 * and the layer has no default context.
 */
int no_coroutine_fn cowrap_poll_co(struct cowrap_poll_co *p,
				   struct cowrap_ctx *ctx,
				   cowrap_co_entry_t entry, void *opaque);

/**
 * struct cowrap_noco_call - state of one cowrap_co_call_noco() call
 * @work: work item running the function
 * @co: coroutine to wake afterwards
 * @fn: the function
 * @opaque: its argument
 *
 * Lives in the coroutine's frame; private to the layer.
 */
struct cowrap_noco_call {
	struct work_struct work;
	struct cowrap_co *co;
	void (*fn)(void *opaque);
	void *opaque;
};

/**
 * cowrap_co_call_noco() - run a function outside coroutine context
 * @c: call state, usually on the coroutine's stack
 * @fn: function to run; it may sleep and call no_coroutine_fn code
 * @opaque: argument for @fn
 *
 * Runs @fn(@opaque) on the layer's WQ_MEM_RECLAIM workqueue and parks the
 * coroutine (not cancellable) until @fn has returned.
 *
 * Return: 0 once @fn has returned; -EPERM with a WARN_ONCE (fn not run)
 * outside a coroutine.
 */
int coroutine_fn cowrap_co_call_noco(struct cowrap_noco_call *c,
				     void (*fn)(void *opaque), void *opaque);

/**
 * struct cowrap_poll_call - a cowrap_poll_co_killable() call
 * @poll: the call state
 * @ref: one reference for the caller, one for the running coroutine
 * @release: frees the object that embeds the call when the last reference
 *	goes (may sleep: called from the coroutine or the caller)
 *
 * Embed it in a heap object that also holds everything the entry uses:
 * a killed caller returns while the coroutine still runs.
 */
struct cowrap_poll_call {
	struct cowrap_poll_co poll;
	refcount_t ref;
	void (*release)(struct cowrap_poll_call *c);
};

/**
 * cowrap_poll_call_init() - prepare a killable call
 * @c: call state, in a heap object
 * @release: frees that object; called once, when the last reference goes
 *
 * The caller holds the one reference; drop it with cowrap_poll_call_put().
 */
void cowrap_poll_call_init(struct cowrap_poll_call *c,
			   void (*release)(struct cowrap_poll_call *c));

/**
 * cowrap_poll_call_put() - drop a reference to a killable call
 * @c: call state
 */
void cowrap_poll_call_put(struct cowrap_poll_call *c);

/**
 * cowrap_poll_co_killable() - cowrap_poll_co() that a fatal signal ends
 * @c: call state from cowrap_poll_call_init()
 * @ctx: context to run in; NULL means cowrap_default_ctx()
 * @entry: coroutine_fn to run
 * @opaque: its argument; must stay valid until @c is released
 *
 * Like cowrap_poll_co(), but the wait is killable: on a fatal signal it
 * returns -EINTR at once while the coroutine runs on to its end, holding
 * its own reference to @c, so nothing it uses is freed under it.
 * Process context only.
 *
 * Return: 0 once @entry has returned; -EINTR on a fatal signal (@entry
 * still running or done); the errors of cowrap_poll_co() (entry not run).
 */
int no_coroutine_fn cowrap_poll_co_killable(struct cowrap_poll_call *c,
					    struct cowrap_ctx *ctx,
					    cowrap_co_entry_t entry,
					    void *opaque);

#endif /* _COWRAP_COROUTINE_H */
