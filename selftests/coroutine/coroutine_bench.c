// SPDX-License-Identifier: GPL-2.0
/*
 * coroutine_bench: runs the "bench" case of cowrap_test.ko and prints the
 * coroutine costs next to the floor of a thread-handoff design: the
 * complete()/wait_for_completion() round trip of two kthreads placed by
 * the scheduler, scaled by the number of thread handoffs each operation
 * needs.  The same ping-pong between two kthreads bound to one CPU (no
 * cross-CPU wake-up) is shown with the ratio of each row to it.  An inline
 * enter -> finish of a restartable coroutine is shown next to a plain
 * indirect call.  The coroutine round trip (both coroutines on workers of
 * one CPU) has a goal, at most 1.3 times the one-CPU ping-pong, printed
 * as a "goal:" line after the TAP result.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "co_common.h"

static long long co_field(const char *msg, const char *key)
{
	const char *p = strstr(msg, key);

	return p ? atoll(p + strlen(key)) : -1;
}

/*
 * One row: cost @ns of an operation of @handoffs thread handoffs, the
 * floor scaled from the round trip @pp, and the ratios to it and to the
 * one-CPU round trip @pp1 scaled the same way.
 */
static void co_row(const char *what, int handoffs, long long ns,
		   long long pp, long long pp1)
{
	long long floor = pp * handoffs / 2, floor1 = pp1 * handoffs / 2;

	printf("%-34s %8d %10lld %10lld %7.2f %10.2f\n", what, handoffs, ns,
	       floor, floor > 0 ? (double)ns / floor : 0.0,
	       floor1 > 0 ? (double)ns / floor1 : 0.0);
}

int main(void)
{
	long long pp, pp1, cpp, rt, cr, inl, call;
	struct utsname u;
	double ratio;
	char msg[CO_MSG_LEN];
	int ret;

	printf("TAP version 13\n1..1\n");
	ret = co_run("bench", msg, sizeof(msg));
	if (ret != 1) {
		printf("# %s\nnot ok 1 coroutine_bench\n",
		       ret < 0 ? strerror(-ret) : msg);
		return 1;
	}
	pp = co_field(msg, "kthread_pingpong_ns=");
	cpp = co_field(msg, "co_pingpong_ns=");
	rt = co_field(msg, "enter_yield_wake_finish_ns=");
	cr = co_field(msg, "create_run_free_ns=");
	pp1 = co_field(msg, "kthread_pingpong_one_cpu_ns=");
	inl = co_field(msg, "inline_enter_finish_ps=");
	call = co_field(msg, "indirect_call_ps=");
	printf("coroutine layer (%s)\n", msg + 5);
	printf("%-34s %8s %10s %10s %7s %10s\n", "operation", "handoffs",
	       "ns/op", "floor ns", "ratio", "vs 1 CPU");
	co_row("kthread complete/wait (floor)", 2, pp, pp, pp1);
	co_row("coroutine wake/yield round trip", 2, cpp, pp, pp1);
	co_row("enter->yield->wake->finish", 4, rt, pp, pp1);
	co_row("create->run->free", 2, cr, pp, pp1);
	co_row("kthread complete/wait, one CPU", 2, pp1, pp, pp1);
	printf("(floor: two kthreads ping-pong, placed by the scheduler; vs 1 CPU:\n"
	       " ratio to the same ping-pong bound to one CPU; median of the runs)\n");
	printf("%-34s %10.1f ns\n", "inline enter->finish (no park)", inl / 1000.0);
	printf("%-34s %10.1f ns  (%.1fx)\n", "plain indirect call", call / 1000.0,
	       call > 0 ? (double)inl / call : 0.0);
	ret = co_unload();
	if (ret)
		printf("# unload cowrap_test: %s\n", strerror(-ret));
	printf("%sok 1 coroutine_bench\n", ret ? "not " : "");
	ratio = pp1 > 0 ? (double)cpp / pp1 : 0.0;
	if (uname(&u))
		strcpy(u.release, "?");
	printf("goal: %s/co-park-wake-roundtrip-vs-one-cpu measured=%.2fx target=<=1.30x %s\n",
	       u.release, ratio, pp1 > 0 && ratio <= 1.30 ? "met" : "missed");
	return ret ? 1 : 0;
}
