// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-gen: the cowrap (Linux kernel) output flavor.
 *
 * Per declaration: an argument struct, a coroutine entry (co_wrapper*) or
 * a plain callback (no_co_wrapper), and the wrapper.  The names used are
 * "<name>_cowrap_args", "<name>_entry", "<name>_bh" and the locals
 * "cowrap_s", "cowrap_err"; Documentation/cowrap-gen.rst shows the output.
 */
#include <string.h>

#include "cowrap-gen.h"

static void prologue(struct strbuf *out, const struct model *m)
{
	int i;

	emit_generated_by(out, m, "/*", "*/");
	sb_lit(out, "#include <cowrap/annotations.h>\n#include <cowrap/coroutine.h>\n");
	for (i = 0; i < m->nincludes; i++) {
		const char *h = m->includes[i];

		if (h[0] == '<' || h[0] == '"')
			sb_printf(out, "#include %s\n", h);
		else
			sb_printf(out, "#include \"%s\"\n", h);
	}
}

/*
 * "RET ANNOT NAME(PARAMS)".  The annotation must follow the return type:
 * sparse attaches a context attribute written before "char *" to the
 * return type instead of the function.
 */
static void emit_head(struct strbuf *out, const struct decl *d,
		      const char *annot)
{
	emit_ret(out, d);
	sb_puts(out, annot);
	sb_lit(out, " ");
	sb_add(out, d->name, d->name_len);
	sb_lit(out, "(");
	emit_params(out, d);
	sb_lit(out, ")\n");
}

static void emit_struct(struct strbuf *out, const struct decl *d)
{
	sb_lit(out, "struct ");
	sb_add(out, d->name, d->name_len);
	sb_lit(out, "_cowrap_args {\n");
	if (marker_is_no_co(d->marker))
		sb_lit(out, "\tstruct cowrap_noco_call call;\n");
	else
		sb_lit(out, "\tstruct cowrap_poll_co poll_state;\n");
	if (!d->is_void) {
		sb_lit(out, "\t");
		emit_ret(out, d);
		sb_lit(out, "ret;\n");
	}
	emit_fields(out, d, "\t");
	sb_lit(out, "};\n\n");
}

/* "s->ret = target(s->a, ...);" or the void form */
static void emit_forward(struct strbuf *out, const struct decl *d,
			 const char *indent, const char *ret, const char *args)
{
	sb_puts(out, indent);
	if (!d->is_void) {
		sb_puts(out, ret);
		sb_lit(out, " = ");
	}
	sb_add(out, d->target, d->target_len);
	sb_lit(out, "(");
	emit_call_args(out, d, args);
	sb_lit(out, ");\n");
}

/* @err: the wrapper returns the coroutine layer's error (signed int type) */
static void emit_locals(struct strbuf *out, const struct decl *d, bool err)
{
	sb_lit(out, "\tstruct ");
	sb_add(out, d->name, d->name_len);
	sb_lit(out, "_cowrap_args cowrap_s = {");
	if (d->nparams) {
		sb_lit(out, "\n");
		emit_struct_init(out, d, "\t\t");
		sb_lit(out, "\t};\n");
	} else {
		sb_lit(out, " };\n");
	}
	if (err)
		sb_lit(out, "\tint cowrap_err;\n");
	sb_lit(out, "\n");
}

/* start "\tcall(" of the call into the coroutine layer (the caller ends it) */
static void emit_call_start(struct strbuf *out, bool err, const char *fn)
{
	sb_lit(out, "\t");
	if (err)
		sb_lit(out, "cowrap_err = ");
	sb_puts(out, fn);
	sb_lit(out, "(");
}

/* the rest of the call into the coroutine layer and the return after it */
static void emit_call_end(struct strbuf *out, const struct decl *d,
			  bool err, const char *suffix)
{
	sb_add(out, d->name, d->name_len);
	sb_puts(out, suffix);
	sb_lit(out, ", &cowrap_s);\n");
	if (err)
		sb_lit(out, "\tif (cowrap_err)\n\t\treturn cowrap_err;\n");
	if (!d->is_void)
		sb_lit(out, "\treturn cowrap_s.ret;\n");
}

/* "struct X *s = opaque;", or a (void) cast when nothing is passed back */
static void emit_opaque(struct strbuf *out, const struct decl *d)
{
	if (d->is_void && !d->nparams) {
		sb_lit(out, "\t(void)opaque;\n");
	} else {
		sb_lit(out, "\tstruct ");
		sb_add(out, d->name, d->name_len);
		sb_lit(out, "_cowrap_args *s = opaque;\n\n");
	}
}

static void emit_poll_wrapper(struct strbuf *out, const struct model *m,
			      const struct decl *d, bool err)
{
	bool mixed = marker_is_mixed(d->marker);

	sb_lit(out, "static void coroutine_fn ");
	sb_add(out, d->name, d->name_len);
	sb_lit(out, "_entry(void *opaque)\n{\n");
	emit_opaque(out, d);
	sb_lit(out, "\t__cowrap_co_context_enter();\n");
	emit_forward(out, d, "\t", "s->ret", "s->");
	sb_lit(out, "\t__cowrap_co_context_exit();\n}\n\n");

	emit_head(out, d, mixed ? "coroutine_mixed_fn" : "no_coroutine_fn");
	sb_lit(out, "{\n");
	emit_locals(out, d, err);
	if (mixed) {
		sb_lit(out, "\tif (cowrap_mixed_in_coroutine()) {\n");
		emit_forward(out, d, "\t\t", "cowrap_s.ret", "");
		sb_lit(out, "\t\tcowrap_mixed_co_end();\n");
		if (d->is_void)
			sb_lit(out, "\t\treturn;\n\t}\n");
		else
			sb_lit(out, "\t\treturn cowrap_s.ret;\n\t}\n");
	}
	emit_call_start(out, err, "cowrap_poll_co");
	sb_lit(out, "&cowrap_s.poll_state, ");
	emit_ctx_expr(out, m, d);
	sb_lit(out, ", ");
	emit_call_end(out, d, err, "_entry");
	sb_lit(out, "}\n");
}

static void emit_no_co_wrapper(struct strbuf *out, const struct decl *d,
			       bool err)
{
	sb_lit(out, "static void ");
	sb_add(out, d->name, d->name_len);
	sb_lit(out, "_bh(void *opaque)\n{\n");
	emit_opaque(out, d);
	emit_forward(out, d, "\t", "s->ret", "s->");
	sb_lit(out, "}\n\n");

	emit_head(out, d, "coroutine_fn");
	sb_lit(out, "{\n");
	emit_locals(out, d, err);
	emit_call_start(out, err, "cowrap_co_call_noco");
	sb_lit(out, "&cowrap_s.call, ");
	emit_call_end(out, d, err, "_bh");
	sb_lit(out, "}\n");
}

static void emit_decl(struct strbuf *out, const struct model *m,
		      const struct decl *d)
{
	bool err = type_is_signed_int(d->ret);

	emit_struct(out, d);
	if (marker_is_no_co(d->marker))
		emit_no_co_wrapper(out, d, err);
	else
		emit_poll_wrapper(out, m, d, err);
}

const struct emitter emitter_cowrap = {
	.name = "cowrap",
	.sep = "\n",
	.prologue = prologue,
	.decl = emit_decl,
};
