// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap coroutine layer: coroutine lifecycle, inline runs, yield and wake.
 *
 * A restartable coroutine first runs inline, on the entering thread, with
 * preemption disabled; a per-CPU slot per interrupt level says which
 * coroutine runs there, so cowrap_co_self() is exact without touching the
 * task.  Entered by cowrap_co_enter_sleepable(), it runs with migration
 * disabled instead and may sleep; its slot then names its task too, for
 * the tasks that run on the CPU while it sleeps.  Its park points refuse (-EAGAIN) instead of sleeping; when the
 * body returns after a refusal the coroutine goes to a worker of the same
 * CPU (or to its own timer, see co_sleep.c) and runs again from the top.
 * Any other coroutine runs on a worker from its first instruction.  On a
 * worker, yielding parks the worker; waking moves the coroutine's state
 * back to RUNNING and wakes the worker.  The state machine is documented
 * in co_internal.h.
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "co_internal.h"

/* Interrupt levels an inline coroutine can run at: task, softirq, hardirq. */
#define COWRAP_CO_LEVELS	3

/* The coroutine running inline at each level of this CPU, or NULL. */
static DEFINE_PER_CPU(struct cowrap_co *[COWRAP_CO_LEVELS], cowrap_inline_co);

/* Interrupt level of the caller; NMI is not one (nothing runs inline). */
static int cowrap_co_level(void)
{
	if (in_nmi())
		return -1;
	if (in_hardirq())
		return 2;
	if (in_serving_softirq())
		return 1;
	return 0;
}

struct cowrap_co *cowrap_co_current(void)
{
	struct cowrap_worker *w;

	if (!(current->flags & PF_KTHREAD))
		return NULL;
	if (kthread_func(current) != (void *)cowrap_worker_fn)
		return NULL;
	w = kthread_data(current);
	return w->co;
}

struct cowrap_co *cowrap_co_self(void)
{
	int level = cowrap_co_level();
	struct cowrap_co *co;

	if (level < 0)
		return NULL;
	/*
	 * An inline coroutine keeps preemption disabled, so a slot that is
	 * set belongs to whoever runs at that level of this CPU now: us.
	 */
	co = this_cpu_read(cowrap_inline_co[level]);
	/*
	 * A sleepable one (task level only) may have been preempted: the slot
	 * is ours if it names us; a task that reads it cannot be migrated
	 * into it, since its owner's migration is disabled.
	 */
	if (co && (!(co->flags & COWRAP_CO_F_SLEEPABLE) ||
		   READ_ONCE(co->task) == current))
		return co;
	if (level)
		return NULL;
	return cowrap_co_current();
}
EXPORT_SYMBOL_GPL(cowrap_co_self);

bool cowrap_in_coroutine(void)
{
	return cowrap_co_self() != NULL;
}
EXPORT_SYMBOL_GPL(cowrap_in_coroutine);

static void cowrap_co_setup(struct cowrap_co *co, struct cowrap_ctx *ctx,
			    void *opaque, unsigned int flags)
{
	INIT_LIST_HEAD(&co->node);
	co->ctx = ctx ? ctx : cowrap_default_ctx();
	co->entry = NULL;
	co->body = NULL;
	co->done = NULL;
	co->opaque = opaque;
	co->task = NULL;
	co->wait_on = NULL;
	co->wake_at = 0;
	atomic_set(&co->state, COWRAP_CO_RUNNING);
	atomic_set(&co->entered, 0);
	co->flags = flags;
	co->cpu = 0;
	co->last_batch = NULL;
}

void cowrap_co_init(struct cowrap_co *co, struct cowrap_ctx *ctx,
		    cowrap_co_entry_t entry, void *opaque)
{
	cowrap_co_setup(co, ctx, opaque, 0);
	co->entry = entry;
}
EXPORT_SYMBOL_GPL(cowrap_co_init);

void cowrap_co_init_restartable(struct cowrap_co *co, struct cowrap_ctx *ctx,
				cowrap_co_body_t body, cowrap_co_done_t done,
				void *opaque)
{
	cowrap_co_setup(co, ctx, opaque, COWRAP_CO_F_RESTARTABLE);
	co->body = body;
	co->done = done;
}
EXPORT_SYMBOL_GPL(cowrap_co_init_restartable);

