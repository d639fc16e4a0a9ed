// SPDX-License-Identifier: GPL-2.0
/*
 * cowrapctl: control cowrap block devices through /dev/cowrap-ctl.
 * Documentation/cowrapctl.rst describes every command.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/cowrap.h>

#include "cow.h"

struct ctl_cmd {
	const char *name;
	const char *usage;
	const char *help;
	const char *options;
	int (*run)(int argc, char **argv);
};

static int json;
static const struct ctl_cmd *cur;

static const char *const backend_names[] = {
	[COWRAP_BACKEND_RAM] = "ram",
	[COWRAP_BACKEND_NULL] = "null",
	[COWRAP_BACKEND_BDEV] = "bdev",
	[COWRAP_BACKEND_COW] = "cow",
};

static const char *const op_names[COWRAP_OP_NR] = {
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
};

static const struct {
	const char *name;
	int err;
} errno_names[] = {
	{ "EIO", EIO }, { "ENOSPC", ENOSPC }, { "ETIMEDOUT", ETIMEDOUT },
	{ "ENOLINK", ENOLINK }, { "ENODATA", ENODATA }, { "EILSEQ", EILSEQ },
	{ "EREMOTEIO", EREMOTEIO },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static int ctl_fd_cache = -1;

/*
 * Open the control device on first use, so that usage errors are reported
 * (exit 2) before anything needs the module. Not being able to open it ends
 * the program with status 1.
 */
static int ctl_ioctl(unsigned long req, void *arg)
{
	if (ctl_fd_cache < 0) {
		ctl_fd_cache = open(COWRAP_CTL_DEVICE, O_RDWR | O_CLOEXEC);
		if (ctl_fd_cache < 0) {
			fprintf(stderr, "cowrapctl: %s: %s\n",
				COWRAP_CTL_DEVICE, strerror(errno));
			exit(1);
		}
	}
	return ioctl(ctl_fd_cache, req, arg);
}

static void cmd_usage(FILE *f, const struct ctl_cmd *c)
{
	fprintf(f, "usage: cowrapctl [--json] %s\n\n%s\n", c->usage, c->help);
	if (c->options && *c->options)
		fprintf(f, "\noptions:\n%s", c->options);
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "cowrapctl: %s: ", cur->name);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'cowrapctl %s --help'.\n", cur->name);
	return 2;
}

/* Numbers with an optional K, M, G, T (binary) suffix. */
static int parse_u64(const char *s, __u64 *v)
{
	char *end;
	unsigned long long n;
	int shift = 0;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	}
	if (*end == 'i' && shift)
		end++;
	if (*end == 'B' && shift)
		end++;
	if (*end || (shift && n > (~0ULL >> shift)))
		return -1;
	*v = (__u64)n << shift;
	return 0;
}

static int parse_u32(const char *s, __u32 *v)
{
	__u64 n;

	if (parse_u64(s, &n) || n > 0xffffffffULL)
		return -1;
	*v = n;
	return 0;
}

/* A device: "3", "cowrap3" or "/dev/cowrap3". */
static int parse_dev(const char *s, __u32 *id)
{
	if (!strncmp(s, "/dev/", 5))
		s += 5;
	if (!strncmp(s, "cowrap", 6))
		s += 6;
	if (*s < '0' || *s > '9')
		return -1;
	return parse_u32(s, id);
}

static int ctl_fail(const char *what, __u32 id, int err)
{
	if (id == ~0U)
		fprintf(stderr, "cowrapctl: %s failed: %s\n", what, strerror(err));
	else
		fprintf(stderr, "cowrapctl: /dev/cowrap%u: %s failed: %s\n", id,
			what, strerror(err));
	return 1;
}

/* Parse the single device argument left after the options. */
static int dev_arg(int argc, char **argv, __u32 *id)
{
	if (optind != argc - 1)
		return usage_error("%s", optind < argc ? "too many arguments" :
				   "missing device");
	if (parse_dev(argv[optind], id))
		return usage_error("bad device '%s'", argv[optind]);
	return 0;
}

/* Common getopt loop head: --help on every command. */
#define HELP_OPT { "help", no_argument, NULL, 'h' }

static int cmd_version(int argc, char **argv)
{
	struct cowrap_info info;

	(void)argc;
	(void)argv;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	if (ctl_ioctl(COWRAP_IOC_GET_INFO, &info) < 0)
		return ctl_fail("GET_INFO", ~0U, errno);
	if (json)
		printf("{\"module_version\": \"%s\", \"abi_version\": %u, "
		       "\"features\": %llu}\n", (char *)info.version,
		       info.abi_version, (unsigned long long)info.features);
	else
		printf("module version: %s\nabi version:    %u\n"
		       "features:       %#llx\n", (char *)info.version,
		       info.abi_version, (unsigned long long)info.features);
	return 0;
}

