/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrapctl: control cowrap block devices through /dev/cowrap-ctl.
 * Documentation/cowrapctl.rst describes every command.
 *
 * main.c dispatches the commands of its table, opts.c parses options from
 * each command's option table, ioctl.c talks to the control device,
 * names.c maps the UAPI's numbers to names, output.c prints through
 * libsmartcols, devices.c has the devices table; the commands live in
 * dev.c, stats.c, io.c and module.c.
 */
#ifndef COWRAPCTL_H
#define COWRAPCTL_H

#include <stddef.h>
#include <linux/cowrap.h>

#include "output.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A command's parse result that means "--help was printed: exit 0". */
#define CTL_HELP	(-1)

/**
 * struct ctl_opt - one option of a command
 * @name: long name, without "--"
 * @arg: the argument's name in --help, or NULL for a flag
 * @help: one line for --help (continuation lines start with "\n")
 * @set: store the option in the command's context @ctx; @arg is NULL for
 *	a flag. Return 0, or -1 for a bad value (a usage error).
 *
 * A table of them ends with an entry whose @name is NULL.
 */
struct ctl_opt {
	const char *name;
	const char *arg;
	const char *help;
	int (*set)(void *ctx, const char *arg);
};

/**
 * struct ctl_cmd - one command
 * @name: what the user types
 * @usage: the arguments after the name, for --help
 * @help: one line for the list of commands
 * @opts: its options (may be NULL); the output options are added for a
 *	command with @out
 * @out: the table it prints with -J/-r/-l/-o, or NULL
 * @run: run it on the arguments left after the options
 *	(argv[0] is the first of them); returns the exit status
 * @ctx_size: size of the context the options fill (zeroed first)
 * @init: set the context's defaults before the options, or NULL
 */
struct ctl_cmd {
	const char *name;
	const char *usage;
	const char *help;
	const struct ctl_opt *opts;
	const struct out_table *out;
	int (*run)(void *ctx, int argc, char **argv);
	size_t ctx_size;
	void (*init)(void *ctx);
};

/* opts.c */
extern const struct ctl_cmd *ctl_cur;
int ctl_parse_opts(const struct ctl_cmd *c, void *ctx, int argc, char **argv);
int ctl_out_opt(int key, const char *arg);
void ctl_cmd_usage(const struct ctl_cmd *c);
int usage_error(const char *fmt, const char *arg);
int parse_u64(const char *s, __u64 *v);
int parse_u32(const char *s, __u32 *v);
int parse_dev(const char *s, __u32 *id);
int dev_args(int argc, char **argv, __u32 *id);

/* ioctl.c */
int ctl_ioctl(unsigned long req, void *arg);
void ctl_close(void);
int ctl_fail(const char *what, __u32 id, int err);
int ctl_get_info(__u32 id, struct cowrap_dev_info *info);
int ctl_list_ids(__u32 *ids, __u32 max, __u32 *n);

/* names.c */
/**
 * struct ctl_backend - a backend as cowrapctl add knows it
 * @name: what --backend takes
 * @id: COWRAP_BACKEND_*
 * @check: check and complete the add request after the options, or NULL;
 *	returns 0 or a usage_error()
 */
struct ctl_add;
struct ctl_backend {
	const char *name;
	__u32 id;
	int (*check)(struct ctl_add *a);
};

extern const struct ctl_backend ctl_backends[];
extern const size_t ctl_nr_backends;
extern const char *const ctl_op_names[COWRAP_OP_NR];
const struct ctl_backend *backend_by_name(const char *s);
const char *backend_name(__u32 id);
int parse_ops(const char *s, __u32 *ops);
int parse_errno(const char *s, __u32 *err);
const char *errno_name(__u32 err);
const char *fault_mode_name(__u32 mode);
size_t dev_flags_str(__u64 flags, const char *sep, char *buf, size_t len);
size_t ops_str(__u32 ops, const char *sep, char *buf, size_t len);

/* dev.c */
/**
 * struct ctl_add - the request of cowrapctl add
 * @add: the ioctl argument
 * @backend: the chosen backend
 * @path: --path or --base, or NULL
 * @overlay: --overlay, or NULL (cow)
 * @format: --format: format the overlay first (cow)
 * @force: --force: --format over a valid overlay (cow)
 */
struct ctl_add {
	struct cowrap_dev_add add;
	const struct ctl_backend *backend;
	const char *path;
	const char *overlay;
	int format;
	int force;
	int queues_set;
	int mq;
};

int backend_check_bdev(struct ctl_add *a);
int backend_check_sized(struct ctl_add *a);
/* cow.c */
int backend_check_cow(struct ctl_add *a);
extern const struct ctl_cmd cmd_cow_check;

extern const struct ctl_cmd cmd_add, cmd_del, cmd_list, cmd_info;
/* devices.c */
extern const struct out_table dev_table, dev_info_table;
int print_dev(const struct out_table *t, int record, __u32 id,
	      const char *what);
/* stats.c */
extern const struct ctl_cmd cmd_stats, cmd_fault;
/* io.c */
extern const struct ctl_cmd cmd_pread, cmd_pwrite, cmd_flush, cmd_discard,
	cmd_write_zeroes;
/* module.c */
extern const struct ctl_cmd cmd_features, cmd_version;

#endif