struct cowrap_co *cowrap_co_create(struct cowrap_ctx *ctx,
				   cowrap_co_entry_t entry, void *opaque,
				   gfp_t gfp)
{
	struct cowrap_co *co = kmalloc(sizeof(*co), gfp);

	if (!co)
		return NULL;
	cowrap_co_init(co, ctx, entry, opaque);
	co->flags = COWRAP_CO_F_ALLOCATED;
	return co;
}
EXPORT_SYMBOL_GPL(cowrap_co_create);

/* Checks and bookkeeping common to both enters: false if refused. */
static bool cowrap_co_enter_once(struct cowrap_co *co)
{
	if (WARN_ONCE(!co->ctx, "cowrap: coroutine %ps has no context (layer not initialised)\n",
		      co->entry ? (void *)co->entry : (void *)co->body))
		return false;
	if (WARN_ONCE(atomic_xchg(&co->entered, 1),
		      "cowrap: coroutine %ps entered twice\n",
		      co->entry ? (void *)co->entry : (void *)co->body))
		return false;
	co->cpu = raw_smp_processor_id();
	return true;
}

void cowrap_co_enter(struct cowrap_co *co)
{
	if (!cowrap_co_enter_once(co))
		return;
	if ((co->flags & COWRAP_CO_F_RESTARTABLE) && !in_nmi())
		cowrap_co_run_inline(co, false);
	else
		cowrap_pool_queue(co);
}
EXPORT_SYMBOL_GPL(cowrap_co_enter);

void cowrap_co_enter_sleepable(struct cowrap_co *co)
{
	might_sleep();
	if (!cowrap_co_enter_once(co))
		return;
	if (co->flags & COWRAP_CO_F_RESTARTABLE)
		cowrap_co_run_inline(co, true);
	else
		cowrap_pool_queue(co);
}
EXPORT_SYMBOL_GPL(cowrap_co_enter_sleepable);

/*
 * The body returned after a refused park: it runs again on a worker of
 * the same CPU, or from its timer if cowrap_co_sleep_until() asked for it.
 * A wake that arrived in between was armed before the refused park.
 */
static void cowrap_co_restart(struct cowrap_co *co, int ret)
{
	bool defer = co->flags & COWRAP_CO_F_DEFER;
	int old;

	WARN_ONCE(ret != -EAGAIN,
		  "cowrap: %ps returned %d after a refused park, not -EAGAIN\n",
		  co->body, ret);
	co->flags &= ~(COWRAP_CO_F_REFUSED | COWRAP_CO_F_DEFER);
	old = atomic_xchg(&co->state, COWRAP_CO_RESTART);
	WARN_ONCE(old != COWRAP_CO_RUNNING,
		  "cowrap: %ps was woken before its first park; it armed a wake-up before parking inline (call cowrap_co_need_worker() first)\n",
		  co->body);
	cowrap_pool_count_restart(co, defer);
	if (defer) {
		cowrap_pool_defer_begin(co);
		/* once per initialisation: it may be re-armed from its callback */
		if (!(co->flags & COWRAP_CO_F_TIMER)) {
			hrtimer_init(&co->timer, CLOCK_MONOTONIC,
				     HRTIMER_MODE_ABS_HARD);
			co->timer.function = cowrap_co_defer_fire;
			co->flags |= COWRAP_CO_F_TIMER;
		}
		hrtimer_start(&co->timer, ns_to_ktime(co->wake_at),
			      HRTIMER_MODE_ABS_HARD);
	} else {
		cowrap_pool_queue(co);
	}
}

void cowrap_co_call_done(struct cowrap_co *co, int ret)
{
	cowrap_co_done_t done = co->done;
	void *opaque = co->opaque;
	struct cowrap_co *prev;
	int level;

	/*
	 * done runs in interrupts too, so it does not sleep; preemption stays
	 * off across it, as in an RCU read-side section, so that the
	 * destruction of the coroutine's context (synchronize_rcu(), after its
	 * device's last request) waits until this bio's end_io is out of it.
	 */
	preempt_disable();
	level = cowrap_co_level();
	prev = this_cpu_read(cowrap_inline_co[level]);
	/* a bio that ended inside another coroutine's inline run */
	if (prev)
		this_cpu_write(cowrap_inline_co[level], NULL);
	done(opaque, ret);
	if (prev)
		this_cpu_write(cowrap_inline_co[level], prev);
	preempt_enable();
}

/*
 * The body returned @ret and the layer is done with @co: call its done
 * function, or let the batch it finishes with do it.
 */
