// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-gen parser unit tests: tokenizer, conditional tracking,
 * declaration parser and model helpers, on in-memory inputs.
 * Prints "ok - name" / "not ok - name" lines; run.sh numbers them.
 */
#include <stdio.h>
#include <string.h>

#include "cowrap-gen.h"

static int failures;
static bool case_ok;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		printf("# %s:%d: check failed: %s\n", __FILE__,		\
		       __LINE__, #cond);					\
		case_ok = false;					\
	}								\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *_a = (a), *_b = (b);				\
	if (!_a || strcmp(_a, _b)) {					\
		printf("# %s:%d: '%s' != '%s'\n", __FILE__, __LINE__,	\
		       _a ? _a : "(null)", _b);				\
		case_ok = false;					\
	}								\
} while (0)

static void report(const char *name)
{
	printf("%s - %s\n", case_ok ? "ok" : "not ok", name);
	if (!case_ok)
		failures++;
}

/* parse @src as one file; the model must be freed with model_done() */
static int parse(struct model *m, const char *src)
{
	memset(m, 0, sizeof(*m));
	m->default_ctx = "cowrap_default_ctx()";
	diag_reset();
	if (parse_buffer(m, 0, "t.h", src, strlen(src)) < 0)
		return -1;
	return model_resolve(m);
}

static void model_done(struct model *m)
{
	name_set_free(&m->functions);
	wrapper_set_free(&m->wrappers);
	arena_free(&m->arena);
}

static void test_tokens(void)
{
	struct arena a = { 0 };
	const char *src = "int\tx; /* c */ y\r\n  #  define  Z 1 \\\r\n 2\n\"s\\\"\" 'c' ... ->";
	struct token *t = tokenize(&a, "t.h", src, strlen(src));

	case_ok = true;
	CHECK_STR(t->text, "int");
	t = t->next;
	CHECK_STR(t->text, "x");
	CHECK(t->pos.line == 1 && t->pos.col == 9);	/* tab stop 8 */
	t = t->next->next;
	CHECK_STR(t->text, "y");
	CHECK(t->space_before);
	t = t->next;
	CHECK(t->kind == TK_DIRECTIVE);
	CHECK_STR(t->text, "define Z 1 2");
	CHECK(t->pos.line == 2 && t->pos.col == 3);
	t = t->next;
	CHECK(t->kind == TK_STRING && t->pos.line == 4);
	CHECK_STR(t->text, "\"s\\\"\"");
	t = t->next;
	CHECK(t->kind == TK_CHAR);
	t = t->next;
	CHECK_STR(t->text, "...");
	t = t->next;
	CHECK_STR(t->text, "->");
	CHECK(t->next->kind == TK_EOF);
	arena_free(&a);
	report("tokenizer: tabs, CRLF, directives with continuations, literals");
}

static void test_utf8_columns(void)
{
	struct arena a = { 0 };
	const char *src = "/* \xc3\xa9t\xc3\xa9 */ x";
	struct token *t = tokenize(&a, "t.h", src, strlen(src));

	case_ok = true;
	CHECK(t->pos.col == 11);
	arena_free(&a);
	report("tokenizer: UTF-8 continuation bytes take no column");
}

/* the whole directive of branch @c, in a static buffer */
static const char *branch_text(const struct cond *c)
{
	static struct strbuf sb;

	sb.len = 0;
	cond_text(&sb, c);
	sb_reserve(&sb, 1);
	sb.buf[sb.len] = '\0';
	return sb.buf;
}

static bool is_guard(const struct cond *c)
{
	return cond_group(c)->flags & COND_GUARD;
}

static void test_guard(void)
{
	struct model m;
	const struct cond *c;

	case_ok = true;
	CHECK(parse(&m, "#ifndef G\n#define G\n#ifdef A\nint co_wrapper a_b(int x);\n#endif\n#endif\n") == 0);
	c = m.first ? m.first->cond.branch : NULL;
	CHECK(c && c->parent && m.first->cond.depth == 2);
	CHECK(c && is_guard(c->parent) && m.first->cond.guard == c->parent);
	CHECK(c && !is_guard(c));
	model_done(&m);
	CHECK(parse(&m, "#ifndef G\n#define G\nint co_wrapper a_b(int x);\n#endif\nint y;\n") == 0);
	c = m.first ? m.first->cond.branch : NULL;
	CHECK(c && !is_guard(c));
	model_done(&m);
	CHECK(parse(&m, "#ifndef G\nint co_wrapper a_b(int x);\n#endif\n") == 0);
	c = m.first ? m.first->cond.branch : NULL;
	CHECK(c && !is_guard(c));
	model_done(&m);
	report("conditionals: include guard recognised, other #ifndef kept");
}

