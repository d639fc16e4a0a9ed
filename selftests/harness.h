/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small kselftest-style test harness printing TAP 13.
 *
 *	TEST(name) { ASSERT_EQ(f(), 0); }
 *	TEST_TIMEOUT(slow, 120) { ... }
 *	TEST_HARNESS_MAIN
 *
 * Every case runs in a forked child with a timeout; a case fails when an
 * ASSERT fails, when it crashes, or when it runs out of time. Cases run in
 * the order they are defined. Run one case by naming it on the command line.
 * COWRAP_TIMEOUT_SCALE=N in the environment multiplies every timeout (the
 * VM runner sets it for a slower debug kernel).
 */
#ifndef _COWRAP_HARNESS_H
#define _COWRAP_HARNESS_H

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define TH_DEFAULT_TIMEOUT	30
#define TH_MAX_TESTS		256
#define TH_SKIP_STATUS		4

struct th_test {
	const char *name;
	void (*fn)(void);
	unsigned int timeout;
};

static struct th_test th_tests[TH_MAX_TESTS];
static unsigned int th_ntests;

/* State of the running case (in the forked child). */
static int th_failed;

static inline void th_register(const char *name, void (*fn)(void),
			       unsigned int timeout)
{
	if (th_ntests == TH_MAX_TESTS) {
		fprintf(stderr, "harness: too many tests\n");
		abort();
	}
	th_tests[th_ntests].name = name;
	th_tests[th_ntests].fn = fn;
	th_tests[th_ntests].timeout = timeout;
	th_ntests++;
}

#define TEST_TIMEOUT(name, secs)					\
	static void th_fn_##name(void);					\
	static void __attribute__((constructor)) th_reg_##name(void)	\
	{								\
		th_register(#name, th_fn_##name, (secs));		\
	}								\
	static void th_fn_##name(void)

#define TEST(name) TEST_TIMEOUT(name, TH_DEFAULT_TIMEOUT)

/* Diagnostics go out as TAP comments. */
#define TH_LOG(fmt, ...)						\
	do {								\
		printf("# " fmt "\n", ##__VA_ARGS__);			\
		fflush(stdout);						\
	} while (0)

#define TH_FAIL(fmt, ...)						\
	do {								\
		TH_LOG("%s:%d: " fmt, __FILE__, __LINE__, ##__VA_ARGS__); \
		th_failed = 1;						\
	} while (0)

#define TH_CMP(a, b, op)						\
	do {								\
		long long __a = (long long)(a), __b = (long long)(b);	\
		if (!(__a op __b)) {					\
			TH_FAIL("expected %s %s %s (%lld %s %lld)",	\
				#a, #op, #b, __a, #op, __b);		\
			return;						\
		}							\
	} while (0)

#define ASSERT_EQ(a, b)	TH_CMP(a, b, ==)
#define ASSERT_NE(a, b)	TH_CMP(a, b, !=)
#define ASSERT_GE(a, b)	TH_CMP(a, b, >=)
#define ASSERT_GT(a, b)	TH_CMP(a, b, >)
#define ASSERT_LE(a, b)	TH_CMP(a, b, <=)
#define ASSERT_LT(a, b)	TH_CMP(a, b, <)
#define ASSERT_TRUE(x)	TH_CMP(!!(x), 1, ==)
#define ASSERT_FALSE(x)	TH_CMP(!!(x), 0, ==)

#define ASSERT_STREQ(a, b)						\
	do {								\
		const char *__a = (a), *__b = (b);			\
		if (strcmp(__a, __b)) {					\
			TH_FAIL("expected %s == %s (\"%s\" != \"%s\")",	\
				#a, #b, __a, __b);			\
			return;						\
		}							\
	} while (0)

/* Expect a libc-style call to fail with -1 and errno @e. */
#define ASSERT_ERRNO(expr, e)						\
	do {								\
		long __r;						\
		errno = 0;						\
		__r = (long)(expr);					\
		if (__r != -1 || errno != (e)) {			\
			int __e = errno;				\
			TH_FAIL("%s: expected -1 errno %d (%s), got %ld errno %d (%s)", \
				#expr, (e), strerror(e), __r, __e,	\
				strerror(__e));				\
			return;						\
		}							\
	} while (0)

/*
 * The reason a case skips: written by the child into a shared page, so
 * that the parent's "ok N name # SKIP reason" line carries it.
 */
static char *th_skip_reason;

#define SKIP(fmt, ...)							\
	do {								\
		printf("# SKIP " fmt "\n", ##__VA_ARGS__);		\
		fflush(stdout);						\
		if (th_skip_reason)					\
			snprintf(th_skip_reason, 256, fmt, ##__VA_ARGS__); \
		_exit(TH_SKIP_STATUS);					\
	} while (0)

/* COWRAP_TIMEOUT_SCALE, 1 when unset or not a positive number. */
static inline unsigned int th_timeout_scale(void)
{
	const char *s = getenv("COWRAP_TIMEOUT_SCALE");
	long v = s ? strtol(s, NULL, 10) : 1;

	return v > 0 && v <= 100 ? (unsigned int)v : 1;
}

static inline int th_run_one(unsigned int idx)
{
	const struct th_test *t = &th_tests[idx];
	int status;
	pid_t pid;

	fflush(stdout);
	if (th_skip_reason)
		th_skip_reason[0] = '\0';
	pid = fork();
	if (pid < 0) {
		printf("not ok %u %s # fork: %s\n", idx + 1, t->name,
		       strerror(errno));
		return -1;
	}
	if (pid == 0) {
		alarm(t->timeout * th_timeout_scale());
		th_failed = 0;
		t->fn();
		fflush(stdout);
		_exit(th_failed ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) < 0) {
		printf("not ok %u %s # waitpid: %s\n", idx + 1, t->name,
		       strerror(errno));
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		printf("ok %u %s\n", idx + 1, t->name);
		return 0;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == TH_SKIP_STATUS) {
		printf("ok %u %s # SKIP%s%s\n", idx + 1, t->name,
		       th_skip_reason && th_skip_reason[0] ? " " : "",
		       th_skip_reason ? th_skip_reason : "");
		return 1;
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		printf("not ok %u %s # TIMEOUT after %u s\n", idx + 1,
		       t->name, t->timeout * th_timeout_scale());
	else if (WIFSIGNALED(status))
		printf("not ok %u %s # killed by signal %d\n", idx + 1,
		       t->name, WTERMSIG(status));
	else
		printf("not ok %u %s\n", idx + 1, t->name);
	return -1;
}

static inline int th_main(int argc, char **argv)
{
	unsigned int i, pass = 0, fail = 0, skip = 0, planned = 0;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	th_skip_reason = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (th_skip_reason == MAP_FAILED)
		th_skip_reason = NULL;
	for (i = 0; i < th_ntests; i++)
		if (argc < 2 || !strcmp(argv[1], th_tests[i].name))
			planned++;
	printf("TAP version 13\n1..%u\n", planned);
	for (i = 0; i < th_ntests; i++) {
		if (argc >= 2 && strcmp(argv[1], th_tests[i].name))
			continue;
		ret = th_run_one(i);
		if (ret == 0)
			pass++;
		else if (ret > 0)
			skip++;
		else
			fail++;
	}
	printf("# Totals: pass:%u fail:%u xfail:0 xpass:0 skip:%u error:0\n",
	       pass, fail, skip);
	return fail || !planned ? 1 : 0;
}

#define TEST_HARNESS_MAIN						\
	int main(int argc, char **argv)					\
	{								\
		return th_main(argc, argv);				\
	}

#endif /* _COWRAP_HARNESS_H */