static int parse_backend(const char *s, __u32 *b)
{
	size_t i;

	for (i = 1; i < ARRAY_LEN(backend_names); i++)
		if (!strcmp(s, backend_names[i])) {
			*b = i;
			return 0;
		}
	return -1;
}

static void print_flags(__u64 flags, const char *sep)
{
	const char *s = "";
	size_t i;

	for (i = 0; i < ARRAY_LEN(dev_flag_names); i++)
		if (flags & dev_flag_names[i].bit) {
			printf(json ? "%s\"%s\"" : "%s%s", s,
			       dev_flag_names[i].name);
			s = sep;
		}
	if (!*s && !json)
		printf("-");
}

static int cmd_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ "backend", required_argument, NULL, 'b' },
		{ "size", required_argument, NULL, 's' },
		{ "lbs", required_argument, NULL, 'l' },
		{ "pbs", required_argument, NULL, 'p' },
		{ "queues", required_argument, NULL, 'q' },
		{ "depth", required_argument, NULL, 'd' },
		{ "latency-ns", required_argument, NULL, 'L' },
		{ "timeout-ms", required_argument, NULL, 't' },
		{ "path", required_argument, NULL, 'P' },
		{ "base", required_argument, NULL, 'P' },
		{ "overlay", required_argument, NULL, 'O' },
		{ "chunk-size", required_argument, NULL, 'C' },
		{ "format", no_argument, NULL, 'F' },
		{ "force", no_argument, NULL, 'f' },
		{ "ro", no_argument, NULL, 'r' },
		{ "wc", no_argument, NULL, 'w' },
		{ "discard", no_argument, NULL, 'D' },
		{ "write-zeroes", no_argument, NULL, 'z' },
		HELP_OPT,
		{ 0 }
	};
	struct cowrap_dev_add add;
	const char *path = NULL, *overlay = NULL;
	int c, format = 0, force = 0;

	memset(&add, 0, sizeof(add));
	add.size = sizeof(add);
	add.backend = COWRAP_BACKEND_RAM;
	add.logical_block_size = 512;
	add.nr_hw_queues = 1;
	add.queue_depth = 128;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		int bad = 0;

		switch (c) {
		case 'i':
			add.flags |= COWRAP_ADD_REQ_ID;
			bad = parse_dev(optarg, &add.dev_id);
			break;
		case 'b': bad = parse_backend(optarg, &add.backend); break;
		case 's': bad = parse_u64(optarg, &add.dev_size); break;
		case 'l': bad = parse_u32(optarg, &add.logical_block_size); break;
		case 'p': bad = parse_u32(optarg, &add.physical_block_size); break;
		case 'q': bad = parse_u32(optarg, &add.nr_hw_queues); break;
		case 'd': bad = parse_u32(optarg, &add.queue_depth); break;
		case 'L': bad = parse_u64(optarg, &add.latency_ns); break;
		case 't': bad = parse_u32(optarg, &add.timeout_ms); break;
		case 'P': path = optarg; break;
		case 'O': overlay = optarg; break;
		case 'C': bad = parse_u32(optarg, &add.chunk_size); break;
		case 'F': format = 1; break;
		case 'f': force = 1; break;
		case 'r': add.dev_flags |= COWRAP_DEV_READ_ONLY; break;
		case 'w': add.dev_flags |= COWRAP_DEV_WRITE_CACHE; break;
		case 'D': add.dev_flags |= COWRAP_DEV_DISCARD; break;
		case 'z': add.dev_flags |= COWRAP_DEV_WRITE_ZEROES; break;
		case 'h': cmd_usage(stdout, cur); return 0;
		default: return usage_error("%s", "bad option");
		}
		if (bad)
			return usage_error("bad value '%s'", optarg);
	}
	if (optind != argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if ((overlay || add.chunk_size || format || force) &&
	    add.backend != COWRAP_BACKEND_COW)
		return usage_error("%s", "--overlay, --chunk-size, --format and --force are for the cow backend");
	if (add.backend == COWRAP_BACKEND_COW) {
		if (!path || !overlay)
			return usage_error("%s", "the cow backend needs --base and --overlay");
		if (format && cow_format(path, overlay, add.chunk_size ?:
					 COW_DEFAULT_CHUNK, force))
			return 1;
		add.overlay = (uintptr_t)overlay;
		add.overlay_len = strlen(overlay) + 1;
	}
	if (add.backend == COWRAP_BACKEND_BDEV ||
	    add.backend == COWRAP_BACKEND_COW) {
		if (!path)
			return usage_error("%s", "the bdev backend needs --path");
		add.path = (uintptr_t)path;
		add.path_len = strlen(path) + 1;
	} else if (path) {
		return usage_error("%s", "--path is only for the bdev and cow backends");
	} else if (!add.dev_size) {
		return usage_error("%s", "--size is required");
	}
	if (ctl_ioctl(COWRAP_IOC_ADD, &add) < 0)
		return ctl_fail("add", add.flags & COWRAP_ADD_REQ_ID ?
				add.dev_id : ~0U, errno);
	if (json)
		printf("{\"id\": %u, \"device\": \"/dev/cowrap%u\", "
		       "\"size\": %llu}\n", add.dev_id, add.dev_id,
		       (unsigned long long)add.dev_size);
	else
		printf("/dev/cowrap%u\n", add.dev_id);
	return 0;
}

