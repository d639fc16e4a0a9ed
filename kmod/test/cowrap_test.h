/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrap_test.ko: in-kernel test cases for the coroutine layer.
 *
 * Each case fills a struct ct_result and returns 0 (pass) or a negative
 * errno (fail); userspace runs them through debugfs (see cowrap_test_main.c).
 */
#ifndef _COWRAP_TEST_H
#define _COWRAP_TEST_H

#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>

#include <cowrap/coroutine.h>

#define CT_MSG_LEN	512

struct ct_result {
	char msg[CT_MSG_LEN];
};

/**
 * ct_fail() - record a failure message
 * @r: result
 * @fmt: printf format
 *
 * Return: -EINVAL, to be returned by the case.
 */
__printf(2, 3) int ct_fail(struct ct_result *r, const char *fmt, ...);

/**
 * ct_note() - record an informative message for a passing case
 * @r: result
 * @fmt: printf format
 */
__printf(2, 3) void ct_note(struct ct_result *r, const char *fmt, ...);

/* Fail the case with a message when @cond does not hold. */
#define CT_CHECK(r, cond, fmt, ...)					\
	do {								\
		if (!(cond))						\
			return ct_fail(r, "%s:%d: %s: " fmt, __func__,	\
				       __LINE__, #cond, ##__VA_ARGS__);	\
	} while (0)

/* Poll @cond every millisecond for at most @ms; evaluates to @cond. */
#define ct_wait_until(cond, ms)						\
	({								\
		unsigned long __end = jiffies + msecs_to_jiffies(ms);	\
		bool __ok;						\
		while (!(__ok = (cond)) && time_before(jiffies, __end))	\
			usleep_range(500, 1000);			\
		__ok;							\
	})

/**
 * ct_live() - number of live coroutines of a context
 * @ctx: context
 *
 * Return: nr_live from cowrap_ctx_get_stats().
 */
unsigned int ct_live(struct cowrap_ctx *ctx);

/**
 * ct_wait_idle() - wait until a context has no live coroutine
 * @ctx: context
 * @ms: timeout
 *
 * Return: true when drained in time.
 */
bool ct_wait_idle(struct cowrap_ctx *ctx, unsigned int ms);

typedef int (*ct_case_fn)(struct ct_result *r);

/* ct_basic.c */
int ct_lifecycle(struct ct_result *r);
int ct_embedded_reuse(struct ct_result *r);
int ct_nested_enter(struct ct_result *r);
int ct_yield_wake_order(struct ct_result *r);
int ct_wake_before_yield(struct ct_result *r);
int ct_wake_before_enter(struct ct_result *r);

/* ct_context.c */
int ct_in_coroutine_process(struct ct_result *r);
int ct_in_coroutine_coroutine(struct ct_result *r);
int ct_in_coroutine_hardirq(struct ct_result *r);
int ct_in_coroutine_softirq(struct ct_result *r);
int ct_in_coroutine_workqueue(struct ct_result *r);
int ct_wake_from_hardirq(struct ct_result *r);
int ct_wake_from_softirq(struct ct_result *r);

/* ct_sync.c */
int ct_queue_fifo(struct ct_result *r);
int ct_queue_restart_all(struct ct_result *r);
int ct_mutex_fifo_handoff(struct ct_result *r);
int ct_mutex_exclusion_fairness(struct ct_result *r);
int ct_sleep_accuracy(struct ct_result *r);

/* ct_rwlock.c */
int ct_rwlock_fifo(struct ct_result *r);
int ct_rwlock_upgrade_downgrade(struct ct_result *r);
int ct_rwlock_exclusion(struct ct_result *r);

/* ct_stress.c */
int ct_park_10000(struct ct_result *r);
int ct_ctx_destroy_parked(struct ct_result *r);

/* ct_poll.c */
int ct_poll_co(struct ct_result *r);
int ct_call_noco(struct ct_result *r);
int ct_wrong_context_yield(struct ct_result *r);
int ct_wrong_context_poll_co(struct ct_result *r);
int ct_wrong_context_call_noco(struct ct_result *r);

/* ct_bio.c */
int ct_bio_submit_wait(struct ct_result *r);
int ct_bio_batch(struct ct_result *r);
int ct_bio_batch_finish(struct ct_result *r);

/* ct_engine.c */
int ct_inline_path(struct ct_result *r);
int ct_worker_path(struct ct_result *r);
int ct_deferred_restart(struct ct_result *r);
int ct_inline_hardirq(struct ct_result *r);
int ct_continue_cpu(struct ct_result *r);
int ct_reap_idle(struct ct_result *r);
int ct_spawn_failure(struct ct_result *r);

/* ct_bench.c */
int ct_bench(struct ct_result *r);

#endif /* _COWRAP_TEST_H */
