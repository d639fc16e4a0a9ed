/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrap coroutine continuation layer: public API.
 *
 * A coroutine is a function that may park (cowrap_co_yield()) until somebody
 * calls cowrap_co_wake() on it.  There is no stack switching.  A restartable
 * coroutine (cowrap_co_init_restartable()) runs at once on the entering
 * thread, whatever its context, and costs no thread hand-off as long as it
 * does not park; if it must park there, its park point refuses with -EAGAIN
 * before any side effect, the body returns, and the layer runs it again from
 * the top on a worker thread of its context, on the same CPU, where it may
 * park.  Other coroutines run on a worker from their first instruction.  A
 * parked coroutine occupies its worker, an ordinary kernel thread, so the
 * unwinder, lockdep, KASAN and the scheduler see nothing unusual.  Workers
 * are created on demand per CPU and reaped when idle.  See
 * Documentation/coroutines.rst.
 */
#ifndef _COWRAP_COROUTINE_H
#define _COWRAP_COROUTINE_H

#include <linux/atomic.h>
#include <linux/blk_types.h>
#include <linux/completion.h>
#include <linux/gfp.h>
#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include <cowrap/annotations.h>

struct bio;
struct task_struct;

/**
 * typedef cowrap_co_entry_t - entry point of a coroutine
 * @opaque: the pointer given to cowrap_co_init() or cowrap_co_create()
 *
 * Points at a coroutine_fn.  When it returns the coroutine is finished.
 */
typedef void (*cowrap_co_entry_t)(void *opaque);

/**
 * typedef cowrap_co_body_t - body of a restartable coroutine
 * @opaque: the pointer given to cowrap_co_init_restartable()
 *
 * Points at a coroutine_fn that may run more than once: when one of its
 * park points refuses with -EAGAIN (it ran where it cannot park), it must
 * return that -EAGAIN without further side effects, and it runs again from
 * the top on a worker.  Nothing it does before its first park may be
 * harmful to repeat (Documentation/coroutines.rst, "Restartable
 * coroutines").
 *
 * Return: the result handed to the coroutine's done function.
 */
typedef int (*cowrap_co_body_t)(void *opaque);

/**
 * typedef cowrap_co_done_t - completion of a restartable coroutine
 * @opaque: the pointer given to cowrap_co_init_restartable()
 * @ret: what the body returned on its last run
 *
 * Called once, outside coroutine context, after the body's last run: this
 * is where side effects that must not be repeated belong (completing a
 * request).  It may run in any context, hardirq included.
 */
typedef void (*cowrap_co_done_t)(void *opaque, int ret);

/* Execution context; opaque, created by cowrap_ctx_create(). */
struct cowrap_ctx;
struct cowrap_bio_batch;

/**
 * struct cowrap_co - a coroutine
 * @node: run-queue link before it starts, wait-list link while it waits
 * @ctx: execution context whose worker runs it
 * @entry: function run by the coroutine (not restartable)
 * @body: body of a restartable coroutine
 * @done: completion of a restartable coroutine
 * @opaque: argument of @entry, @body and @done
 * @task: worker thread running it (set when it starts on a worker), or
 *	the task it runs inline on with migration disabled
 *	(cowrap_co_enter_sleepable())
 * @wait_on: CoQueue it is queued on (internal, see co_queue.c)
 * @timer: deferred restart of a restartable coroutine (co_sleep.c)
 * @wake_at: CLOCK_MONOTONIC deadline of that restart, in ns
 * @state: wake state machine (internal, see co_internal.h)
 * @entered: set by the first cowrap_co_enter() after initialisation
 * @flags: internal flags (allocated, restartable, inline, refused)
 * @cpu: CPU it was entered on; its worker runs there
 * @last_batch: the bio batch that finishes it (cowrap_co_batch_finish())
 *
 * Embed it (cowrap_co_init(), cowrap_co_init_restartable(), e.g. in a
 * request PDU) or allocate it (cowrap_co_create()).  All fields are private
 * to the coroutine layer.
 */
struct cowrap_co {
	struct list_head node;
	struct cowrap_ctx *ctx;
	cowrap_co_entry_t entry;
	cowrap_co_body_t body;
	cowrap_co_done_t done;
	void *opaque;
	struct task_struct *task;
	void *wait_on;
	struct hrtimer timer;
	u64 wake_at;
	atomic_t state;
	atomic_t entered;
	unsigned int flags;
	unsigned int cpu;
	struct cowrap_bio_batch *last_batch;
};

