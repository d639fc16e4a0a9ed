/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the coroutine selftest and benchmark: load and unload
 * cowrap_test.ko, run one of its cases through debugfs, read the kernel log.
 */
#ifndef _COWRAP_CO_COMMON_H
#define _COWRAP_CO_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CO_TEST_KO	"/lib/cowrap/cowrap_test.ko"
#define CO_TEST_RUN	"/sys/kernel/debug/cowrap_test/run"
#define CO_MSG_LEN	1024

/* Load cowrap_test.ko unless it is loaded: 0 or -errno. */
static inline int co_load(void)
{
	int fd, ret;

	if (access(CO_TEST_RUN, F_OK) == 0)
		return 0;
	fd = open(CO_TEST_KO, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0);
	ret = ret && errno != EEXIST ? -errno : 0;
	close(fd);
	return ret;
}

/* Unload cowrap_test.ko: 0 or -errno. */
static inline int co_unload(void)
{
	return syscall(SYS_delete_module, "cowrap_test", O_NONBLOCK) ? -errno : 0;
}

/*
 * Run case @name; the kernel's "PASS msg"/"FAIL msg" line lands in @msg.
 * Returns 1 on PASS, 0 on FAIL, -errno when the case could not be run.
 */
static inline int co_run(const char *name, char *msg, size_t len)
{
	ssize_t n;
	int fd, ret;

	msg[0] = '\0';
	ret = co_load();
	if (ret)
		return ret;
	fd = open(CO_TEST_RUN, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, name, strlen(name)) != (ssize_t)strlen(name)) {
		ret = -errno;
		close(fd);
		return ret;
	}
	n = pread(fd, msg, len - 1, 0);
	if (n < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	close(fd);
	msg[n] = '\0';
	if (n && msg[n - 1] == '\n')
		msg[n - 1] = '\0';
	return !strncmp(msg, "PASS ", 5);
}

/* Write a line to the kernel log. */
static inline void co_kmsg(const char *line)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (write(fd, line, strlen(line)) < 0)
			perror("kmsg");
		close(fd);
	}
}

/*
 * Count kernel log records (whole buffer) containing @needle and, if not
 * NULL, @needle2; or -errno.
 */
static inline int co_kmsg_count2(const char *needle, const char *needle2)
{
	char rec[8192];
	int fd, count = 0;
	ssize_t n;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: skip */
		if (n <= 0)
			break;
		rec[n] = '\0';
		if (strstr(rec, needle) && (!needle2 || strstr(rec, needle2)))
			count++;
	}
	close(fd);
	return count;
}

/* Count kernel log records containing @needle, or -errno. */
static inline int co_kmsg_count(const char *needle)
{
	return co_kmsg_count2(needle, NULL);
}

#endif /* _COWRAP_CO_COMMON_H */
