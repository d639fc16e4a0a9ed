// SPDX-License-Identifier: GPL-2.0
/*
 * cowrapctl: control cowrap block devices through /dev/cowrap-ctl.
 * Documentation/cowrapctl.rst describes every command; this file holds the
 * table of commands and the options that come before one.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cowrapctl.h"

/* A command is one row here (its definition in the file of its concern). */
static const struct ctl_cmd *const cmds[] = {
	&cmd_add, &cmd_del, &cmd_list, &cmd_info, &cmd_stats, &cmd_fault,
	&cmd_pread, &cmd_pwrite, &cmd_flush, &cmd_discard, &cmd_write_zeroes,
	&cmd_cow_check, &cmd_features, &cmd_version,
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: cowrapctl [OUTPUT OPTIONS] COMMAND [ARGS]\n"
		"       cowrapctl -l [OUTPUT OPTIONS] [DEVICE...]\n\n"
		"output options (before or after the command):\n"
		"  -o, --output COLUMNS  the columns to print\n"
		"  -n, --noheadings      no header line\n"
		"  -r, --raw             raw table\n"
		"  -J, --json            JSON\n"
		"  -l, --list            a table; alone: list the devices\n"
		"\ncommands:\n");
	for (i = 0; i < ARRAY_LEN(cmds); i++)
		fprintf(f, "  %-14s %s\n", cmds[i]->name, cmds[i]->help);
	fprintf(f, "\n'cowrapctl COMMAND --help' describes a command and its "
		"columns.\n");
}

static const struct ctl_cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(cmds); i++)
		if (!strcmp(name, cmds[i]->name))
			return cmds[i];
	return NULL;
}

static int wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}

/* The options before the command; returns the command's index or -2. */
static int global_opts(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "raw", no_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'J' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int key;

	opterr = 0;
	while ((key = getopt_long(argc, argv, "+ho:nrJl", lo, NULL)) != -1) {
		if (key == 'h') {
			usage(stdout);
			return -1;
		}
		if (key == '?' || key == ':' || ctl_out_opt(key, optarg)) {
			fprintf(stderr, "cowrapctl: bad option '%s'\n",
				argv[optind - 1]);
			usage(stderr);
			return -2;
		}
	}
	return optind;
}

static int run_cmd(const struct ctl_cmd *c, int argc, char **argv)
{
	void *ctx = calloc(1, c->ctx_size ? c->ctx_size : 1);
	int ret;

	if (!ctx) {
		fprintf(stderr, "cowrapctl: out of memory\n");
		return 1;
	}
	if (c->init)
		c->init(ctx);
	ctl_cur = c;
	ret = ctl_parse_opts(c, ctx, argc, argv);
	if (!ret && !c->out && (out_any() || out_opts.noheadings))
		ret = usage_error("%s", "prints no table: no -o, -n, -r, -J, -l");
	if (!ret)
		ret = c->run(ctx, argc - optind, argv + optind);
	free(ctx);
	return ret == CTL_HELP ? 0 : ret;
}

int main(int argc, char **argv)
{
	const struct ctl_cmd *c;
	int first, ret;

	first = global_opts(argc, argv);
	if (first < 0)
		return first == -1 ? 0 : 2;
	argc -= first - 1;
	argv += first - 1;
	/* "cowrapctl -l [DEVICE...]" lists, as "losetup -l" does */
	if (out_opts.list && (argc < 2 || !find_cmd(argv[1]))) {
		argv[0] = (char *)cmd_list.name;
		c = &cmd_list;
	} else if (argc < 2) {
		usage(stderr);
		return 2;
	} else {
		c = find_cmd(argv[1]);
		argc--;
		argv++;
	}
	if (!c) {
		fprintf(stderr, "cowrapctl: unknown command '%s'\n", argv[0]);
		usage(stderr);
		return 2;
	}
	if (wants_help(argc, argv)) {
		ctl_cmd_usage(c);
		return 0;
	}
	ret = run_cmd(c, argc, argv);
	ctl_close();
	return ret;
}
