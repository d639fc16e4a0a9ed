// SPDX-License-Identifier: GPL-2.0
/*
 * The control device /dev/cowrap-ctl: ioctl dispatch and the helpers that
 * move extensible structs across the user boundary.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <linux/cowrap.h>

#include "ctl.h"
#include "version.h"

/**
 * cowrap_ctl_copy_in() - read an extensible command struct from userspace
 * @dst: kernel copy, @ksize bytes, filled in
 * @ksize: size of the struct this module knows
 * @min_size: first published size of the struct
 * @uarg: user pointer; the struct starts with a __u32 size field
 *
 * Bytes the caller did not pass are zeroed; bytes it passed beyond @ksize
 * must be zero (copy_struct_from_user() semantics).  The size field of
 * @dst holds the size read and validated here, whatever userspace wrote
 * there since: handlers use it and never read it from userspace again.
 *
 * Return: 0, -EFAULT for a bad pointer, -EINVAL for a size below
 * @min_size, -E2BIG for a size above COWRAP_CTL_MAX_STRUCT or non-zero
 * bytes beyond @ksize.
 */
int cowrap_ctl_copy_in(void *dst, size_t ksize, size_t min_size,
		       const void __user *uarg)
{
	u32 usize;
	int ret;

	if (get_user(usize, (const u32 __user *)uarg))
		return -EFAULT;
	if (usize < min_size)
		return -EINVAL;
	if (usize > COWRAP_CTL_MAX_STRUCT)
		return -E2BIG;
	ret = copy_struct_from_user(dst, ksize, uarg, usize);
	if (ret)
		return ret;
	/*
	 * The copy re-read the size field, which the caller may have changed
	 * meanwhile: what the handlers see is the size validated above.
	 */
	*(u32 *)dst = usize;
	return 0;
}

/**
 * cowrap_ctl_copy_out() - write an extensible command struct to userspace
 * @uarg: user pointer the struct was read from
 * @src: kernel struct, its first field a u32 size that is overwritten
 * @ksize: size of @src
 * @usize: size the caller passed (already validated by cowrap_ctl_copy_in())
 *
 * Writes min(@ksize, @usize) bytes and reports that number in the size
 * field, so an older caller gets the prefix it knows.
 *
 * Return: 0 or -EFAULT.
 */
int cowrap_ctl_copy_out(void __user *uarg, void *src, size_t ksize, u32 usize)
{
	size_t n = min_t(size_t, ksize, usize);

	*(u32 *)src = n;
	if (copy_to_user(uarg, src, n))
		return -EFAULT;
	return 0;
}

static long cowrap_ctl_get_info(void __user *uarg)
{
	struct cowrap_info info;
	u32 usize;
	int ret;

	ret = cowrap_ctl_copy_in(&info, sizeof(info), COWRAP_INFO_SIZE_VER0,
				 uarg);
	if (ret)
		return ret;
	if (info.flags || info.reserved)
		return -EINVAL;

	/* Start from zero so nothing of the kernel stack reaches the user. */
	usize = info.size;
	memset(&info, 0, sizeof(info));
	info.abi_version = COWRAP_ABI_VERSION;
	info.features = COWRAP_F_GET_INFO | cowrap_ctl_dev_features();
	strscpy(info.version, COWRAP_MODULE_VERSION, sizeof(info.version));
	return cowrap_ctl_copy_out(uarg, &info, sizeof(info), usize);
}

static long cowrap_ctl_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (COWRAP_IOC_NOSIZE(cmd)) {
	case COWRAP_IOC_NOSIZE(COWRAP_IOC_GET_INFO):
		return cowrap_ctl_get_info(uarg);
	default:
		return cowrap_ctl_dev_ioctl(COWRAP_IOC_NOSIZE(cmd), uarg);
	}
}

static const struct file_operations cowrap_ctl_fops = {
	.owner		= THIS_MODULE,
	.open		= nonseekable_open,
	.unlocked_ioctl	= cowrap_ctl_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice cowrap_ctl_misc = {
	.minor		= MISC_DYNAMIC_MINOR,
	.name		= "cowrap-ctl",
	.nodename	= "cowrap-ctl",
	.mode		= 0600,
	.fops		= &cowrap_ctl_fops,
};

/* Test hook (selftests/robust): fail the registration with -ENOMEM. */
static bool test_fail_ctl_register;
module_param(test_fail_ctl_register, bool, 0444);
MODULE_PARM_DESC(test_fail_ctl_register,
		 "for tests only: fail the registration of /dev/cowrap-ctl, and so the load");

/**
 * cowrap_ctl_init() - register /dev/cowrap-ctl
 *
 * Return: 0 or the error of misc_register(); -ENOMEM when the
 * test_fail_ctl_register parameter is set.
 */
int cowrap_ctl_init(void)
{
	if (test_fail_ctl_register)
		return -ENOMEM;
	return misc_register(&cowrap_ctl_misc);
}

/**
 * cowrap_ctl_exit() - unregister /dev/cowrap-ctl
 *
 * After it returns no ioctl is running or can start.
 */
void cowrap_ctl_exit(void)
{
	misc_deregister(&cowrap_ctl_misc);
}