static int cmd_del(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		HELP_OPT,
		{ 0 }
	};
	struct cowrap_dev_del del;
	int c, ret;

	memset(&del, 0, sizeof(del));
	del.size = sizeof(del);
	while ((c = getopt_long(argc, argv, "+fh", opts, NULL)) != -1) {
		switch (c) {
		case 'f': del.flags |= COWRAP_DEL_FORCE; break;
		case 'h': cmd_usage(stdout, cur); return 0;
		default: return usage_error("%s", "bad option");
		}
	}
	ret = dev_arg(argc, argv, &del.dev_id);
	if (ret)
		return ret;
	if (ctl_ioctl(COWRAP_IOC_DEL, &del) < 0)
		return ctl_fail("delete", del.dev_id, errno);
	if (json)
		printf("{\"id\": %u, \"deleted\": true}\n", del.dev_id);
	return 0;
}

static int get_info(__u32 id, struct cowrap_dev_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->dev_id = id;
	return ctl_ioctl(COWRAP_IOC_GET_DEV_INFO, info);
}

static const char *backend_name(__u32 b)
{
	return b < ARRAY_LEN(backend_names) && backend_names[b] ?
		backend_names[b] : "?";
}

static void print_info_json(const struct cowrap_dev_info *i)
{
	printf("{\"id\": %u, \"device\": \"/dev/%s\", \"backend\": \"%s\", "
	       "\"size\": %llu, \"logical_block_size\": %u, "
	       "\"physical_block_size\": %u, \"nr_hw_queues\": %u, "
	       "\"queue_depth\": %u, \"latency_ns\": %llu, \"flags\": [",
	       i->dev_id, (char *)i->disk_name, backend_name(i->backend),
	       (unsigned long long)i->dev_size, i->logical_block_size,
	       i->physical_block_size, i->nr_hw_queues, i->queue_depth,
	       (unsigned long long)i->latency_ns);
	print_flags(i->dev_flags, ", ");
	printf("], \"major\": %u, \"minor\": %u, \"open_count\": %u, "
	       "\"state\": \"%s\", \"path\": \"%s\"", i->major, i->minor,
	       i->open_count,
	       i->state == COWRAP_STATE_LIVE ? "live" : "deleting",
	       (char *)i->path);
	if (i->size >= COWRAP_DEV_INFO_SIZE_VER1)
		printf(", \"max_hw_sectors\": %u, \"max_sectors\": %u, "
		       "\"max_segments\": %u, \"max_segment_size\": %u, "
		       "\"dma_alignment\": %u, \"discard_granularity\": %u, "
		       "\"max_discard_sectors\": %u, "
		       "\"max_write_zeroes_sectors\": %u, \"write_cache\": %s, "
		       "\"fua\": %s, \"rotational\": %s",
		       i->max_hw_sectors, i->max_sectors, i->max_segments,
		       i->max_segment_size, i->dma_alignment,
		       i->discard_granularity, i->max_discard_sectors,
		       i->max_write_zeroes_sectors,
		       i->queue_flags & COWRAP_QUEUE_WRITE_CACHE ? "true" : "false",
		       i->queue_flags & COWRAP_QUEUE_FUA ? "true" : "false",
		       i->queue_flags & COWRAP_QUEUE_ROTATIONAL ? "true" : "false");
	printf("}");
}