static void test_branches(void)
{
	struct model m;
	const struct cond *c;

	case_ok = true;
	CHECK(parse(&m, "#if A\n#elif B\nint co_wrapper a_b(int x);\n#else\nint co_wrapper a_c(int x);\n#endif\n") == 0);
	c = m.first->cond.branch;
	CHECK(c && cond_index(c) == 1 && m.first->cond.depth == 1);
	CHECK_STR(branch_text(c), "elif B");
	CHECK(cond_prev(c) && !cond_prev(cond_prev(c)) &&
	      cond_index(cond_prev(c)) == 0);
	CHECK(cond_group(c) == cond_prev(c));
	CHECK_STR(branch_text(cond_prev(c)), "if A");
	c = m.first->next->cond.branch;
	CHECK(c && cond_index(c) == 2 && cond_prev(c) == m.first->cond.branch);
	CHECK_STR(branch_text(c), "else");
	model_done(&m);
	CHECK(parse(&m, "#if(A)\n#ifdef  B\nint co_wrapper a_b(int x);\n#endif\n#endif\n") == 0);
	c = m.first->cond.branch;
	CHECK(c && m.first->cond.depth == 2);
	CHECK_STR(branch_text(c), "ifdef B");
	CHECK_STR(branch_text(c->parent), "if(A)");
	CHECK(!c->parent->parent);
	model_done(&m);
	report("conditionals: branch chains for #elif/#else");
}

static void test_return_types(void)
{
	struct model m;
	const struct decl *d;

	case_ok = true;
	CHECK(parse(&m,
		"const struct foo *const co_wrapper a_b(int x);\n"
		"const int co_wrapper a_c(int x);\n"
		"static_assert_like_t __must_check MACRO co_wrapper a_d(int x);\n"
		"unsigned long long co_wrapper __attribute__((cold)) a_e(int x);\n"
		"char * volatile * co_wrapper a_f(int x);\n"
		"MACRO(3) void co_wrapper a_g(void);\n"
		"void __user *co_wrapper a_h(void);\n") == 0);
	d = m.first;
	CHECK_STR(d->ret, "const struct foo *");
	d = d->next;
	CHECK_STR(d->ret, "int");
	d = d->next;
	CHECK_STR(d->ret, "static_assert_like_t");
	d = d->next;
	CHECK_STR(d->ret, "unsigned long long");
	d = d->next;
	CHECK_STR(d->ret, "char *volatile *");
	d = d->next;
	CHECK_STR(d->ret, "void");
	CHECK(d->is_void && d->nparams == 0);
	d = d->next;
	CHECK_STR(d->ret, "void __user *");
	CHECK(!d->is_void);
	model_done(&m);
	report("parser: return types normalised, attributes and macros dropped");
}

static void test_params(void)
{
	struct model m;
	const struct param *p;

	case_ok = true;
	CHECK(parse(&m, "int co_wrapper a_b(const u8 key[const 16], int m[2][3], "
		   "void (*done)(void *o, int r), int (*pick[2])(int), "
		   "void cb(int), char __user *buf /* c */, unsigned x);\n") == 0);
	p = m.first->params;
	CHECK(m.first->nparams == 7);
	CHECK_STR(p[0].field, "const u8 *const key");
	CHECK_STR(p[0].text, "const u8 key[const 16]");
	CHECK_STR(p[1].field, "int (*m)[3]");
	CHECK_STR(p[2].field, "void (*done)(void *o, int r)");
	CHECK_STR(p[2].name, "done");
	CHECK_STR(p[3].field, "int (**pick)(int)");
	CHECK_STR(p[4].field, "void (*cb)(int)");
	CHECK_STR(p[5].text, "char __user *buf");
	CHECK(!p[5].type);
	CHECK_STR(p[0].type, "const u8 [ const 16 ]");
	CHECK_STR(p[6].name, "x");
	model_done(&m);
	report("parser: parameters, arrays and functions decay in fields");
}

