/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * cowrap control ABI: ioctls on /dev/cowrap-ctl.
 *
 * Conventions (Documentation/uapi.rst):
 *  - only fixed-width types, explicit padding, no implicit holes, pointers
 *    passed as __u64;
 *  - every command struct starts with "__u32 size; __u32 flags;": size is
 *    the size of the struct as the caller knows it (extensible structs with
 *    copy_struct_from_user() semantics), flags must only hold known bits;
 *  - the size bits of the ioctl number are ignored by the kernel: size is
 *    authoritative, so a newer, larger struct keeps the same command;
 *  - unknown flags and non-zero reserved fields get -EINVAL, a size below
 *    the first published size -EINVAL, a larger size with non-zero bytes
 *    past what the kernel knows -E2BIG, a bad pointer -EFAULT, an unknown
 *    command -ENOTTY; mutating commands need CAP_SYS_ADMIN (-EPERM).
 */
#ifndef _UAPI_LINUX_COWRAP_H
#define _UAPI_LINUX_COWRAP_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define COWRAP_CTL_DEVICE	"/dev/cowrap-ctl"
#define COWRAP_ABI_VERSION	1
#define COWRAP_IOC_MAGIC	0xC7

/* Feature bits reported by COWRAP_IOC_GET_INFO: one per command family. */
#define COWRAP_F_GET_INFO	(1ULL << 0)

#define COWRAP_VERSION_LEN	32

/**
 * struct cowrap_info - answer of COWRAP_IOC_GET_INFO
 * @size: in: sizeof(struct cowrap_info) as the caller knows it (at least
 *	COWRAP_INFO_SIZE_VER0); out: the number of bytes the kernel wrote
 * @flags: in: must be 0
 * @abi_version: out: COWRAP_ABI_VERSION of the running module
 * @reserved: must be 0 on input; 0 on output
 * @features: out: COWRAP_F_* bits the module supports
 * @version: out: module version, NUL-terminated
 */
struct cowrap_info {
	__u32 size;
	__u32 flags;
	__u32 abi_version;
	__u32 reserved;
	__u64 features;
	__u8 version[COWRAP_VERSION_LEN];
};

#define COWRAP_INFO_SIZE_VER0	56

#define COWRAP_IOC_GET_INFO	_IOWR(COWRAP_IOC_MAGIC, 0x00, struct cowrap_info)

#endif /* _UAPI_LINUX_COWRAP_H */
