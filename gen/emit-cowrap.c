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
	sb_lit(out, "#include \"annotations.h\"\n#include \"coroutine.h\"\n");
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
	sb_printf(out, "%s%s%s %s(", d->ret,
		  d->ret[strlen(d->ret) - 1] == '*' ? "" : " ", annot, d->name);
	emit_params(out, d);
	sb_lit(out, ")\n");
}

static void emit_struct(struct strbuf *out, const struct decl *d)
{
	int i;

	sb_printf(out, "struct %s_cowrap_args {\n", d->name);
	if (marker_is_no_co(d->marker))
		sb_lit(out, "\tstruct cowrap_noco_call call;\n");
	else
		sb_lit(out, "\tstruct cowrap_poll_co poll_state;\n");
	if (!d->is_void)
		sb_printf(out, "\t%s%sret;\n", d->ret,
			  d->ret[strlen(d->ret) - 1] == '*' ? "" : " ");
	for (i = 0; i < d->nparams; i++)
		sb_printf(out, "\t%s;\n", d->params[i].field);
	sb_lit(out, "};\n\n");
}

/* "s->ret = target(s->a, ...);" or the void form */
static void emit_forward(struct strbuf *out, const struct decl *d,
			 const char *indent, const char *ret, const char *args)
{
	sb_puts(out, indent);
	if (!d->is_void)
		sb_printf(out, "%s = ", ret);
	sb_printf(out, "%s(", d->target);
	emit_call_args(out, d, args);
	sb_lit(out, ");\n");
}

static void emit_locals(struct strbuf *out, const struct decl *d)
{
	sb_printf(out, "\tstruct %s_cowrap_args cowrap_s = {", d->name);
	if (d->nparams) {
		sb_lit(out, "\n");
		emit_struct_init(out, d, "\t\t");
		sb_lit(out, "\t};\n");
	} else {
		sb_lit(out, " };\n");
	}
	if (type_is_signed_int(d->ret))
		sb_lit(out, "\tint cowrap_err;\n");
	sb_lit(out, "\n");
}

/* the call into the coroutine layer and the return that follows it */
static void emit_call_and_return(struct strbuf *out, const struct decl *d,
				 const char *call)
{
	bool err = type_is_signed_int(d->ret);

	sb_printf(out, "\t%s%s;\n", err ? "cowrap_err = " : "", call);
	if (err)
		sb_lit(out, "\tif (cowrap_err)\n\t\treturn cowrap_err;\n");
	if (!d->is_void)
		sb_lit(out, "\treturn cowrap_s.ret;\n");
}

/* "struct X *s = opaque;", or a (void) cast when nothing is passed back */
static void emit_opaque(struct strbuf *out, const struct decl *d)
{
	if (d->is_void && !d->nparams)
		sb_lit(out, "\t(void)opaque;\n");
	else
		sb_printf(out, "\tstruct %s_cowrap_args *s = opaque;\n\n",
			  d->name);
}

static void emit_poll_wrapper(struct strbuf *out, const struct model *m,
			      const struct decl *d)
{
	bool mixed = marker_is_mixed(d->marker);
	struct strbuf call = { 0 };

	sb_printf(out, "static void coroutine_fn %s_entry(void *opaque)\n{\n",
		  d->name);
	emit_opaque(out, d);
	sb_lit(out, "\t__cowrap_co_context_enter();\n");
	emit_forward(out, d, "\t", "s->ret", "s->");
	sb_lit(out, "\t__cowrap_co_context_exit();\n}\n\n");

	emit_head(out, d, mixed ? "coroutine_mixed_fn" : "no_coroutine_fn");
	sb_lit(out, "{\n");
	emit_locals(out, d);
	if (mixed) {
		sb_lit(out, "\tif (cowrap_mixed_in_coroutine()) {\n");
		emit_forward(out, d, "\t\t", "cowrap_s.ret", "");
		sb_lit(out, "\t\tcowrap_mixed_co_end();\n");
		sb_printf(out, "\t\treturn%s;\n\t}\n",
			  d->is_void ? "" : " cowrap_s.ret");
	}
	sb_printf(&call, "cowrap_poll_co(&cowrap_s.poll_state, %s, %s_entry, &cowrap_s)",
		  model_ctx_expr(m, d), d->name);
	emit_call_and_return(out, d, call.buf);
	sb_lit(out, "}\n");
	sb_free(&call);
}

static void emit_no_co_wrapper(struct strbuf *out, const struct decl *d)
{
	struct strbuf call = { 0 };

	sb_printf(out, "static void %s_bh(void *opaque)\n{\n", d->name);
	emit_opaque(out, d);
	emit_forward(out, d, "\t", "s->ret", "s->");
	sb_lit(out, "}\n\n");

	emit_head(out, d, "coroutine_fn");
	sb_lit(out, "{\n");
	emit_locals(out, d);
	sb_printf(&call, "cowrap_co_call_noco(&cowrap_s.call, %s_bh, &cowrap_s)",
		  d->name);
	emit_call_and_return(out, d, call.buf);
	sb_lit(out, "}\n");
	sb_free(&call);
}

static void emit_decl(struct strbuf *out, const struct model *m,
		      const struct decl *d)
{
	emit_struct(out, d);
	if (marker_is_no_co(d->marker))
		emit_no_co_wrapper(out, d);
	else
		emit_poll_wrapper(out, m, d);
}

const struct emitter emitter_cowrap = {
	.name = "cowrap",
	.prologue = prologue,
	.decl = emit_decl,
};