/**
 * struct cowrap_ctx_stats - snapshot of an execution context's counters
 * @nr_live: coroutines handed to a worker and not yet finished (queued,
 *	running or parked there); one that runs inline is not counted
 * @nr_queued: coroutines waiting for a worker
 * @nr_allocated: entered coroutines from cowrap_co_create() not yet freed
 * @nr_workers: worker threads of the context that can take a coroutine
 *	(one being created or reaped is not counted)
 * @nr_idle: worker threads with no coroutine
 * @nr_parked: coroutines parked on a worker
 * @max_workers: upper bound on @nr_workers
 * @nr_reserved: workers created with the context and never reaped
 * @nr_finished: coroutines that have finished since creation
 * @nr_inline: restartable coroutines that finished inline, on the
 *	entering thread, without a worker
 * @nr_restarts: runs refused inline and restarted on a worker
 * @nr_deferred: restarts deferred to a timer (cowrap_co_sleep_until())
 *	instead of a worker
 * @nr_spawned: workers created since the context was
 * @nr_reaped: idle workers stopped since the context was created
 * @nr_spawn_failed: worker creations that failed (memory, threads-max,
 *	the fail_spawn test hook); queued coroutines waited meanwhile
 */
struct cowrap_ctx_stats {
	unsigned int nr_live;
	unsigned int nr_queued;
	unsigned int nr_allocated;
	unsigned int nr_workers;
	unsigned int nr_idle;
	unsigned int nr_parked;
	unsigned int max_workers;
	unsigned int nr_reserved;
	u64 nr_finished;
	u64 nr_inline;
	u64 nr_restarts;
	u64 nr_deferred;
	u64 nr_spawned;
	u64 nr_reaped;
	u64 nr_spawn_failed;
};

/* Workers created with a context by cowrap_ctx_create() (<= max_workers). */
#define COWRAP_CTX_MIN_WORKERS		1
/* An idle worker beyond the reserve exits after this long. */
#define COWRAP_WORKER_IDLE_MS		2000
/* Upper bound of the default context's worker pool. */
#define COWRAP_DEFAULT_MAX_WORKERS	256
/* Workers kept for the default context. */
#define COWRAP_DEFAULT_RESERVED		2

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
 *	on a worker (running or parked) at the same time (>= 1)
 *
 * Creates min(@max_workers, %COWRAP_CTX_MIN_WORKERS) reserve workers; the
 * others are created on demand, on the CPU that needs one, and stop after
 * %COWRAP_WORKER_IDLE_MS idle.  Process context only (sleeps and
 * allocates).
 *
 * Return: the context, or an ERR_PTR(): -EINVAL for a zero @max_workers or a
 * NULL @name, -ENOMEM or the kthread creation error.
 */
struct cowrap_ctx *cowrap_ctx_create(const char *name, unsigned int max_workers);

/**
 * cowrap_ctx_create_reserved() - create a context with a reserve of workers
 * @name: short name, used for the worker threads' names
 * @max_workers: maximum number of coroutines on a worker at once (>= 1)
 * @reserved: workers created now and never reaped (1 <= @reserved <=
 *	@max_workers)
 *
 * The reserve is what keeps the context going when no thread can be
 * created: a worker that finishes takes queued coroutines of every CPU
 * then.  It must cover the coroutines that can wait for a coroutine of
 * the same context that has not started yet; a block device's requests
 * never do, so one worker is enough for them, whatever the tag count
 * (the forward-progress argument of Documentation/coroutines.rst).
 * Process context.
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
 * every coroutine handed to a worker of @ctx (queued ones included, they
 * still run) and every deferred restart has finished.  Non-cancellable
 * waits (mutex, bio, call_noco) are waited for.  Then stops the workers and
 * frees the context.  The caller guarantees that nothing enters a
 * coroutine of @ctx any more.  Must not be called from a coroutine of @ctx
 * (WARN_ONCE, nothing done) nor for the default context.  Process context.
 */