static void test_skip_unmarked(void)
{
	struct model m;

	case_ok = true;
	CHECK(parse(&m,
		"struct s { int co_wrapper_count; int (*f)(int); };\n"
		"static int f(int x) { int co_wrapper = 1; return x; }\n"
		"int co_wrapper_helper(int x);\n"
		"enum { A = sizeof(struct s) };\n"
		"int g(void) __attribute__((cold)) { return '}'; }\n"
		"int co_wrapper a_b(int x);\n") == 0);
	CHECK(m.ndecls == 1);
	CHECK_STR(m.first->name, "a_b");
	model_done(&m);
	report("parser: unmarked structs, bodies, prototypes skipped");
}

static void test_naming(void)
{
	struct model m;
	const struct decl *d;
	const char *pfx[] = { "cw_dev" };

	case_ok = true;
	CHECK(parse(&m,
		"int coroutine_fn cw_dev_co_pread(int x);\n"
		"int co_wrapper cw_dev_pread(int x);\n"
		"int co_wrapper bdrv_pwrite_zeroes(int x);\n"
		"int no_co_wrapper cw_dev_co_open(int x);\n") == 0);
	d = m.first;
	CHECK_STR(d->target, "cw_dev_co_pread");
	d = d->next;
	CHECK_STR(d->target, "bdrv_co_pwrite_zeroes");
	d = d->next;
	CHECK_STR(d->target, "cw_dev_open");
	model_done(&m);

	memset(&m, 0, sizeof(m));
	m.prefixes = pfx;
	m.nprefixes = 1;
	diag_reset();
	CHECK(parse_buffer(&m, 0, "t.h", "int co_wrapper cw_dev_flush(int x);", 35) == 0);
	CHECK(model_resolve(&m) == 0);
	CHECK_STR(m.first->target, "cw_dev_co_flush");
	model_done(&m);
	report("model: naming rule from declarations, --prefix, first underscore");
}

static void test_ctx(void)
{
	struct model m;
	struct ctx_rule r = { "struct dev *", "dev_ctx" };

	case_ok = true;
	CHECK(parse(&m, "int co_wrapper a_b(struct dev * d);\n"
		   "int co_wrapper a_c(const struct dev *d);\n"
		   "int co_wrapper a_d(void);\n") == 0);
	m.rules = &r;
	m.nrules = 1;
	CHECK_STR(model_ctx_expr(&m, m.first), "dev_ctx(d)");
	CHECK_STR(model_ctx_expr(&m, m.first->next), "cowrap_default_ctx()");
	CHECK_STR(model_ctx_expr(&m, m.first->next->next), "cowrap_default_ctx()");
	model_done(&m);
	report("model: context rules match the exact first parameter type");
}

static void test_signed(void)
{
	case_ok = true;
	CHECK(type_is_signed_int("int"));
	CHECK(type_is_signed_int("long long"));
	CHECK(type_is_signed_int("ssize_t"));
	CHECK(!type_is_signed_int("unsigned int"));
	CHECK(!type_is_signed_int("bool"));
	CHECK(!type_is_signed_int("int *"));
	CHECK(!type_is_signed_int("char"));
	report("model: signed integer return types");
}

static void test_errors_continue(void)
{
	struct model m;

	case_ok = true;
	diag_set_quiet(true);
	CHECK(parse(&m, "int co_wrapper a_b(int x, ...);\nint co_wrapper a_c(int);\n") < 0);
	CHECK(diag_error_count() == 2);
	model_done(&m);
	diag_set_quiet(false);
	report("parser: reports every bad declaration, not just the first");
}

int main(void)
{
	test_tokens();
	test_utf8_columns();
	test_guard();
	test_branches();
	test_return_types();
	test_params();
	test_skip_unmarked();
	test_naming();
	test_ctx();
	test_signed();
	test_errors_continue();
	return failures ? 1 : 0;
}
