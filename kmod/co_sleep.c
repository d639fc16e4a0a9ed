// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap coroutine layer: timed sleep.
 *
 * A hard-irq hrtimer on the coroutine's stack wakes it.  The coroutine
 * always cancels the timer before its frame goes away; hrtimer_cancel()
 * waits for a callback that is still running.
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