void cowrap_ctx_destroy(struct cowrap_ctx *ctx);

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
 * cowrap_co_init_restartable() - initialise an embedded restartable coroutine
 * @co: coroutine storage, owned by the caller
 * @ctx: execution context of its workers; NULL means cowrap_default_ctx()
 * @body: coroutine_fn run by the coroutine, possibly more than once
 * @done: called once with @body's last result, outside coroutine context
 * @opaque: argument for @body and @done
 *
 * A restartable coroutine runs inline: cowrap_co_enter() calls @body at
 * once on the entering thread, with preemption disabled, and
 * cowrap_in_coroutine() and cowrap_co_self() say so while it runs.  Its
 * park points cannot park there: they return -EAGAIN before doing
 * anything, @body returns -EAGAIN, and the layer runs @body again from the
 * top on a worker of @ctx on the same CPU (or, after
 * cowrap_co_sleep_until(), inline again from a timer when the deadline
 * has passed).  Allocations in @body use cowrap_co_gfp().  Once @done has
 * been called the layer no longer touches @co.  Allocates nothing; any
 * context.
 */
void cowrap_co_init_restartable(struct cowrap_co *co, struct cowrap_ctx *ctx,
				cowrap_co_body_t body, cowrap_co_done_t done,
				void *opaque);

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
 * A restartable coroutine runs at once on the caller's thread (see
 * cowrap_co_init_restartable()), also when the caller is itself a
 * coroutine; it is handed to a worker only if it must park.  Any other
 * coroutine is queued on its context: an idle worker of the current CPU
 * takes it at once, otherwise one is created for it (up to max_workers)
 * or it waits for a worker to become free.  Such a coroutine never runs on
 * the caller's stack, so entering it from a coroutine (nested enter)
 * returns immediately and both run concurrently.  Allocates nothing; any
 * context but NMI, hardirq included.  Entering twice without
 * re-initialising is refused with a WARN_ONCE.
 */
void cowrap_co_enter(struct cowrap_co *co);

/**
 * cowrap_co_enter_sleepable() - start a coroutine from a context that sleeps
 * @co: initialised coroutine that has not been entered yet
 *
 * cowrap_co_enter() for a caller in task context that may sleep (the
 * queue_rq of a BLK_MQ_F_BLOCKING tag set, a system call).  A restartable
 * body then runs inline with migration, not preemption, disabled:
 * cowrap_co_may_sleep() is true and cowrap_co_gfp() is GFP_NOIO, so it may
 * allocate, take a kernel mutex or submit bios, but it still cannot park (a park
 * point refuses as in cowrap_co_enter()).  When another task's body runs
 * so on this CPU already (it slept), this one runs as cowrap_co_enter()
 * would run it.  The body's last step may be cowrap_co_batch_finish().
 */
void cowrap_co_enter_sleepable(struct cowrap_co *co);

/**
 * cowrap_co_yield() - park the current coroutine until it is woken
 *
 * Returns at once if a cowrap_co_wake() arrived since the coroutine last
 * returned from a wait (a wake is remembered, at most one).  The worker
 * thread stays with the coroutine while it is parked.
 *
 * Return: 0 when woken; -ECANCELED when the context is being destroyed
 * (from then on returned at once unless a wake is pending); -EAGAIN in a
 * restartable coroutine that runs inline and has no wake pending (the
 * body must return it: it restarts on a worker); -EPERM with a WARN_ONCE
 * when called outside a coroutine.
 */
int coroutine_fn cowrap_co_yield(void);

/**
 * cowrap_co_need_worker() - make sure the current coroutine may park
 *
 * A restartable coroutine that arms something that will wake it (submits
 * I/O, queues itself for a wake-up) must call this first, unless it uses
 * one of the layer's wait primitives, which do.  Inline, it refuses: the
 * coroutine is marked for a restart on a worker, and every later park
 * point refuses too until the body has returned.
 *
 * Return: 0 when the coroutine runs on a worker; -EAGAIN inline (return
 * it from the body); -EPERM with a WARN_ONCE outside a coroutine.
 */
int coroutine_fn cowrap_co_need_worker(void);

/**
 * cowrap_co_gfp() - allocation flags for the current coroutine
 *
 * Return: GFP_NOWAIT | __GFP_NOWARN inline with preemption disabled,
 * where the coroutine must not sleep (on failure, cowrap_co_need_worker()
 * moves it to a worker); GFP_NOIO on a worker, inline from
 * cowrap_co_enter_sleepable() and outside coroutines.
 */
gfp_t cowrap_co_gfp(void);

