// SPDX-License-Identifier: GPL-2.0
/*
 * cowrapctl option parsing: each command's table of options, the output
 * options every printing command shares, numbers and device names.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cowrapctl.h"

#define OPT_KEY_BASE	256
#define OPT_MAX		64

const struct ctl_cmd *ctl_cur;

static const struct option out_longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "noheadings", no_argument, NULL, 'n' },
	{ "raw", no_argument, NULL, 'r' },
	{ "json", no_argument, NULL, 'J' },
	{ "list", no_argument, NULL, 'l' },
};

static const char out_help[] =
	"  -o, --output COLUMNS  the columns to print (+COLUMNS: after the defaults)\n"
	"  -n, --noheadings      no header line (record form: values only)\n"
	"  -r, --raw             raw table: one space between columns\n"
	"  -J, --json            JSON: {\"TABLE\": [{\"column\": value, ...}]}\n"
	"  -l, --list            a table even for one device or record\n";

/**
 * ctl_out_opt() - apply an output option (before or after the command)
 * @key: its short letter
 * @arg: -o's argument
 *
 * Return: 0, or -1 if @key is not an output option.
 */
int ctl_out_opt(int key, const char *arg)
{
	switch (key) {
	case 'o': out_opts.columns = arg; break;
	case 'n': out_opts.noheadings = 1; break;
	case 'r': out_opts.raw = 1; break;
	case 'J': out_opts.json = 1; break;
	case 'l': out_opts.list = 1; break;
	default: return -1;
	}
	return 0;
}

/**
 * usage_error() - report a usage error of the current command
 * @fmt: printf format with at most one %s
 * @arg: its argument
 *
 * Return: 2, the exit status of a usage error.
 */
int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "cowrapctl: %s: ", ctl_cur->name);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'cowrapctl %s --help'.\n", ctl_cur->name);
	return 2;
}

static void opt_help(const struct ctl_opt *o)
{
	char head[64];
	const char *h = o->help, *nl;

	snprintf(head, sizeof(head), "--%s%s%s", o->name, o->arg ? " " : "",
		 o->arg ? o->arg : "");
	nl = strchr(h, '\n');
	printf("  %-21s %.*s\n", head, (int)(nl ? nl - h : (long)strlen(h)), h);
	while (nl) {
		h = nl + 1;
		nl = strchr(h, '\n');
		printf("  %-21s %.*s\n", "", (int)(nl ? nl - h : (long)strlen(h)),
		       h);
	}
}

/**
 * ctl_cmd_usage() - print a command's --help
 * @c: the command
 */
void ctl_cmd_usage(const struct ctl_cmd *c)
{
	const struct ctl_opt *o;

	printf("usage: cowrapctl %s%s %s\n\n%s\n", c->out ? "[OUTPUT OPTIONS] " : "",
	       c->name, c->usage, c->help);
	if (c->opts && c->opts->name) {
		printf("\noptions:\n");
		for (o = c->opts; o->name; o++)
			opt_help(o);
	}
	if (c->out) {
		printf("\noutput options:\n%s", out_help);
		out_help_columns(c->out);
	}
}

static size_t build_longopts(const struct ctl_cmd *c, struct option *lo)
{
	size_t n = 0, i;

	for (i = 0; c->opts && c->opts[i].name && n < OPT_MAX - 8; i++, n++) {
		lo[n].name = c->opts[i].name;
		lo[n].has_arg = c->opts[i].arg ? required_argument : no_argument;
		lo[n].flag = NULL;
		lo[n].val = OPT_KEY_BASE + i;
	}
	if (c->out)
		for (i = 0; i < ARRAY_LEN(out_longopts); i++)
			lo[n++] = out_longopts[i];
	lo[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[n] = (struct option){ 0 };
	return n;
}

/**
 * ctl_parse_opts() - parse a command's options from its table
 * @c: the command
 * @ctx: the context its options' set() fill
 * @argc: arguments, argv[0] being the command's name
 * @argv: they
 *
 * Return: 0 with optind at the first argument after the options,
 * CTL_HELP after printing --help, or 2 after a usage error.
 */
int ctl_parse_opts(const struct ctl_cmd *c, void *ctx, int argc, char **argv)
{
	struct option lo[OPT_MAX];
	int key;

	build_longopts(c, lo);
	optind = 0;	/* GNU getopt: start over, ordering included */
	opterr = 0;
	/* options may follow the arguments, as in util-linux */
	while ((key = getopt_long(argc, argv, c->out ? ":ho:nrJl" : ":h", lo,
				  NULL)) != -1) {
		if (key == 'h') {
			ctl_cmd_usage(c);
			return CTL_HELP;
		}
		if (key >= OPT_KEY_BASE) {
			const struct ctl_opt *o = &c->opts[key - OPT_KEY_BASE];

			if (o->set(ctx, o->arg ? optarg : NULL))
				return usage_error("bad value '%s'",
						   optarg ? optarg : o->name);
			continue;
		}
		if (key == ':')
			return usage_error("option '%s' needs a value",
					   argv[optind - 1]);
		if (key == '?' || ctl_out_opt(key, optarg))
			return usage_error("bad option '%s'", argv[optind - 1]);
	}
	if (c->out)
		return out_check_columns(c->out);
	return 0;
}

/**
 * parse_u64() - a number with an optional K, M, G, T (binary) suffix
 * @s: the text
 * @v: the value
 *
 * Return: 0, or -1 if @s is not such a number or overflows.
 */
int parse_u64(const char *s, __u64 *v)
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

/**
 * parse_u32() - parse_u64() with a 32-bit result
 * @s: the text
 * @v: the value
 *
 * Return: 0, or -1.
 */
int parse_u32(const char *s, __u32 *v)
{
	__u64 n;

	if (parse_u64(s, &n) || n > 0xffffffffULL)
		return -1;
	*v = n;
	return 0;
}

/**
 * parse_dev() - a device: "3", "cowrap3" or "/dev/cowrap3"
 * @s: the text
 * @id: its id
 *
 * Return: 0, or -1.
 */
int parse_dev(const char *s, __u32 *id)
{
	if (!strncmp(s, "/dev/", 5))
		s += 5;
	if (!strncmp(s, "cowrap", 6))
		s += 6;
	if (*s < '0' || *s > '9')
		return -1;
	return parse_u32(s, id);
}

/**
 * dev_args() - the single DEVICE argument left after the options
 * @argc: arguments left
 * @argv: they
 * @id: the device's id
 *
 * Return: 0, or 2 after a usage error.
 */
int dev_args(int argc, char **argv, __u32 *id)
{
	if (argc != 1)
		return usage_error("%s", argc ? "too many arguments" :
				   "missing device");
	if (parse_dev(argv[0], id))
		return usage_error("bad device '%s'", argv[0]);
	return 0;
}
