// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for cowrap-gen: tokenizer, conditional tracking,
 * declaration parser, model checks and both emitters on arbitrary input.
 * Built with clang -fsanitize=fuzzer,address,undefined; any crash,
 * sanitizer report or leak is a failure.  Every input is read twice, with
 * the fast path over unmarked text (skim.c) and token by token: the two
 * must agree on the result, the errors (how many, where the first is) and
 * the output.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cowrap-gen.h"

/* what one run produced */
struct result {
	int ret;
	int errors;
	struct srcpos first;	/* of the first error */
	struct strbuf out;
};

static void run(const uint8_t *data, size_t size, enum flavor flavor,
		bool token_only, struct result *r)
{
	struct ctx_rule rule = { "struct cowrap_dev *", "cowrap_dev_ctx" };
	struct model m;

	memset(&m, 0, sizeof(m));
	m.flavor = flavor;
	m.default_ctx = "cowrap_default_ctx()";
	m.rules = &rule;
	m.nrules = 1;
	m.token_only = token_only;
	diag_reset();
	r->ret = parse_buffer(&m, 0, "fuzz.h", (const char *)data, size);
	if (!r->ret && !diag_error_count())
		r->ret = model_resolve(&m);
	if (!r->ret && !diag_error_count())
		emit_model(&r->out, &m, NULL, NULL);
	r->errors = diag_error_count();
	r->first = diag_first_error();
	name_set_free(&m.functions);
	wrapper_set_free(&m.wrappers);
	arena_free(&m.arena);
}

static void both(const uint8_t *data, size_t size, enum flavor flavor)
{
	struct result a = { 0 }, b = { 0 };

	run(data, size, flavor, false, &a);
	run(data, size, flavor, true, &b);
	if (a.ret != b.ret || a.errors != b.errors ||
	    a.first.line != b.first.line || a.first.col != b.first.col ||
	    a.out.len != b.out.len ||
	    (a.out.len && memcmp(a.out.buf, b.out.buf, a.out.len)))
		__builtin_trap();	/* the fast path changed the result */
	sb_free(&a.out);
	sb_free(&b.out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	diag_set_quiet(true);
	both(data, size, FLAVOR_COWRAP);
	both(data, size, FLAVOR_QEMU);
	return 0;
}