static void cowrap_co_finish(struct cowrap_co *co, int ret)
{
	struct cowrap_bio_batch *b = co->last_batch;

	if (!b) {
		/* last access: the owner may reuse @co from here on */
		co->done(co->opaque, ret);
		return;
	}
	WARN_ONCE(ret != -EIOCBQUEUED,
		  "cowrap: %ps returned %d after cowrap_co_batch_finish(), not its -EIOCBQUEUED\n",
		  co->body, ret);
	co->last_batch = NULL;
	cowrap_co_batch_release(b);
}

/*
 * Run the body inline.  A sleepable run needs a preemptible task and a
 * free task-level slot (not another task's sleepable run, which sleeps
 * now, nor a nested enter); it then disables migration and names its
 * task, so that cowrap_co_self() in the tasks that run here meanwhile
 * does not take it for theirs.  Otherwise the run is atomic.
 */
static int cowrap_co_run_body(struct cowrap_co *co, bool sleepable)
{
	struct cowrap_co *prev;
	int level, ret;

	/* without CONFIG_PREEMPT_COUNT, preemptible() is false: no sleeping */
	sleepable = sleepable && preemptible();
	preempt_disable();
	level = cowrap_co_level();
	prev = this_cpu_read(cowrap_inline_co[level]);
	if (level || prev)
		sleepable = false;
	if (sleepable) {
		WRITE_ONCE(co->task, current);
		co->flags |= COWRAP_CO_F_SLEEPABLE;
		migrate_disable();
	}
	this_cpu_write(cowrap_inline_co[level], co);
	co->flags |= COWRAP_CO_F_INLINE;
	if (sleepable)
		preempt_enable();
	/*
	 * A restart from the timer; a first run keeps a pending wake.  Only
	 * the layer leaves RESTART, so no cmpxchg is needed.
	 */
	if (atomic_read(&co->state) == COWRAP_CO_RESTART)
		atomic_set(&co->state, COWRAP_CO_RUNNING);
	/* indirect call: no checker needs __cowrap_co_context_enter() here */
	ret = co->body(co->opaque);
	if (sleepable)
		preempt_disable();
	co->flags &= ~(COWRAP_CO_F_INLINE | COWRAP_CO_F_SLEEPABLE);
	this_cpu_write(cowrap_inline_co[level], prev);
	if (sleepable) {
		WRITE_ONCE(co->task, NULL);
		migrate_enable();
	}
	preempt_enable();
	return ret;
}

void cowrap_co_run_inline(struct cowrap_co *co, bool sleepable)
{
	int ret = cowrap_co_run_body(co, sleepable);

	if (co->flags & COWRAP_CO_F_REFUSED) {
		cowrap_co_restart(co, ret);
		return;
	}
	cowrap_pool_count_inline(co);
	cowrap_co_finish(co, ret);
}

bool cowrap_co_run(struct cowrap_worker *w, struct cowrap_co *co)
{
	bool allocated = co->flags & COWRAP_CO_F_ALLOCATED;
	void *opaque = co->opaque;
	unsigned int noio;
	int ret;

	/* published to wakers by the full barrier of the parking cmpxchg */
	WRITE_ONCE(co->task, current);
	w->co = co;
	/* reclaim must not recurse into the I/O this coroutine may serve */
	noio = memalloc_noio_save();
	if (co->flags & COWRAP_CO_F_RESTARTABLE) {
		if (atomic_read(&co->state) == COWRAP_CO_RESTART)
			atomic_set(&co->state, COWRAP_CO_RUNNING);
		ret = co->body(opaque);
		memalloc_noio_restore(noio);
		w->co = NULL;
		cowrap_co_finish(co, ret);
		return false;
	}
	/* indirect call: no checker needs __cowrap_co_context_enter() here */
	co->entry(opaque);
	memalloc_noio_restore(noio);
	w->co = NULL;
	/* an embedded @co may already be reused by its owner: hands off */
	if (allocated)
		kfree(co);
	return allocated;
}

int cowrap_co_may_park(struct cowrap_co *co)
{
	if (!(co->flags & COWRAP_CO_F_INLINE))
		return 0;
	co->flags |= COWRAP_CO_F_REFUSED;
	return -EAGAIN;
}

int coroutine_fn cowrap_co_need_worker(void)
{
	struct cowrap_co *co = cowrap_co_self();

	if (!co) {
		WARN_ONCE(1, "cowrap: cowrap_co_need_worker() called outside a coroutine\n");
		return -EPERM;
	}
	return cowrap_co_may_park(co);
}
EXPORT_SYMBOL_GPL(cowrap_co_need_worker);

