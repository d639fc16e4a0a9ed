// SPDX-License-Identifier: GPL-2.0
/*
 * cowrapctl: control cowrap block devices through /dev/cowrap-ctl.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/cowrap.h>

struct ctl_cmd {
	const char *name;
	const char *usage;
	const char *help;
	int (*run)(int fd, int argc, char **argv);
};

static int json;

static int cmd_version(int fd, int argc, char **argv)
{
	struct cowrap_info info;

	(void)argc;
	(void)argv;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	if (ioctl(fd, COWRAP_IOC_GET_INFO, &info) < 0) {
		fprintf(stderr, "cowrapctl: GET_INFO: %s\n", strerror(errno));
		return 1;
	}
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

static const struct ctl_cmd cmds[] = {
	{ "version", "version", "show the module and ABI versions",
	  cmd_version },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: cowrapctl [--json] COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %-28s %s\n", cmds[i].usage, cmds[i].help);
}

int main(int argc, char **argv)
{
	const struct ctl_cmd *cmd = NULL;
	size_t i;
	int fd, ret;

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
			cmd = &cmds[i];
	if (!cmd) {
		fprintf(stderr, "cowrapctl: unknown command '%s'\n", argv[1]);
		usage(stderr);
		return 2;
	}
	fd = open(COWRAP_CTL_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "cowrapctl: %s: %s\n", COWRAP_CTL_DEVICE,
			strerror(errno));
		return 1;
	}
	ret = cmd->run(fd, argc - 1, argv + 1);
	close(fd);
	return ret;
}