/**
 * cowrap_co_may_sleep() - whether the current coroutine may sleep
 *
 * Return: true on a worker (the coroutine may sleep, reschedule and
 * park) and inline from cowrap_co_enter_sleepable() (it may sleep, not
 * park); false inline with preemption disabled, and outside coroutines.
 */
bool cowrap_co_may_sleep(void);

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
 * hardirq, softirq and NMI context on top of a coroutine).
 */
struct cowrap_co *cowrap_co_self(void);

/**
 * cowrap_in_coroutine() - whether the caller runs inside a coroutine
 *
 * Exact in every context: true while a restartable coroutine runs inline
 * at the current interrupt level of this CPU (task, softirq or hardirq;
 * an interrupt on top of it is not in the coroutine), and in task
 * context on a worker thread that is currently running a coroutine.
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
 * the context is destroyed, -EAGAIN (not queued) inline in a restartable
 * coroutine, -EPERM (WARN_ONCE) outside a coroutine.
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
 * Waiters get the mutex strictly in arrival order.  A restartable
 * coroutine that runs inline takes a free mutex at once and refuses to
 * wait for a held one.
 *
 * Return: 0 with the mutex held; -EAGAIN (not held) inline when it would
 * have to wait; -EPERM with a WARN_ONCE outside a coroutine.
 */
int coroutine_fn cowrap_co_mutex_lock(struct cowrap_co_mutex *m);

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
 * struct cowrap_co_rwlock - read-write lock for coroutines (CoRwlock)
 * @lock: protects the fields
 * @readers: coroutines holding it for reading
 * @owner: coroutine holding it for writing, or NULL
 * @waiters: queued coroutines, in arrival order (private to co_rwlock.c)
 */
struct cowrap_co_rwlock {
	spinlock_t lock;
	unsigned int readers;
	struct cowrap_co *owner;
	struct list_head waiters;
};

/**
 * cowrap_co_rwlock_init() - initialise a coroutine read-write lock
 * @l: lock
 *
 * Allocates nothing; any context.
 */
void cowrap_co_rwlock_init(struct cowrap_co_rwlock *l);

/**
 * cowrap_co_rwlock_rdlock() - take a CoRwlock for reading
 * @l: lock
 *
 * Shared with other readers.  Strict FIFO: while anybody waits (a writer
 * in particular) a new reader queues behind, so writers are not starved.
 * Not cancellable.
 *
 * Return: 0 with the read lock held; -EAGAIN (not held) inline in a
 * restartable coroutine when it would have to wait; -EPERM with a
 * WARN_ONCE outside a coroutine.
 */
int coroutine_fn cowrap_co_rwlock_rdlock(struct cowrap_co_rwlock *l);

/**
 * cowrap_co_rwlock_wrlock() - take a CoRwlock for writing
 * @l: lock
 *
 * Exclusive; waits in FIFO order behind earlier readers and writers.
 * Not cancellable.
 *
 * Return: 0 with the write lock held; -EAGAIN (not held) inline when it
 * would have to wait; -EDEADLK with a WARN_ONCE if the caller holds it
 * for writing already; -EPERM with a WARN_ONCE outside a coroutine.
 */
int coroutine_fn cowrap_co_rwlock_wrlock(struct cowrap_co_rwlock *l);

/**
 * cowrap_co_rwlock_upgrade() - turn a read lock into the write lock
 * @l: lock held for reading by the caller
 *
 * Atomic when the caller is the only reader.  Otherwise the read lock is
 * released and the caller waits for the write lock at the head of the
 * queue, after the other readers: a writer that was waiting may hold the
 * lock in between, so what was read under the read lock must be checked
 * again (as with QEMU's qemu_co_rwlock_upgrade()).  Not cancellable.
 *
 * Return: 0 with the write lock held; -EAGAIN inline when it would have
 * to wait (the read lock is still held); -EPERM with a WARN_ONCE when the
 * caller holds no read lock.
 */
int coroutine_fn cowrap_co_rwlock_upgrade(struct cowrap_co_rwlock *l);

/**
 * cowrap_co_rwlock_downgrade() - turn the write lock into a read lock
 * @l: lock held for writing by the caller
 *
 * Atomic: nobody writes in between.  The readers at the head of the
 * queue get the lock with the caller.  Never parks.
 */
void coroutine_fn cowrap_co_rwlock_downgrade(struct cowrap_co_rwlock *l);

