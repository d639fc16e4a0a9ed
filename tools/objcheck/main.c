// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-objcheck: command line front end.
 *
 *	cowrap-objcheck [-d DEFS.o]... FILE...
 *
 * Checks each FILE (.o or .ko); -d files only contribute the classes of
 * the functions they define (for callees that FILE only declares).
 * Exit status: 0 clean, 1 violations found, 2 bad usage or bad input.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "objcheck.h"

#define OBJCHECK_VERSION "1.0"

struct input {
	const char *path;
	void *buf;
	size_t len;
	struct oc_obj obj;
	int check;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cowrap-objcheck [-d DEFS]... FILE...\n"
		"Check calling contexts (coroutine_fn, coroutine_mixed_fn,\n"
		"no_coroutine_fn) in x86-64 relocatable objects (.o, .ko).\n"
		"\n"
		"  -d, --defs FILE  read function classes from FILE, do not check it\n"
		"  -h, --help       show this help\n"
		"  -V, --version    show the version\n"
		"\n"
		"Exit status: 0 clean, 1 violations found, 2 error.\n");
}

static int read_file(struct input *in)
{
	struct stat st;
	ssize_t got;
	size_t done = 0;
	int fd;

	fd = open(in->path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "cowrap-objcheck: %s: %s\n", in->path,
			strerror(errno));
		return -1;
	}
	if (fstat(fd, &st)) {
		fprintf(stderr, "cowrap-objcheck: %s: %s\n", in->path,
			strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "cowrap-objcheck: %s: %s\n", in->path,
			S_ISDIR(st.st_mode) ? "is a directory" :
			"not a regular file");
		close(fd);
		return -1;
	}
	in->len = (size_t)st.st_size;
	in->buf = malloc(in->len ? in->len : 1);
	if (!in->buf) {
		fprintf(stderr, "cowrap-objcheck: %s: out of memory\n", in->path);
		close(fd);
		return -1;
	}
	while (done < in->len) {
		got = read(fd, (char *)in->buf + done, in->len - done);
		if (got <= 0) {
			fprintf(stderr, "cowrap-objcheck: %s: read error\n",
				in->path);
			close(fd);
			return -1;
		}
		done += (size_t)got;
	}
	close(fd);
	return 0;
}

static int load(struct input *in)
{
	char err[256];

	if (read_file(in))
		return -1;
	if (oc_obj_open_mem(&in->obj, in->path, in->buf, in->len, err,
			    sizeof(err)) ||
	    oc_read_records(&in->obj, err, sizeof(err))) {
		fprintf(stderr, "cowrap-objcheck: %s: %s\n", in->path, err);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "defs", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct oc_world world = { 0 };
	struct input *in;
	int n = 0, c, i, status = 0, ndefs = 0;

	in = calloc((size_t)argc, sizeof(*in));
	if (!in)
		return 2;
	while ((c = getopt_long(argc, argv, "d:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			in[n].path = optarg;
			in[n++].check = 0;
			ndefs++;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("cowrap-objcheck %s\n", OBJCHECK_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	for (i = optind; i < argc; i++) {
		in[n].path = argv[i];
		in[n++].check = 1;
	}
	if (n == ndefs) {
		usage(stderr);
		return 2;
	}
	if (elf_version(EV_CURRENT) == EV_NONE) {
		fprintf(stderr, "cowrap-objcheck: libelf too old\n");
		return 2;
	}
	for (i = 0; i < n; i++) {
		if (load(&in[i]))
			status = 2;
		else
			oc_world_add(&world, &in[i].obj);
	}
	for (i = 0; i < n && status != 2; i++) {
		char err[256];
		int found;

		if (!in[i].check)
			continue;
		found = oc_check(&in[i].obj, &world, stdout, err, sizeof(err));
		if (found < 0) {
			fprintf(stderr, "cowrap-objcheck: %s: %s\n", in[i].path,
				err);
			status = 2;
		} else if (found > 0) {
			status = 1;
		}
	}
	for (i = 0; i < n; i++) {
		oc_obj_close(&in[i].obj);
		free(in[i].buf);
	}
	oc_world_free(&world);
	free(in);
	return status;
}