/* The effective queue limits (a module that knows them). */
static void print_limits(const struct cowrap_dev_info *i)
{
	if (i->size < COWRAP_DEV_INFO_SIZE_VER1)
		return;
	printf("max sectors:         %u (hardware %u), %u segments of at most %u bytes\n",
	       i->max_sectors, i->max_hw_sectors, i->max_segments,
	       i->max_segment_size);
	printf("dma alignment:       %u\n", i->dma_alignment + 1);
	if (i->max_discard_sectors)
		printf("discard:             up to %u sectors, granularity %u\n",
		       i->max_discard_sectors, i->discard_granularity);
	else
		printf("discard:             no\n");
	if (i->max_write_zeroes_sectors)
		printf("write zeroes:        up to %u sectors\n",
		       i->max_write_zeroes_sectors);
	else
		printf("write zeroes:        no\n");
	printf("write cache:         %s, FUA %s, %s\n",
	       i->queue_flags & COWRAP_QUEUE_WRITE_CACHE ? "write back" : "write through",
	       i->queue_flags & COWRAP_QUEUE_FUA ? "yes" : "no",
	       i->queue_flags & COWRAP_QUEUE_ROTATIONAL ? "rotational" : "non-rotational");
}

static int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = { HELP_OPT, { 0 } };
	__u32 ids[COWRAP_MAX_DEVICES];
	struct cowrap_dev_list list;
	struct cowrap_dev_info info;
	__u32 i, n;
	int c;

	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 'h') {
			cmd_usage(stdout, cur);
			return 0;
		}
		return usage_error("%s", "bad option");
	}
	if (optind != argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	memset(&list, 0, sizeof(list));
	list.size = sizeof(list);
	list.count = COWRAP_MAX_DEVICES;
	list.ids = (uintptr_t)ids;
	if (ctl_ioctl(COWRAP_IOC_LIST, &list) < 0)
		return ctl_fail("list", ~0U, errno);
	n = list.count < COWRAP_MAX_DEVICES ? list.count : COWRAP_MAX_DEVICES;
	if (json)
		printf("[");
	else
		printf("%-14s %-7s %12s %5s %6s %5s %-24s %-8s %s\n", "DEVICE",
		       "BACKEND", "SIZE", "LBS", "QUEUES", "DEPTH", "FLAGS",
		       "STATE", "OPEN");
	for (i = 0; i < n; i++) {
		if (get_info(ids[i], &info) < 0)
			continue;	/* removed meanwhile */
		if (json) {
			printf(i ? ", " : "");
			print_info_json(&info);
			continue;
		}
		printf("/dev/%-9s %-7s %12llu %5u %6u %5u ",
		       (char *)info.disk_name, backend_name(info.backend),
		       (unsigned long long)info.dev_size,
		       info.logical_block_size, info.nr_hw_queues,
		       info.queue_depth);
		print_flags(info.dev_flags, ",");
		printf("%*s %-8s %u\n", 1, "",
		       info.state == COWRAP_STATE_LIVE ? "live" : "deleting",
		       info.open_count);
	}
	if (json)
		printf("]\n");
	return 0;
}

static int simple_dev_cmd(int argc, char **argv, __u32 *id, int *flag,
			  const char *flagname)
{
	struct option opts[] = {
		{ flagname ? flagname : "help", no_argument, NULL, 'f' },
		HELP_OPT,
		{ 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 'h' || (c == 'f' && !flagname)) {
			cmd_usage(stdout, cur);
			return -1;
		}
		if (c == 'f') {
			*flag = 1;
			continue;
		}
		return usage_error("%s", "bad option");
	}
	return dev_arg(argc, argv, id);
}

static int cmd_info(int argc, char **argv)
{
	struct cowrap_dev_info info;
	__u32 id;
	int ret;

	ret = simple_dev_cmd(argc, argv, &id, NULL, NULL);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (get_info(id, &info) < 0)
		return ctl_fail("info", id, errno);
	if (json) {
		print_info_json(&info);
		printf("\n");
		return 0;
	}
	printf("device:              /dev/%s (%u:%u)\n", (char *)info.disk_name,
	       info.major, info.minor);
	printf("backend:             %s%s%s\n", backend_name(info.backend),
	       info.path[0] ? " " : "", (char *)info.path);
	printf("size:                %llu bytes\n",
	       (unsigned long long)info.dev_size);
	printf("block size:          %u logical, %u physical\n",
	       info.logical_block_size, info.physical_block_size);
	printf("queues:              %u x depth %u\n", info.nr_hw_queues,
	       info.queue_depth);
	printf("flags:               ");
	print_flags(info.dev_flags, ",");
	printf("\nlatency:             %llu ns\n",
	       (unsigned long long)info.latency_ns);
	print_limits(&info);
	printf("state:               %s, open %u times\n",
	       info.state == COWRAP_STATE_LIVE ? "live" : "deleting",
	       info.open_count);
	return 0;
}