/**
 * cowrap_co_rwlock_unlock() - release a CoRwlock
 * @l: lock held by the caller, for reading or writing
 *
 * The lock passes to the head of the queue (a writer, or every reader up
 * to the next writer) before they are woken.  Releasing a lock one does
 * not hold is refused with a WARN_ONCE.  Never parks.
 */
void coroutine_fn cowrap_co_rwlock_unlock(struct cowrap_co_rwlock *l);

/**
 * cowrap_co_sleep_ns() - park the current coroutine for a time
 * @ns: nanoseconds (CLOCK_MONOTONIC, relative); 0 just lets the timer fire
 *
 * A high-resolution timer wakes the coroutine; it never returns early
 * except when cancelled.
 *
 * Return: 0, -ECANCELED if the context is destroyed meanwhile, -EAGAIN
 * inline (no timer armed), -EPERM (WARN_ONCE) outside a coroutine.
 */
int coroutine_fn cowrap_co_sleep_ns(u64 ns);

/**
 * cowrap_co_sleep_until() - park the current coroutine until a deadline
 * @deadline: ktime_get_ns() value to wait for
 *
 * Returns at once when @deadline has passed, so a restartable coroutine
 * that keeps its deadline in its own state sleeps only once across
 * restarts.  Inline, it arms the coroutine's own timer and refuses: the
 * body returns -EAGAIN and runs again, inline, from the timer (hardirq)
 * once @deadline has passed, with no worker thread in between.
 *
 * Return: as cowrap_co_sleep_ns().
 */
int coroutine_fn cowrap_co_sleep_until(u64 deadline);

/**
 * cowrap_co_submit_bio_wait() - submit a bio and park until it completes
 * @bio: bio with its device, sectors, pages and opf set; its bi_end_io and
 *	bi_private are overwritten
 *
 * Not cancellable (the I/O must finish before its pages are released).
 * The bio is not put; the caller owns it.
 *
 * Return: the bio's status; BLK_STS_AGAIN (bio not submitted) inline in a
 * restartable coroutine; BLK_STS_NOTSUPP (WARN_ONCE, bio not submitted)
 * outside a coroutine.
 */
blk_status_t coroutine_fn cowrap_co_submit_bio_wait(struct bio *bio);

/**
 * struct cowrap_bio_batch - bios of one coroutine in flight together
 * @pending: bios submitted and not yet ended, plus one until the owner
 *	waits (internal)
 * @status: the first failed bio's blk_status_t, 0 while none (internal)
 * @co: the coroutine that waits (internal)
 * @finish: the last bio to end finishes @co (internal)
 *
 * Fan-out / fan-in: cowrap_co_batch_init(), any number of
 * cowrap_co_batch_submit(), then one cowrap_co_batch_wait(), which parks
 * once until every bio has ended and returns the first error.  Lives on
 * the coroutine's stack or in its state; allocates nothing.
 *
 * Or, as the last step of a restartable coroutine:
 * cowrap_co_batch_init_last(), the submits, then
 * ``return cowrap_co_batch_finish(b);`` from the body: nothing parks, and
 * the coroutine's done function is called with the batch's result when
 * the last bio has ended.  The batch must then outlive the body (the
 * coroutine's state, e.g. a request's PDU, not its stack).
 */
struct cowrap_bio_batch {
	atomic_t pending;
	atomic_t status;
	struct cowrap_co *co;
	bool finish;
};

/**
 * cowrap_co_batch_init() - start a batch of bios for the current coroutine
 * @b: batch
 *
 * Inline in a restartable coroutine this refuses, before anything is
 * armed: the body returns -EAGAIN and runs again on a worker, where the
 * bios are built and submitted (Documentation/coroutines.rst, rule 4).
 *
 * Return: 0; -EAGAIN inline; -EPERM (WARN_ONCE) outside a coroutine.
 */
int coroutine_fn cowrap_co_batch_init(struct cowrap_bio_batch *b);

/**
 * cowrap_co_batch_submit() - submit one bio of a batch
 * @b: batch set up by cowrap_co_batch_init()
 * @bio: bio with its device, sector, pages and opf set, allocated with
 *	bio_alloc*() or bio_alloc_clone(); its bi_end_io and bi_private are
 *	overwritten and the batch puts it (bio_put()) when it ends
 *
 * Never parks: the bio is in flight on return, with the others of @b.
 */
void coroutine_fn cowrap_co_batch_submit(struct cowrap_bio_batch *b,
					 struct bio *bio);

