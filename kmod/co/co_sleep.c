// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap coroutine layer: timed sleep.
 *
 * On a worker, a hard-irq hrtimer on the coroutine's stack wakes it.  The
 * coroutine always cancels the timer before its frame goes away;
 * hrtimer_cancel() waits for a callback that is still running.
 *
 * Inline, a restartable coroutine cannot sleep.  cowrap_co_sleep_until()
 * then arms the coroutine's own timer (struct cowrap_co.timer, a hard-irq
 * hrtimer, as null_blk's irqmode=2 completes requests) and refuses; when
 * it fires, the body runs again inline in the timer's interrupt and finds
 * its deadline passed: a latency costs no thread at all.
 */
#include <linux/hrtimer.h>
#include <linux/module.h>

#include "co_internal.h"

struct cowrap_sleep {
	struct hrtimer timer;
	struct cowrap_co *co;
	bool fired;
};

static enum hrtimer_restart cowrap_sleep_fire(struct hrtimer *timer)
{
	struct cowrap_sleep *s = container_of(timer, struct cowrap_sleep, timer);
	struct cowrap_co *co = s->co;

	WRITE_ONCE(s->fired, true);
	cowrap_co_wake(co);
	return HRTIMER_NORESTART;
}

int coroutine_fn cowrap_co_sleep_ns(u64 ns)
{
	struct cowrap_co *co = cowrap_co_self();
	struct cowrap_sleep s;
	int ret = 0;

	if (!co) {
		WARN_ONCE(1, "cowrap: cowrap_co_sleep_ns() called outside a coroutine\n");
		return -EPERM;
	}
	ret = cowrap_co_may_park(co);
	if (ret)
		return ret;
	s.co = co;
	s.fired = false;
	hrtimer_init_on_stack(&s.timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	s.timer.function = cowrap_sleep_fire;
	hrtimer_start(&s.timer, ns_to_ktime(ns), HRTIMER_MODE_REL_HARD);

	/*
	 * The timer wakes us exactly once, so always park at least once to
	 * take that wake even when it already came: checking ->fired first
	 * would leave it pending for the next wait.
	 */
	do {
		ret = cowrap_co_park(co, true);
	} while (!ret && !READ_ONCE(s.fired));
	hrtimer_cancel(&s.timer);
	if (ret == -ECANCELED && READ_ONCE(s.fired)) {
		/* the timer fired after all: its wake is pending, take it */
		cowrap_co_park(co, false);
		ret = 0;
	}
	destroy_hrtimer_on_stack(&s.timer);
	return ret;
}
EXPORT_SYMBOL_GPL(cowrap_co_sleep_ns);

int coroutine_fn cowrap_co_sleep_until(u64 deadline)
{
	struct cowrap_co *co = cowrap_co_self();
	u64 now = ktime_get_ns();

	if (!co) {
		WARN_ONCE(1, "cowrap: cowrap_co_sleep_until() called outside a coroutine\n");
		return -EPERM;
	}
	if (now >= deadline)
		return 0;
	if (!(co->flags & COWRAP_CO_F_INLINE))
		return cowrap_co_sleep_ns(deadline - now);
	/* after another refusal the body restarts on a worker as planned */
	if (!(co->flags & COWRAP_CO_F_REFUSED)) {
		co->wake_at = deadline;
		co->flags |= COWRAP_CO_F_DEFER;
	}
	return cowrap_co_may_park(co);
}
EXPORT_SYMBOL_GPL(cowrap_co_sleep_until);

enum hrtimer_restart cowrap_co_defer_fire(struct hrtimer *timer)
{
	struct cowrap_co *co = container_of(timer, struct cowrap_co, timer);
	struct cowrap_pool *pool = cowrap_co_pool(co);

	/* may finish @co, re-arm this timer, or hand @co to a worker */
	cowrap_co_run_inline(co, false);
	cowrap_pool_put(pool);
	return HRTIMER_NORESTART;
}