static int cmd_stats(int argc, char **argv)
{
	struct cowrap_dev_stats st;
	int reset = 0, ret, i;
	__u32 id;

	ret = simple_dev_cmd(argc, argv, &id, &reset, "reset");
	if (ret)
		return ret < 0 ? 0 : ret;
	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	st.dev_id = id;
	st.flags = reset ? COWRAP_STATS_RESET : 0;
	if (ctl_ioctl(COWRAP_IOC_GET_STATS, &st) < 0)
		return ctl_fail("stats", id, errno);
	if (json) {
		printf("{\"id\": %u, \"ops\": {", id);
		for (i = 0; i < COWRAP_OP_NR; i++)
			printf("%s\"%s\": {\"requests\": %llu, \"bytes\": %llu, "
			       "\"errors\": %llu}", i ? ", " : "", op_names[i],
			       (unsigned long long)st.reqs[i],
			       (unsigned long long)st.bytes[i],
			       (unsigned long long)st.errors[i]);
		printf("}, \"co_started\": %llu, \"co_yields\": %llu, "
		       "\"co_wakes\": %llu, \"sync_calls\": %llu, "
		       "\"faults_injected\": %llu, \"inflight\": %u}\n",
		       (unsigned long long)st.co_started,
		       (unsigned long long)st.co_yields,
		       (unsigned long long)st.co_wakes,
		       (unsigned long long)st.sync_calls,
		       (unsigned long long)st.faults_injected, st.inflight);
		return 0;
	}
	printf("%-13s %10s %14s %8s\n", "OP", "REQUESTS", "BYTES", "ERRORS");
	for (i = 0; i < COWRAP_OP_NR; i++)
		printf("%-13s %10llu %14llu %8llu\n", op_names[i],
		       (unsigned long long)st.reqs[i],
		       (unsigned long long)st.bytes[i],
		       (unsigned long long)st.errors[i]);
	printf("coroutines started %llu, yields %llu, wakes %llu\n",
	       (unsigned long long)st.co_started,
	       (unsigned long long)st.co_yields,
	       (unsigned long long)st.co_wakes);
	printf("sync calls %llu, faults injected %llu, in flight %u\n",
	       (unsigned long long)st.sync_calls,
	       (unsigned long long)st.faults_injected, st.inflight);
	return 0;
}

static int parse_ops(char *s, __u32 *ops)
{
	char *tok, *save = NULL;
	int i;

	*ops = 0;
	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "all")) {
			*ops |= COWRAP_OP_MASK_ALL;
			continue;
		}
		for (i = 0; i < COWRAP_OP_NR; i++)
			if (!strcmp(tok, op_names[i]))
				break;
		if (i == COWRAP_OP_NR)
			return -1;
		*ops |= COWRAP_OP_BIT(i);
	}
	return *ops ? 0 : -1;
}

static int parse_errno(const char *s, __u32 *err)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(errno_names); i++)
		if (!strcasecmp(s, errno_names[i].name)) {
			*err = errno_names[i].err;
			return 0;
		}
	return parse_u32(s, err);
}

static int cmd_fault(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "fail-nth", required_argument, NULL, 'n' },
		{ "fail-every", required_argument, NULL, 'e' },
		{ "delay-every", required_argument, NULL, 'd' },
		{ "clear", no_argument, NULL, 'c' },
		{ "ops", required_argument, NULL, 'o' },
		{ "error", required_argument, NULL, 'E' },
		{ "latency-ns", required_argument, NULL, 'L' },
		HELP_OPT,
		{ 0 }
	};
	struct cowrap_fault f;
	int c, ret, modes = 0;

	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		int bad = 0;

		switch (c) {
		case 'n':
		case 'e':
		case 'd':
			f.mode = c == 'n' ? COWRAP_FAULT_FAIL_NTH :
				 c == 'e' ? COWRAP_FAULT_FAIL_EVERY :
					    COWRAP_FAULT_DELAY;
			bad = parse_u32(optarg, &f.nth);
			modes++;
			break;
		case 'c': f.mode = COWRAP_FAULT_NONE; modes++; break;
		case 'o': bad = parse_ops(optarg, &f.ops); break;
		case 'E': bad = parse_errno(optarg, &f.error); break;
		case 'L': bad = parse_u64(optarg, &f.latency_ns); break;
		case 'h': cmd_usage(stdout, cur); return 0;
		default: return usage_error("%s", "bad option");
		}
		if (bad)
			return usage_error("bad value '%s'", optarg);
	}
	if (modes != 1)
		return usage_error("%s", "give exactly one of --fail-nth, "
				   "--fail-every, --delay-every, --clear");
	ret = dev_arg(argc, argv, &f.dev_id);
	if (ret)
		return ret;
	if (f.mode != COWRAP_FAULT_NONE && !f.ops)
		f.ops = COWRAP_OP_MASK_ALL;
	if ((f.mode == COWRAP_FAULT_FAIL_NTH ||
	     f.mode == COWRAP_FAULT_FAIL_EVERY) && !f.error)
		f.error = EIO;
	if (ctl_ioctl(COWRAP_IOC_SET_FAULT, &f) < 0)
		return ctl_fail("fault", f.dev_id, errno);
	if (json)
		printf("{\"id\": %u, \"mode\": %u, \"ops\": %u, \"nth\": %u, "
		       "\"error\": %u, \"latency_ns\": %llu}\n", f.dev_id,
		       f.mode, f.ops, f.nth, f.error,
		       (unsigned long long)f.latency_ns);
	return 0;
}

