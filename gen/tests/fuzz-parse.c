// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for cowrap-gen: tokenizer, conditional tracking,
 * declaration parser, model checks and both emitters on arbitrary input.
 * Built with clang -fsanitize=fuzzer,address,undefined; any crash,
 * sanitizer report or leak is a failure.  Every input is read three
 * times: with the fast path over unmarked text (skim.c), token by token,
 * and with every parameter list read again from the input instead of
 * kept as tokens (plist.c, spill_tokens 1): the three must agree on the
 * result, the errors (how many, where the first is) and the output.
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
		bool token_only, int spill_tokens, struct result *r)
{
	struct ctx_rule rule = { "struct cowrap_dev *", "cowrap_dev_ctx" };
	struct model m;

	memset(&m, 0, sizeof(m));
	m.flavor = flavor;
	m.default_ctx = "cowrap_default_ctx()";
	m.rules = &rule;
	m.nrules = 1;
	m.token_only = token_only;
	m.spill_tokens = spill_tokens;
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

static bool same(const struct result *a, const struct result *b)
{
	return a->ret == b->ret && a->errors == b->errors &&
	       a->first.line == b->first.line && a->first.col == b->first.col &&
	       a->out.len == b->out.len &&
	       (!a->out.len || !memcmp(a->out.buf, b->out.buf, a->out.len));
}

static void all_ways(const uint8_t *data, size_t size, enum flavor flavor)
{
	struct result a = { 0 }, b = { 0 }, c = { 0 };

	run(data, size, flavor, false, 0, &a);
	run(data, size, flavor, true, 0, &b);
	run(data, size, flavor, false, 1, &c);
	if (!same(&a, &b))
		__builtin_trap();	/* the fast path changed the result */
	if (!same(&a, &c))
		__builtin_trap();	/* spilling a list changed the result */
	sb_free(&a.out);
	sb_free(&b.out);
	sb_free(&c.out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	diag_set_quiet(true);
	all_ways(data, size, FLAVOR_COWRAP);
	all_ways(data, size, FLAVOR_QEMU);
	return 0;
}
