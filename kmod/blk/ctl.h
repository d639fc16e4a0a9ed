/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _COWRAP_CTL_H
#define _COWRAP_CTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* The size bits of a command number are ignored: the size field rules. */
#define COWRAP_IOC_NOSIZE(cmd)	((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

/* Largest struct size accepted from userspace for any command. */
#define COWRAP_CTL_MAX_STRUCT	PAGE_SIZE

int cowrap_ctl_copy_in(void *dst, size_t ksize, size_t min_size,
		       const void __user *uarg);
int cowrap_ctl_copy_out(void __user *uarg, void *src, size_t ksize,
			u32 usize);

/* ctl_dev.c: the device commands */
u64 cowrap_ctl_dev_features(void);
long cowrap_ctl_dev_ioctl(unsigned int cmd, void __user *uarg);

int cowrap_ctl_init(void);
void cowrap_ctl_exit(void);

#endif /* _COWRAP_CTL_H */