/* Arguments shared by pread, pwrite, discard, write-zeroes. */
static int io_args(int argc, char **argv, struct cowrap_io *io, int need_len,
		   const char **file, int *fua)
{
	static const struct option opts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "fua", no_argument, NULL, 'F' },
		HELP_OPT,
		{ 0 }
	};
	int c, nargs = need_len ? 3 : 2;

	while ((c = getopt_long(argc, argv, "+hf:", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!file)
				return usage_error("%s", "no --file here");
			*file = optarg;
			break;
		case 'F':
			if (!fua)
				return usage_error("%s", "no --fua here");
			*fua = 1;
			break;
		case 'h': cmd_usage(stdout, cur); return -1;
		default: return usage_error("%s", "bad option");
		}
	}
	if (argc - optind != nargs)
		return usage_error("%s", "wrong number of arguments");
	if (parse_dev(argv[optind], &io->dev_id))
		return usage_error("bad device '%s'", argv[optind]);
	if (parse_u64(argv[optind + 1], &io->offset))
		return usage_error("bad offset '%s'", argv[optind + 1]);
	if (need_len && parse_u64(argv[optind + 2], &io->length))
		return usage_error("bad length '%s'", argv[optind + 2]);
	return 0;
}

static int cmd_pread(int argc, char **argv)
{
	const char *file = NULL;
	struct cowrap_io io;
	char *buf;
	int out = 1, ret;

	memset(&io, 0, sizeof(io));
	io.size = sizeof(io);
	ret = io_args(argc, argv, &io, 1, &file, NULL);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (io.length > COWRAP_MAX_IO_LEN)
		return usage_error("length above %s", "1 MiB");
	buf = malloc(io.length ? io.length : 1);
	if (!buf)
		return ctl_fail("pread", io.dev_id, ENOMEM);
	io.buf = (uintptr_t)buf;
	ret = 0;
	if (ctl_ioctl(COWRAP_IOC_PREAD, &io) < 0) {
		ret = ctl_fail("pread", io.dev_id, errno);
		goto out;
	}
	if (file) {
		out = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (out < 0) {
			fprintf(stderr, "cowrapctl: %s: %s\n", file, strerror(errno));
			ret = 1;
			goto out;
		}
	}
	if (write(out, buf, io.length) != (ssize_t)io.length) {
		fprintf(stderr, "cowrapctl: write: %s\n", strerror(errno));
		ret = 1;
	}
	if (file)
		close(out);
out:
	free(buf);
	return ret;
}

/* Read all of @file (at most COWRAP_MAX_IO_LEN bytes). */
static char *slurp(const char *file, __u64 *len)
{
	char *buf = malloc(COWRAP_MAX_IO_LEN + 1);
	size_t n = 0;
	ssize_t r;
	int in = strcmp(file, "-") ? open(file, O_RDONLY) : 0;

	if (!buf || in < 0) {
		free(buf);
		return NULL;
	}
	while (n <= COWRAP_MAX_IO_LEN &&
	       (r = read(in, buf + n, COWRAP_MAX_IO_LEN + 1 - n)) > 0)
		n += r;
	if (in)
		close(in);
	*len = n;
	return buf;
}

static int cmd_pwrite(int argc, char **argv)
{
	const char *file = "-";
	struct cowrap_io io;
	int fua = 0, ret;
	char *buf;

	memset(&io, 0, sizeof(io));
	io.size = sizeof(io);
	ret = io_args(argc, argv, &io, 0, &file, &fua);
	if (ret)
		return ret < 0 ? 0 : ret;
	buf = slurp(file, &io.length);
	if (!buf) {
		fprintf(stderr, "cowrapctl: %s: %s\n", file, strerror(errno));
		return 1;
	}
	if (io.length > COWRAP_MAX_IO_LEN) {
		free(buf);
		return usage_error("input larger than %s", "1 MiB");
	}
	io.buf = (uintptr_t)buf;
	io.flags = fua ? COWRAP_IO_FUA : 0;
	ret = 0;
	if (ctl_ioctl(COWRAP_IOC_PWRITE, &io) < 0)
		ret = ctl_fail("pwrite", io.dev_id, errno);
	else if (json)
		printf("{\"id\": %u, \"offset\": %llu, \"written\": %llu}\n",
		       io.dev_id, (unsigned long long)io.offset,
		       (unsigned long long)io.length);
	free(buf);
	return ret;
}

