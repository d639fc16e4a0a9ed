// SPDX-License-Identifier: GPL-2.0
/*
 * cowrapctl's names for the UAPI's numbers: backends, operations, device
 * flags, fault modes and errnos.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cowrapctl.h"

/* A backend is one row here; its add options are in dev.c. */
const struct ctl_backend ctl_backends[] = {
	{ "ram", COWRAP_BACKEND_RAM, backend_check_sized },
	{ "null", COWRAP_BACKEND_NULL, backend_check_sized },
	{ "bdev", COWRAP_BACKEND_BDEV, backend_check_bdev },
	{ "cow", COWRAP_BACKEND_COW, backend_check_cow },
};

const size_t ctl_nr_backends = ARRAY_LEN(ctl_backends);

const char *const ctl_op_names[COWRAP_OP_NR] = {
	"read", "write", "flush", "discard", "write-zeroes",
};

static const struct {
	const char *name;
	__u64 bit;
} dev_flag_names[] = {
	{ "ro", COWRAP_DEV_READ_ONLY },
	{ "wc", COWRAP_DEV_WRITE_CACHE },
	{ "discard", COWRAP_DEV_DISCARD },
	{ "write-zeroes", COWRAP_DEV_WRITE_ZEROES },
	{ "bio", COWRAP_DEV_BIO_BASED },
};

static const struct {
	const char *name;
	int err;
} errno_names[] = {
	{ "EIO", EIO }, { "ENOSPC", ENOSPC }, { "ETIMEDOUT", ETIMEDOUT },
	{ "ENOLINK", ENOLINK }, { "ENODATA", ENODATA }, { "EILSEQ", EILSEQ },
	{ "EREMOTEIO", EREMOTEIO },
};

static const char *const fault_modes[] = {
	[COWRAP_FAULT_NONE] = "none",
	[COWRAP_FAULT_FAIL_NTH] = "fail-nth",
	[COWRAP_FAULT_FAIL_EVERY] = "fail-every",
	[COWRAP_FAULT_DELAY] = "delay-every",
};

/**
 * backend_by_name() - the backend --backend @s names
 * @s: the name
 *
 * Return: the backend, or NULL.
 */
const struct ctl_backend *backend_by_name(const char *s)
{
	size_t i;

	for (i = 0; i < ctl_nr_backends; i++)
		if (!strcmp(s, ctl_backends[i].name))
			return &ctl_backends[i];
	return NULL;
}

/**
 * backend_name() - the name of COWRAP_BACKEND_* @id
 * @id: the number
 *
 * Return: the name, or "?" for one this cowrapctl does not know.
 */
const char *backend_name(__u32 id)
{
	size_t i;

	for (i = 0; i < ctl_nr_backends; i++)
		if (ctl_backends[i].id == id)
			return ctl_backends[i].name;
	return "?";
}

/**
 * parse_ops() - a comma-separated list of operations, or "all"
 * @s: the text
 * @ops: COWRAP_OP_BIT()s
 *
 * Return: 0, or -1 for an unknown or empty list.
 */
int parse_ops(const char *s, __u32 *ops)
{
	size_t len;
	int i;

	*ops = 0;
	for (; *s; s += len + (s[len] == ',')) {
		len = strcspn(s, ",");
		if (len == 3 && !strncmp(s, "all", 3)) {
			*ops |= COWRAP_OP_MASK_ALL;
			continue;
		}
		for (i = 0; i < COWRAP_OP_NR; i++)
			if (strlen(ctl_op_names[i]) == len &&
			    !strncmp(s, ctl_op_names[i], len))
				break;
		if (i == COWRAP_OP_NR)
			return -1;
		*ops |= COWRAP_OP_BIT(i);
	}
	return *ops ? 0 : -1;
}

/**
 * parse_errno() - an errno by name (EIO ...) or number
 * @s: the text
 * @err: the positive errno
 *
 * Return: 0, or -1.
 */
int parse_errno(const char *s, __u32 *err)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(errno_names); i++)
		if (!strcasecmp(s, errno_names[i].name)) {
			*err = errno_names[i].err;
			return 0;
		}
	return parse_u32(s, err);
}

/**
 * errno_name() - the name of a positive errno cowrapctl knows
 * @err: the errno
 *
 * Return: e.g. "EIO", or "" for 0 or an errno without a name here.
 */
const char *errno_name(__u32 err)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(errno_names); i++)
		if ((__u32)errno_names[i].err == err)
			return errno_names[i].name;
	return "";
}

/**
 * fault_mode_name() - the name of COWRAP_FAULT_* @mode
 * @mode: the mode
 *
 * Return: the name, or "?".
 */
const char *fault_mode_name(__u32 mode)
{
	return mode < ARRAY_LEN(fault_modes) ? fault_modes[mode] : "?";
}

static size_t join(char *buf, size_t len, size_t n, const char *sep,
		   const char *name)
{
	int r = snprintf(buf + n, n < len ? len - n : 0, "%s%s",
			 n ? sep : "", name);

	return r > 0 ? n + r : n;
}

/**
 * dev_flags_str() - the names of COWRAP_DEV_* @flags, joined with @sep
 * @flags: the bits
 * @sep: separator
 * @buf: result, "" for none
 * @len: size of @buf
 *
 * Return: the length the result needs.
 */
size_t dev_flags_str(__u64 flags, const char *sep, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_LEN(dev_flag_names); i++)
		if (flags & dev_flag_names[i].bit)
			n = join(buf, len, n, sep, dev_flag_names[i].name);
	return n;
}

/**
 * ops_str() - the names of the operations in @ops, joined with @sep
 * @ops: COWRAP_OP_BIT()s
 * @sep: separator
 * @buf: result, "" for none
 * @len: size of @buf
 *
 * Return: the length the result needs.
 */
size_t ops_str(__u32 ops, const char *sep, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < COWRAP_OP_NR; i++)
		if (ops & COWRAP_OP_BIT(i))
			n = join(buf, len, n, sep, ctl_op_names[i]);
	return n;
}
