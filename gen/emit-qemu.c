// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-gen: the QEMU output flavor (--flavor=qemu).
 *
 * Emits, per declaration, the C that QEMU's
 * scripts/block-coroutine-wrapper.py emits for the same declaration (the
 * state of upstream this follows is described in
 * Documentation/cowrap-gen.rst): a typedef'd argument struct named by
 * camel-casing the wrapper name, the _entry function with the graph read
 * lock for the *_bdrv_rdlock variants, the polling wrapper (mixed variants
 * call the coroutine function directly in coroutine context), and for
 * no_co_wrapper* a _bh function run in the main loop that wakes the
 * coroutine.  Everything after the header comment is byte for byte what
 * the script writes for the declarations it reads; the header comment is
 * cowrap-gen's own.
 */
#include <string.h>

#include "cowrap-gen.h"

static void prologue(struct strbuf *out, const struct model *m)
{
	static const char *const includes[] = {
		"qemu/osdep.h", "block/coroutines.h", "block/block-gen.h",
		"block/block_int.h", "block/dirty-bitmap.h", NULL
	};
	int i;

	emit_generated_by(out, m, "/*", "*/");
	sb_lit(out, "\n");
	for (i = 0; includes[i]; i++)
		sb_printf(out, "#include \"%s\"\n", includes[i]);
	for (i = 0; i < m->nincludes; i++) {
		const char *h = m->includes[i];

		if (h[0] == '<' || h[0] == '"')
			sb_printf(out, "#include %s\n", h);
		else
			sb_printf(out, "#include \"%s\"\n", h);
	}
}

/* some_function_name -> SomeFunctionName (toupper() of the "C" locale) */
static void struct_name(struct strbuf *out, const struct decl *d)
{
	const char *s = d->name;
	bool start = true;
	char *p;

	sb_reserve(out, d->name_len);
	p = out->buf + out->len;
	for (; *s; s++) {
		if (*s == '_') {
			start = true;
			continue;
		}
		if (start && *s >= 'a' && *s <= 'z')
			*p++ = (char)(*s - 'a' + 'A');
		else
			*p++ = *s;
		start = false;
	}
	*p = '\0';
	out->len = (size_t)(p - out->buf);
}

/* the indentation of nesting level @level: four spaces each, up to 4 */
static const char *indent_str(int level)
{
	static const char spaces[] = "                ";

	return spaces + sizeof(spaces) - 1 - 4 * level;
}

static void indent(struct strbuf *out, int level)
{
	sb_add(out, indent_str(level), 4 * (size_t)level);
}

static bool is_rdlock(enum marker mk)
{
	return mk == MK_CO_WRAPPER_BDRV_RDLOCK ||
	       mk == MK_CO_WRAPPER_MIXED_BDRV_RDLOCK ||
	       mk == MK_NO_CO_WRAPPER_BDRV_RDLOCK;
}

/*
 * The layout below is the script's, byte for byte: its templates leave a
 * line holding only the indentation where a field is empty (no lock, a
 * void return), and it writes a pointer return type as "T * " before a
 * name.
 */

/* the return type followed by a space, as the script spells it: "T * " */
static void emit_qret(struct strbuf *out, const struct decl *d)
{
	sb_add(out, d->ret, d->ret_len);
	sb_lit(out, " ");
}

/* @sn: the struct name, struct_name() of @d */
static void emit_typedef(struct strbuf *out, const struct decl *d,
			 const struct strbuf *sn, const char *first_field)
{
	sb_lit(out, "/*\n * Wrappers for ");
	sb_add(out, d->target, d->target_len);
	sb_lit(out, "\n */\n\ntypedef struct ");
	sb_add(out, sn->buf, sn->len);
	sb_lit(out, " {\n    ");
	sb_puts(out, first_field);
	sb_lit(out, "\n    ");
	if (!d->is_void) {
		emit_qret(out, d);
		sb_lit(out, "ret;");
	}
	sb_lit(out, "\n");
	emit_fields(out, d, "    ");
	sb_lit(out, "} ");
	sb_add(out, sn->buf, sn->len);
	sb_lit(out, ";\n\n");
}

/* annot is "" or "coroutine_fn " */
static void emit_head(struct strbuf *out, const struct decl *d,
		      const char *annot)
{
	emit_qret(out, d);
	sb_puts(out, annot);
	sb_add(out, d->name, d->name_len);
	sb_lit(out, "(");
	emit_params(out, d);
	sb_lit(out, ")\n{\n");
}

/* "INDENT[ret]TARGET(args);\n" */
static void emit_target_call(struct strbuf *out, const struct decl *d,
			     int level, const char *ret, const char *args)
{
	indent(out, level);
	if (!d->is_void)
		sb_puts(out, ret);
	sb_add(out, d->target, d->target_len);
	sb_lit(out, "(");
	emit_call_args(out, d, args);
	sb_lit(out, ");\n");
}

/* "INDENTreturn s.ret;\n", the indentation alone for a void function */
static void emit_return(struct strbuf *out, const struct decl *d, int level)
{
	indent(out, level);
	if (!d->is_void)
		sb_lit(out, "return s.ret;");
	sb_lit(out, "\n");
}

/* the body of the _entry or _bh function: lock, call, unlock */
static void emit_locked_call(struct strbuf *out, const struct decl *d,
			     const char *lock, const char *unlock)
{
	sb_lit(out, " *s = opaque;\n\n");
	if (lock)
		sb_puts(out, lock);
	sb_lit(out, "\n");
	emit_target_call(out, d, 1, "s->ret = ", "s->");
	if (unlock)
		sb_puts(out, unlock);
	sb_lit(out, "\n");
}