/**
 * cowrap_co_batch_submit_embedded() - submit a bio of a batch that the caller owns
 * @b: batch set up by cowrap_co_batch_init() or cowrap_co_batch_init_last()
 * @bio: bio set up with bio_init() or bio_init_clone() in memory of the
 *	caller's (e.g. the state of the I/O it serves: one allocation less
 *	per I/O), its device, sector, pages and opf set; its bi_end_io and
 *	bi_private are overwritten and the batch uninitialises it
 *	(bio_uninit()) when it ends, then never touches it again
 *
 * As cowrap_co_batch_submit(), but the batch does not free @bio: its
 * memory must stay valid until @bio has ended, which the batch's end
 * (cowrap_co_batch_wait() returning, or the done function of
 * cowrap_co_batch_finish()) guarantees.
 */
void coroutine_fn cowrap_co_batch_submit_embedded(struct cowrap_bio_batch *b,
						  struct bio *bio);

/**
 * cowrap_co_batch_error() - fail a batch without a bio
 * @b: batch
 * @st: status (not BLK_STS_OK), e.g. a bio that could not be allocated
 *
 * The batch still waits for the bios already submitted.
 */
void cowrap_co_batch_error(struct cowrap_bio_batch *b, blk_status_t st);

/**
 * cowrap_co_batch_inflight() - bios of a batch that have not ended yet
 * @b: batch, not yet waited for
 *
 * Return: a snapshot (for statistics: how many ran side by side).
 */
unsigned int cowrap_co_batch_inflight(struct cowrap_bio_batch *b);

/**
 * cowrap_co_batch_wait() - park until every bio of a batch has ended
 * @b: batch; may be reused with cowrap_co_batch_init() afterwards
 *
 * Parks at most once: the last bio to end wakes the coroutine, whatever
 * the order and context (hardirq included) the bios end in.  Not
 * cancellable (the bios' pages must stay until the I/O is done).
 *
 * Return: BLK_STS_OK, or the status of the first bio that failed (or of
 * cowrap_co_batch_error()).
 */
blk_status_t coroutine_fn cowrap_co_batch_wait(struct cowrap_bio_batch *b);

/**
 * cowrap_co_batch_init_last() - start the batch that ends a coroutine
 * @b: batch, in the coroutine's state (it must outlive the body)
 *
 * For a restartable coroutine whose last step is this batch, ended with
 * cowrap_co_batch_finish().  Refuses (the body returns -EAGAIN and runs
 * again on a worker) only where bios cannot be submitted: inline with
 * preemption disabled (cowrap_co_enter()).  Inline on a task that may
 * sleep (cowrap_co_enter_sleepable()) and on a worker it arms the batch,
 * so the body must not reach a park point from here on.
 *
 * Return: 0; -EAGAIN inline where bios cannot be submitted; -EPERM
 * (WARN_ONCE) outside a coroutine, -EINVAL (WARN_ONCE) in one that is not
 * restartable (it has no done function to finish with).
 */
int coroutine_fn cowrap_co_batch_init_last(struct cowrap_bio_batch *b);

/**
 * cowrap_co_batch_finish() - end the coroutine when its last batch has ended
 * @b: batch set up by cowrap_co_batch_init_last(), its bios submitted
 *
 * The body returns what this returns and does nothing after it.  The
 * coroutine's done function is called once, with 0 or the errno of the
 * batch's first error (blk_status_to_errno()), when both the body has
 * returned and every bio has ended: from the body's caller if the bios
 * have all ended by then, otherwise from the last bio's completion (any
 * context, hardirq included; outside coroutine context either way).
 *
 * Return: -EIOCBQUEUED, for the body to return.
 */
int coroutine_fn cowrap_co_batch_finish(struct cowrap_bio_batch *b);

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
 * Return: 0 once @fn has returned; -EAGAIN (fn not run) inline in a
 * restartable coroutine; -EPERM with a WARN_ONCE (fn not run) outside a
 * coroutine.
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

/**
 * cowrap_co_test_fail_spawn() - test hook: make worker creation fail
 * @n: fail the next @n creations; -1 fails all of them, 0 none
 *
 * Also the module parameter fail_spawn.  For tests of the forward-progress
 * guarantee only.
 */
void cowrap_co_test_fail_spawn(int n);

#endif /* _COWRAP_COROUTINE_H */