static int cmd_range(int argc, char **argv, unsigned long req,
		     const char *what)
{
	struct cowrap_io io;
	int ret;

	memset(&io, 0, sizeof(io));
	io.size = sizeof(io);
	ret = io_args(argc, argv, &io, 1, NULL, NULL);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (ctl_ioctl(req, &io) < 0)
		return ctl_fail(what, io.dev_id, errno);
	return 0;
}

static int cmd_discard(int argc, char **argv)
{
	return cmd_range(argc, argv, COWRAP_IOC_DISCARD, "discard");
}

static int cmd_write_zeroes(int argc, char **argv)
{
	return cmd_range(argc, argv, COWRAP_IOC_WRITE_ZEROES,
			 "write-zeroes");
}

static int cmd_flush(int argc, char **argv)
{
	struct cowrap_io io;
	int ret;

	memset(&io, 0, sizeof(io));
	io.size = sizeof(io);
	ret = simple_dev_cmd(argc, argv, &io.dev_id, NULL, NULL);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (ctl_ioctl(COWRAP_IOC_FLUSH, &io) < 0)
		return ctl_fail("flush", io.dev_id, errno);
	return 0;
}

static int cmd_features(int argc, char **argv)
{
	static const char *const fnames[] = {
		"get-info", "dev", "stats", "fault", "sync-io", "features",
		"del-force",
	};
	struct cowrap_features ft;
	const char *sep = "";
	size_t i;

	(void)argc;
	(void)argv;
	memset(&ft, 0, sizeof(ft));
	ft.size = sizeof(ft);
	if (ctl_ioctl(COWRAP_IOC_GET_FEATURES, &ft) < 0)
		return ctl_fail("features", ~0U, errno);
	printf(json ? "{\"features\": [" : "features:        ");
	for (i = 0; i < ARRAY_LEN(fnames); i++)
		if (ft.features & (1ULL << i)) {
			printf(json ? "%s\"%s\"" : "%s%s", sep, fnames[i]);
			sep = json ? ", " : " ";
		}
	printf(json ? "], \"backends\": [" : "\nbackends:        ");
	sep = "";
	for (i = 1; i < ARRAY_LEN(backend_names); i++)
		if (ft.backends & (1ULL << i)) {
			printf(json ? "%s\"%s\"" : "%s%s", sep, backend_names[i]);
			sep = json ? ", " : " ";
		}
	if (json) {
		printf("], \"max_dev_size\": %llu, \"max_latency_ns\": %llu, "
		       "\"max_devices\": %u, \"max_hw_queues\": %u, "
		       "\"max_queue_depth\": %u, \"max_io_len\": %u, "
		       "\"min_lbs\": %u, \"max_lbs\": %u, \"max_pbs\": %u, "
		       "\"nr_devices\": %u}\n",
		       (unsigned long long)ft.max_dev_size,
		       (unsigned long long)ft.max_latency_ns, ft.max_devices,
		       ft.max_hw_queues, ft.max_queue_depth, ft.max_io_len,
		       ft.min_lbs, ft.max_lbs, ft.max_pbs, ft.nr_devices);
		return 0;
	}
	printf("\nmax device size: %llu bytes\nmax latency:     %llu ns\n"
	       "devices:         %u of %u\nhw queues:       1..%u\n"
	       "queue depth:     1..%u\nsync I/O length: up to %u bytes\n"
	       "block sizes:     logical %u..%u, physical up to %u\n",
	       (unsigned long long)ft.max_dev_size,
	       (unsigned long long)ft.max_latency_ns, ft.nr_devices,
	       ft.max_devices, ft.max_hw_queues, ft.max_queue_depth,
	       ft.max_io_len, ft.min_lbs, ft.max_lbs, ft.max_pbs);
	return 0;
}

