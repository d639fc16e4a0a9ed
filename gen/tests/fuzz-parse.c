// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for cowrap-gen: tokenizer, conditional tracking,
 * declaration parser, model checks and both emitters on arbitrary input.
 * Built with clang -fsanitize=fuzzer,address,undefined; any crash,
 * sanitizer report or leak is a failure.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cowrap-gen.h"

static void run(const uint8_t *data, size_t size, enum flavor flavor)
{
	struct ctx_rule rule = { "struct cowrap_dev *", "cowrap_dev_ctx" };
	struct model m;
	struct strbuf out = { 0 };

	memset(&m, 0, sizeof(m));
	m.flavor = flavor;
	m.default_ctx = "cowrap_default_ctx()";
	m.rules = &rule;
	m.nrules = 1;
	diag_reset();
	if (parse_buffer(&m, 0, "fuzz.h", (const char *)data, size) == 0 &&
	    model_resolve(&m) == 0)
		emit_model(&out, &m, NULL, NULL);
	sb_free(&out);
	name_set_free(&m.functions);
	name_set_free(&m.wrappers);
	arena_free(&m.arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	diag_set_quiet(true);
	run(data, size, FLAVOR_COWRAP);
	run(data, size, FLAVOR_QEMU);
	return 0;
}