static void emit_poll_init(struct strbuf *out, const struct decl *d,
			   const struct strbuf *sn, int level)
{
	indent(out, level);
	sb_add(out, sn->buf, sn->len);
	sb_lit(out, " s = {\n");
	indent(out, level + 1);
	sb_lit(out, ".poll_state.ctx = qemu_get_current_aio_context(),\n");
	indent(out, level + 1);
	sb_lit(out, ".poll_state.in_progress = true,\n\n");
	emit_struct_init(out, d, indent_str(level + 1));
	indent(out, level);
	sb_lit(out, "};\n");
}

static void emit_poll_tail(struct strbuf *out, const struct decl *d,
			   int level)
{
	sb_lit(out, "\n");
	indent(out, level);
	sb_lit(out, "s.poll_state.co = qemu_coroutine_create(");
	sb_add(out, d->target, d->target_len);
	sb_lit(out, "_entry, &s);\n\n");
	indent(out, level);
	sb_lit(out, "bdrv_poll_co(&s.poll_state);\n");
	emit_return(out, d, level);
}

static void emit_co_wrapper(struct strbuf *out, const struct decl *d,
			    const struct strbuf *sn)
{
	bool rd = is_rdlock(d->marker);

	emit_typedef(out, d, sn, "BdrvPollCo poll_state;");
	sb_lit(out, "static void coroutine_fn ");
	sb_add(out, d->target, d->target_len);
	sb_lit(out, "_entry(void *opaque)\n{\n    ");
	sb_add(out, sn->buf, sn->len);
	emit_locked_call(out, d, rd ? "    bdrv_graph_co_rdlock();" : NULL,
			 rd ? "    bdrv_graph_co_rdunlock();" : NULL);
	sb_lit(out, "    s->poll_state.in_progress = false;\n\n    aio_wait_kick();\n}\n\n");

	emit_head(out, d, "");
	if (marker_is_mixed(d->marker)) {
		sb_lit(out, "    if (qemu_in_coroutine()) {\n");
		indent(out, 2);
		if (rd)
			sb_lit(out, "assume_graph_lock();");
		sb_lit(out, "\n");
		emit_target_call(out, d, 2, "return ", "");
		sb_lit(out, "    } else {\n");
		emit_poll_init(out, d, sn, 2);
		emit_poll_tail(out, d, 2);
		sb_lit(out, "    }\n}");
		return;
	}
	emit_poll_init(out, d, sn, 1);
	sb_lit(out, "    assert(!qemu_in_coroutine());\n");
	emit_poll_tail(out, d, 1);
	sb_lit(out, "}");
}

static void emit_no_co_wrapper(struct strbuf *out, const struct decl *d,
			       const struct strbuf *sn)
{
	const char *lock = NULL, *unlock = NULL;

	if (d->marker == MK_NO_CO_WRAPPER_BDRV_RDLOCK) {
		lock = "    bdrv_graph_rdlock_main_loop();";
		unlock = "    bdrv_graph_rdunlock_main_loop();";
	} else if (d->marker == MK_NO_CO_WRAPPER_BDRV_WRLOCK) {
		lock = "    bdrv_graph_wrlock();";
		unlock = "    bdrv_graph_wrunlock();";
	}
	emit_typedef(out, d, sn, "Coroutine *co;");
	sb_lit(out, "static void ");
	sb_add(out, d->target, d->target_len);
	sb_lit(out, "_bh(void *opaque)\n{\n    ");
	sb_add(out, sn->buf, sn->len);
	emit_locked_call(out, d, lock, unlock);
	sb_lit(out, "\n    aio_co_wake(s->co);\n}\n\n");

	emit_head(out, d, "coroutine_fn ");
	sb_lit(out, "    ");
	sb_add(out, sn->buf, sn->len);
	sb_lit(out, " s = {\n        .co = qemu_coroutine_self(),\n");
	emit_struct_init(out, d, "        ");
	sb_lit(out, "    };\n    assert(qemu_in_coroutine());\n\n");
	sb_lit(out, "    aio_bh_schedule_oneshot(qemu_get_aio_context(), ");
	sb_add(out, d->target, d->target_len);
	sb_lit(out, "_bh, &s);\n");
	sb_lit(out, "    qemu_coroutine_yield();\n\n");
	emit_return(out, d, 1);
	sb_lit(out, "}");
}

/*
 * The script writes "\n\n\n" before every wrapper (which ends with its
 * '}') and "\n" after every input file: two blank lines between the
 * wrappers of one input, three between inputs.  Here every wrapper is
 * "\n\n" + wrapper + "\n" and every input starts with "\n" (input_start()),
 * which adds up to the same bytes.
 */
static void emit_decl(struct strbuf *out, const struct model *m,
		      const struct decl *d)
{
	struct strbuf sn = { 0 };

	(void)m;
	struct_name(&sn, d);
	sb_lit(out, "\n\n");
	if (marker_is_no_co(d->marker))
		emit_no_co_wrapper(out, d, &sn);
	else
		emit_co_wrapper(out, d, &sn);
	sb_lit(out, "\n");
	sb_free(&sn);
}

static void input_start(struct strbuf *out, const struct model *m,
			int file_index)
{
	(void)m;
	(void)file_index;
	sb_lit(out, "\n");
}

const struct emitter emitter_qemu = {
	.name = "qemu",
	.prologue = prologue,
	.sep = "",
	.input = input_start,
	.decl = emit_decl,
};
