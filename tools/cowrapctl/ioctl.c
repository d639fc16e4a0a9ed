// SPDX-License-Identifier: GPL-2.0
/*
 * cowrapctl's side of the UAPI: the control device and the ioctls more
 * than one command needs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cowrapctl.h"

static int ctl_fd = -1;

/**
 * ctl_ioctl() - an ioctl on /dev/cowrap-ctl
 * @req: COWRAP_IOC_*
 * @arg: its argument
 *
 * The control device is opened on first use, so that usage errors are
 * reported (exit 2) before anything needs the module; not being able to
 * open it ends the program with status 1.
 *
 * Return: what ioctl() returns, errno set on failure.
 */
int ctl_ioctl(unsigned long req, void *arg)
{
	if (ctl_fd < 0) {
		ctl_fd = open(COWRAP_CTL_DEVICE, O_RDWR | O_CLOEXEC);
		if (ctl_fd < 0) {
			fprintf(stderr, "cowrapctl: %s: %s\n",
				COWRAP_CTL_DEVICE, strerror(errno));
			exit(1);
		}
	}
	return ioctl(ctl_fd, req, arg);
}

/**
 * ctl_close() - close the control device if it was opened
 */
void ctl_close(void)
{
	if (ctl_fd >= 0)
		close(ctl_fd);
	ctl_fd = -1;
}

/**
 * ctl_fail() - report a command the kernel refused, as losetup does
 * @what: the command
 * @id: the device, or ~0U for none
 * @err: the errno
 *
 * Return: 1, the exit status of a refused command.
 */
int ctl_fail(const char *what, __u32 id, int err)
{
	if (id == ~0U)
		fprintf(stderr, "cowrapctl: %s failed: %s\n", what, strerror(err));
	else
		fprintf(stderr, "cowrapctl: /dev/cowrap%u: %s failed: %s\n", id,
			what, strerror(err));
	return 1;
}

/**
 * ctl_get_info() - COWRAP_IOC_GET_DEV_INFO of one device
 * @id: the device
 * @info: the result
 *
 * Return: what ioctl() returns.
 */
int ctl_get_info(__u32 id, struct cowrap_dev_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->dev_id = id;
	return ctl_ioctl(COWRAP_IOC_GET_DEV_INFO, info);
}

/**
 * ctl_list_ids() - the ids of the devices (COWRAP_IOC_LIST)
 * @ids: at least @max entries
 * @max: size of @ids
 * @n: the number of ids stored
 *
 * Return: what ioctl() returns.
 */
int ctl_list_ids(__u32 *ids, __u32 max, __u32 *n)
{
	struct cowrap_dev_list list;

	memset(&list, 0, sizeof(list));
	list.size = sizeof(list);
	list.count = max;
	list.ids = (uintptr_t)ids;
	if (ctl_ioctl(COWRAP_IOC_LIST, &list) < 0)
		return -1;
	*n = list.count < max ? list.count : max;
	return 0;
}
