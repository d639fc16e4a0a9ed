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
 * coroutine.  The header comment is cowrap-gen's own; the comparison test
 * ignores comments.
 */
#include <ctype.h>
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

/* some_function_name -> SomeFunctionName */
static void struct_name(struct strbuf *out, const char *name)
{
	bool start = true;

	for (; *name; name++) {
		if (*name == '_') {
			start = true;
			continue;
		}
		char c = start ? (char)toupper((unsigned char)*name) : *name;

		sb_add(out, &c, 1);
		start = false;
	}
}

static bool is_rdlock(enum marker mk)
{
	return mk == MK_CO_WRAPPER_BDRV_RDLOCK ||
	       mk == MK_CO_WRAPPER_MIXED_BDRV_RDLOCK ||
	       mk == MK_NO_CO_WRAPPER_BDRV_RDLOCK;
}

static void emit_typedef(struct strbuf *out, const struct decl *d,
			 const char *first_field)
{
	int i;

	sb_printf(out, "/*\n * Wrappers for %s\n */\n\ntypedef struct ", d->target);
	struct_name(out, d->name);
	sb_printf(out, " {\n    %s\n", first_field);
	if (!d->is_void)
		sb_printf(out, "    %s%sret;\n", d->ret,
			  d->ret[strlen(d->ret) - 1] == '*' ? "" : " ");
	for (i = 0; i < d->nparams; i++)
		sb_printf(out, "    %s;\n", d->params[i].field);
	sb_lit(out, "} ");
	struct_name(out, d->name);
	sb_lit(out, ";\n\n");
}

static void emit_head(struct strbuf *out, const struct decl *d,
		      const char *annot)
{
	sb_printf(out, "%s%s%s%s(", d->ret,
		  d->ret[strlen(d->ret) - 1] == '*' ? "" : " ", annot, d->name);
	/* annot is "" or "coroutine_fn " */
	emit_params(out, d);
	sb_lit(out, ")\n{\n");
}

static void emit_target_call(struct strbuf *out, const struct decl *d,
			     const char *indent, const char *ret,
			     const char *args)
{
	sb_printf(out, "%s%s%s(", indent, d->is_void ? "" : ret, d->target);
	emit_call_args(out, d, args);
	sb_lit(out, ");\n");
}

static void emit_poll_init(struct strbuf *out, const struct decl *d,
			   const char *indent)
{
	struct strbuf in = { 0 };

	sb_printf(out, "%s", indent);
	struct_name(out, d->name);
	sb_printf(out, " s = {\n%s    .poll_state.ctx = qemu_get_current_aio_context(),\n",
		  indent);
	sb_printf(out, "%s    .poll_state.in_progress = true,\n\n", indent);
	sb_printf(&in, "%s    ", indent);
	emit_struct_init(out, d, in.buf);
	sb_printf(out, "%s};\n", indent);
	sb_free(&in);
}

static void emit_poll_tail(struct strbuf *out, const struct decl *d,
			   const char *indent)
{
	sb_printf(out, "\n%ss.poll_state.co = qemu_coroutine_create(%s_entry, &s);\n\n",
		  indent, d->target);
	sb_printf(out, "%sbdrv_poll_co(&s.poll_state);\n", indent);
	if (!d->is_void)
		sb_printf(out, "%sreturn s.ret;\n", indent);
}

static void emit_co_wrapper(struct strbuf *out, const struct decl *d)
{
	emit_typedef(out, d, "BdrvPollCo poll_state;");
	sb_printf(out, "static void coroutine_fn %s_entry(void *opaque)\n{\n    ",
		  d->target);
	struct_name(out, d->name);
	sb_lit(out, " *s = opaque;\n\n");
	if (is_rdlock(d->marker))
		sb_lit(out, "    bdrv_graph_co_rdlock();\n");
	emit_target_call(out, d, "    ", "s->ret = ", "s->");
	if (is_rdlock(d->marker))
		sb_lit(out, "    bdrv_graph_co_rdunlock();\n");
	sb_lit(out, "    s->poll_state.in_progress = false;\n\n    aio_wait_kick();\n}\n\n");

	emit_head(out, d, "");
	if (marker_is_mixed(d->marker)) {
		sb_lit(out, "    if (qemu_in_coroutine()) {\n");
		if (is_rdlock(d->marker))
			sb_lit(out, "        assume_graph_lock();\n");
		emit_target_call(out, d, "        ", "return ", "");
		sb_lit(out, "    } else {\n");
		emit_poll_init(out, d, "        ");
		emit_poll_tail(out, d, "        ");
		sb_lit(out, "    }\n}\n");
		return;
	}
	emit_poll_init(out, d, "    ");
	sb_lit(out, "    assert(!qemu_in_coroutine());\n");
	emit_poll_tail(out, d, "    ");
	sb_lit(out, "}\n");
}

static void emit_no_co_wrapper(struct strbuf *out, const struct decl *d)
{
	const char *lock = NULL, *unlock = NULL;

	if (d->marker == MK_NO_CO_WRAPPER_BDRV_RDLOCK) {
		lock = "bdrv_graph_rdlock_main_loop();";
		unlock = "bdrv_graph_rdunlock_main_loop();";
	} else if (d->marker == MK_NO_CO_WRAPPER_BDRV_WRLOCK) {
		lock = "bdrv_graph_wrlock();";
		unlock = "bdrv_graph_wrunlock();";
	}
	emit_typedef(out, d, "Coroutine *co;");
	sb_printf(out, "static void %s_bh(void *opaque)\n{\n    ", d->target);
	struct_name(out, d->name);
	sb_lit(out, " *s = opaque;\n\n");
	if (lock)
		sb_printf(out, "    %s\n", lock);
	emit_target_call(out, d, "    ", "s->ret = ", "s->");
	if (unlock)
		sb_printf(out, "    %s\n", unlock);
	sb_lit(out, "\n    aio_co_wake(s->co);\n}\n\n");

	emit_head(out, d, "coroutine_fn ");
	sb_lit(out, "    ");
	struct_name(out, d->name);
	sb_lit(out, " s = {\n        .co = qemu_coroutine_self(),\n");
	emit_struct_init(out, d, "        ");
	sb_lit(out, "    };\n    assert(qemu_in_coroutine());\n\n");
	sb_printf(out, "    aio_bh_schedule_oneshot(qemu_get_aio_context(), %s_bh, &s);\n",
		  d->target);
	sb_lit(out, "    qemu_coroutine_yield();\n\n");
	if (!d->is_void)
		sb_lit(out, "    return s.ret;\n");
	sb_lit(out, "}\n");
}

static void emit_decl(struct strbuf *out, const struct model *m,
		      const struct decl *d)
{
	(void)m;
	sb_lit(out, "\n\n");
	if (marker_is_no_co(d->marker))
		emit_no_co_wrapper(out, d);
	else
		emit_co_wrapper(out, d);
}

const struct emitter emitter_qemu = {
	.name = "qemu",
	.prologue = prologue,
	.decl = emit_decl,
};