static const struct ctl_cmd cmds[] = {
	{ "add", "add [OPTIONS] --size SIZE",
	  "Create a device and print its name (/dev/cowrapN).",
	  "  --id N             ask for id N (fails with 'File exists' if taken)\n"
	  "  --backend NAME     ram (default), null, bdev or cow\n"
	  "  --size SIZE        bytes, K/M/G/T suffixes; bdev, cow: 0 = lower size\n"
	  "  --path PATH        lower block device (bdev backend)\n"
	  "  --base PATH        cow: the read-only base device (same as --path)\n"
	  "  --overlay PATH     cow: the overlay device, holding the writes\n"
	  "  --chunk-size N     cow: the overlay's chunk size (with --format:\n"
	  "                     4096..1048576, default 65536)\n"
	  "  --format           cow: format the overlay first\n"
	  "  --force            cow: --format over a valid overlay\n"
	  "  --lbs N            logical block size, 512..4096 (default 512)\n"
	  "  --pbs N            physical block size (default: lbs)\n"
	  "  --queues N         hardware queues (default 1)\n"
	  "  --depth N          queue depth, 1..1024 (default 128)\n"
	  "  --latency-ns NS    latency added to every request\n"
	  "  --timeout-ms MS    fail a request running that long with ETIMEDOUT\n"
	  "                     (0 = never, the default; at most 3600000)\n"
	  "  --ro               read-only\n"
	  "  --wc               volatile write cache (FLUSH/FUA)\n"
	  "  --discard          support discard\n"
	  "  --write-zeroes     support write-zeroes\n", cmd_add },
	{ "del", "del [--force] DEVICE",
	  "Remove a device (DEVICE: N, cowrapN or /dev/cowrapN).",
	  "  --force            fail I/O now and remove after the last close\n",
	  cmd_del },
	{ "list", "list", "List the devices.", "", cmd_list },
	{ "info", "info DEVICE", "Show a device's parameters and state.", "",
	  cmd_info },
	{ "stats", "stats [--reset] DEVICE", "Show a device's counters.",
	  "  --reset            zero the counters after reading\n", cmd_stats },
	{ "fault", "fault MODE [--ops OPS] [--error ERR] [--latency-ns NS] DEVICE",
	  "Set or clear the device's fault rule.",
	  "  --fail-nth N       fail the Nth matching request once\n"
	  "  --fail-every N     fail every Nth matching request\n"
	  "  --delay-every N    delay every Nth matching request\n"
	  "  --clear            remove the rule\n"
	  "  --ops LIST         read,write,flush,discard,write-zeroes,all\n"
	  "                     (default all)\n"
	  "  --error ERR        EIO (default), ENOSPC, ETIMEDOUT, ENOLINK,\n"
	  "                     ENODATA, EILSEQ, EREMOTEIO\n"
	  "  --latency-ns NS    delay of --delay-every\n", cmd_fault },
	{ "pread", "pread [--file FILE] DEVICE OFFSET LENGTH",
	  "Read through the synchronous ioctl path (to stdout or FILE).",
	  "  --file FILE        write the data to FILE\n", cmd_pread },
	{ "pwrite", "pwrite [--file FILE] [--fua] DEVICE OFFSET",
	  "Write stdin (or FILE, at most 1 MiB) through the synchronous ioctl path.",
	  "  --file FILE        read the data from FILE\n"
	  "  --fua              forced unit access\n", cmd_pwrite },
	{ "flush", "flush DEVICE", "Flush through the synchronous ioctl path.",
	  "", cmd_flush },
	{ "discard", "discard DEVICE OFFSET LENGTH",
	  "Discard a range through the synchronous ioctl path.", "",
	  cmd_discard },
	{ "write-zeroes", "write-zeroes DEVICE OFFSET LENGTH",
	  "Zero a range through the synchronous ioctl path.", "",
	  cmd_write_zeroes },
	{ "cow-check", "cow-check [--base PATH] OVERLAY",
	  "Check a cow overlay offline (exit 1 if inconsistent).",
	  "  --base PATH        also check that PATH is the overlay's base\n",
	  cmd_cow_check },
	{ "features", "features", "Show what the loaded module supports.", "",
	  cmd_features },
	{ "version", "version", "Show the module and ABI versions.", "",
	  cmd_version },
};

#define NCMDS ARRAY_LEN(cmds)

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: cowrapctl [--json] COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %-14s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f, "\n'cowrapctl COMMAND --help' describes a command.\n");
}

static int wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	size_t i;
	int ret;

	while (argc > 1 && argv[1][0] == '-') {
		if (!strcmp(argv[1], "--json")) {
			json = 1;
		} else if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "cowrapctl: unknown option %s\n", argv[1]);
			usage(stderr);
			return 2;
		}
		argc--;
		argv++;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	for (i = 0; i < NCMDS; i++)
		if (!strcmp(argv[1], cmds[i].name))
			cur = &cmds[i];
	if (!cur) {
		fprintf(stderr, "cowrapctl: unknown command '%s'\n", argv[1]);
		usage(stderr);
		return 2;
	}
	if (wants_help(argc - 1, argv + 1)) {
		cmd_usage(stdout, cur);
		return 0;
	}
	ret = cur->run(argc - 1, argv + 1);
	if (ctl_fd_cache >= 0)
		close(ctl_fd_cache);
	return ret;
}