/* Inline with preemption disabled: neither sleep nor park. */
static bool cowrap_co_atomic(const struct cowrap_co *co)
{
	return (co->flags & (COWRAP_CO_F_INLINE | COWRAP_CO_F_SLEEPABLE)) ==
		COWRAP_CO_F_INLINE;
}

bool cowrap_co_may_sleep(void)
{
	struct cowrap_co *co = cowrap_co_self();

	return co && !cowrap_co_atomic(co);
}
EXPORT_SYMBOL_GPL(cowrap_co_may_sleep);

gfp_t cowrap_co_gfp(void)
{
	struct cowrap_co *co = cowrap_co_self();

	if (co && cowrap_co_atomic(co))
		return GFP_NOWAIT | __GFP_NOWARN;
	return GFP_NOIO;
}
EXPORT_SYMBOL_GPL(cowrap_co_gfp);

int coroutine_fn cowrap_co_park(struct cowrap_co *co, bool cancellable)
{
	int parked = cancellable ? COWRAP_CO_PARKED_C : COWRAP_CO_PARKED;
	int old, ret = 0;

	if (co->flags & COWRAP_CO_F_INLINE) {
		/* a wake that came first needs no worker: consume it */
		if (!(co->flags & COWRAP_CO_F_REFUSED) &&
		    atomic_cmpxchg(&co->state, COWRAP_CO_PENDING,
				   COWRAP_CO_RUNNING) == COWRAP_CO_PENDING)
			return 0;
		return cowrap_co_may_park(co);
	}
	old = atomic_cmpxchg(&co->state, COWRAP_CO_RUNNING, parked);
	if (old == COWRAP_CO_PENDING) {
		/* the wake came first: consume it */
		atomic_set(&co->state, COWRAP_CO_RUNNING);
		return 0;
	}
	WARN_ON_ONCE(old != COWRAP_CO_RUNNING);

	cowrap_pool_parking(co, 1);
	for (;;) {
		set_current_state(TASK_IDLE);
		old = atomic_read_acquire(&co->state);
		if (old != COWRAP_CO_PARKED && old != COWRAP_CO_PARKED_C)
			break;
		if (cancellable && READ_ONCE(co->ctx->cancelling) &&
		    atomic_cmpxchg(&co->state, COWRAP_CO_PARKED_C,
				   COWRAP_CO_RUNNING) == COWRAP_CO_PARKED_C) {
			ret = -ECANCELED;
			break;
		}
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	cowrap_pool_parking(co, -1);
	return ret;
}

int coroutine_fn cowrap_co_yield(void)
{
	struct cowrap_co *co = cowrap_co_self();

	if (!co) {
		WARN_ONCE(1, "cowrap: cowrap_co_yield() called outside a coroutine\n");
		return -EPERM;
	}
	if (!(co->flags & COWRAP_CO_F_INLINE))
		might_sleep();
	return cowrap_co_park(co, true);
}
EXPORT_SYMBOL_GPL(cowrap_co_yield);

void cowrap_co_wake(struct cowrap_co *co)
{
	struct task_struct *task;
	int old;

	/*
	 * Once the cmpxchg below succeeds @co may run, finish and even let
	 * its context be destroyed; the RCU section keeps the worker's
	 * task_struct valid until wake_up_process() is done, because
	 * cowrap_ctx_destroy() does synchronize_rcu() before stopping workers.
	 */
	rcu_read_lock();
	for (;;) {
		old = atomic_read_acquire(&co->state);
		if (old == COWRAP_CO_PENDING)
			break;
		if (old == COWRAP_CO_RESTART) {
			WARN_ONCE(1, "cowrap: %ps woken while waiting for its restart; the wake-up was armed before a refused park and is dropped\n",
				  co->body);
			break;
		}
		if (old == COWRAP_CO_RUNNING) {
			if (atomic_cmpxchg(&co->state, old,
					   COWRAP_CO_PENDING) == old)
				break;
			continue;
		}
		/* parked: ->task was set before the parking cmpxchg */
		task = READ_ONCE(co->task);
		if (atomic_cmpxchg(&co->state, old, COWRAP_CO_RUNNING) == old) {
			wake_up_process(task);
			break;
		}
	}
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(cowrap_co_wake);
