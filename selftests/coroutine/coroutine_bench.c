// SPDX-License-Identifier: GPL-2.0
/*
 * coroutine_bench: runs the "bench" case of cowrap_test.ko and prints the
 * coroutine costs next to the kthread complete()/wait ping-pong floor.
 * The floor of each row is the ping-pong cost scaled by the number of
 * thread handoffs the operation needs in a thread-handoff design.  The
 * table is informative; the TAP result only says whether it could be
 * measured.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "co_common.h"

static long long co_field(const char *msg, const char *key)
{
	const char *p = strstr(msg, key);

	return p ? atoll(p + strlen(key)) : -1;
}

static void co_row(const char *what, int handoffs, long long ns,
		   long long pingpong)
{
	long long floor = pingpong * handoffs / 2;

	printf("%-34s %8d %10lld %10lld %7.2f\n", what, handoffs, ns, floor,
	       floor > 0 ? (double)ns / floor : 0.0);
}

int main(void)
{
	long long pp, cpp, rt, cr;
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
	printf("coroutine layer (%s)\n", msg + 5);
	printf("%-34s %8s %10s %10s %7s\n", "operation", "handoffs", "ns/op",
	       "floor ns", "ratio");
	co_row("kthread complete/wait round trip", 2, pp, pp);
	co_row("coroutine wake/yield round trip", 2, cpp, pp);
	co_row("enter->yield->wake->finish", 4, rt, pp);
	co_row("create->run->free", 2, cr, pp);
	ret = co_unload();
	if (ret)
		printf("# unload cowrap_test: %s\n", strerror(-ret));
	printf("%sok 1 coroutine_bench\n", ret ? "not " : "");
	return ret ? 1 : 0;
}
