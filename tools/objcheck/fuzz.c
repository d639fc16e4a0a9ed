// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer entry point for cowrap-objcheck: parse arbitrary bytes as an
 * object, apply its records and check it, as the command line tool does.
 * Built with clang -fsanitize=fuzzer,address,undefined by objcheck.mk.
 */
#include <stdlib.h>
#include <string.h>

#include "objcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct oc_world w = { 0 };
	struct oc_obj o;
	char err[256];
	void *buf;

	if (!null) {
		elf_version(EV_CURRENT);
		null = fopen("/dev/null", "w");
		if (!null)
			abort();
	}
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (!oc_obj_open_mem(&o, "fuzz", buf, size, err, sizeof(err)) &&
	    !oc_read_records(&o, err, sizeof(err))) {
		oc_world_add(&w, &o);
		oc_check(&o, &w, null, err, sizeof(err));
	}
	oc_obj_close(&o);
	oc_world_free(&w);
	free(buf);
	return 0;
}
