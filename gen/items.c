// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-gen: top-level item splitter.
 *
 * The token stream of a file is cut into top-level items: a declaration
 * ends with ';' outside brackets, a function definition with the '}' of
 * its body.  Brackets are matched with a stack as they arrive: a closing
 * bracket that does not match, or a bracket still open at the end of the
 * file, is an error at the unbalanced bracket (the compiler rejects such
 * a file too, and counting them would hide every later marker), and the
 * index of each closing bracket is recorded for the parser.  Preprocessor
 * lines go to the conditional tracker (cond.c).
 * Items that carry no marker are skipped (their prefix_co_rest function
 * names are remembered for the naming rule); marked ones go to
 * parse_decl() in parse.c.
 */
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* an unmarked declaration that spells an unknown marker in specifier position */
static int check_unmarked(struct item *it)
{
	int i, depth = 0, paren_after = -1;

	for (i = it->n - 1; i >= 0; i--)
		if (is_punct(it, i, "(") && i > 0 && is_ident(it, i - 1))
			paren_after = i;
	for (i = 0; i < it->n; i++) {
		const struct token *t = it->v[i];

		if (tok_ch(t, '(') || tok_ch(t, '[') || tok_ch(t, '{'))
			depth++;
		else if (tok_ch(t, ')') || tok_ch(t, ']') || tok_ch(t, '}'))
			depth--;
		if (!depth && t->kind == TK_IDENT && is_marker_like(t->text) &&
		    (is_ident(it, i + 1) || is_punct(it, i + 1, "*")) &&
		    paren_after > i)
			return parse_decl(it);
	}
	return 0;
}

struct vec {
	struct token **v;
	int *match;		/* for an opening bracket, its closing one */
	int n, cap;
};

static void vec_push(struct vec *v, struct token *t)
{
	if (v->n == v->cap) {
		int cap = v->cap ? v->cap * 2 : 256;
		struct token **p = realloc(v->v, sizeof(*p) * (size_t)cap);
		int *mp;

		if (!p)
			diag_fatal("out of memory");
		v->v = p;
		mp = realloc(v->match, sizeof(*mp) * (size_t)cap);
		if (!mp)
			diag_fatal("out of memory");
		v->match = mp;
		v->cap = cap;
	}
	v->match[v->n] = -1;
	v->v[v->n++] = t;
}

/*
 * Handle one finished item.  @body is the '{' of a function body when the
 * item is a function definition.
 */
static int finish_item(struct item *it, bool marked, bool marker_like,
		       const struct token *dir, const struct token *body)
{
	if (!marked && !marker_like)
		return 0;
	if (body) {
		if (!marked)
			return 0;
		diag_error(&body->pos, "a marked declaration must not have a body: cowrap-gen generates the definition");
		return -1;
	}
	if (marked && dir) {
		diag_error(&dir->pos, "preprocessor directive inside a marked declaration");
		return -1;
	}
	if (marked)
		return parse_decl(it);
	return check_unmarked(it);
}

/* state of parse_buffer() over one input */
struct reader {
	struct model *m;
	struct lexer lx;
	struct arena scratch;	/* tokens of the current item */
	struct cond_state cs;
	struct vec v;		/* the current item */
	struct brackets br;	/* its open brackets */
	struct skimmer skim;	/* the fast path over unmarked text */
	bool stop;		/* unbalanced brackets: the rest is not read */
	int ret;
};

/* what read_item() saw while collecting an item */
struct item_scan {
	const struct token *dir;	/* first directive inside */
	const struct token *body;	/* '{' of a function body */
	const struct token *nested;	/* marker inside brackets */
	const struct token *old;	/* QEMU 7.2's marker */
	bool marked;
	bool marker_like;
	bool ended_by_body;
};

static void reader_directive(struct reader *rd, const struct token *t)
{
	int kind = cond_directive(&rd->m->arena, &rd->cs, t);

	if (kind < 0)
		rd->ret = -1;
	else
		brackets_directive(&rd->br, kind);
}

/* a conditional directive that skim_run() read */
static void skimmed_directive(void *arg, const struct token *t)
{
	reader_directive(arg, t);
}

/* note markers in @t; false when @t ends the item (a top-level ';') */
static bool scan_marker(struct reader *rd, struct item_scan *sc,
			const struct token *t)
{
	bool ident = t->kind == TK_IDENT && is_marker_like(t->text);
	int depth = rd->br.depth;

	if (!depth && !ident && !sc->old && t->kind == TK_IDENT &&
	    t->text[0] == 'g' && !strcmp(t->text, "generated_co_wrapper"))
		sc->old = t;
	if (ident && !depth) {
		sc->marker_like = true;
		if (marker_lookup(rd->m, t->text) >= 0)
			sc->marked = true;
	} else if (ident && !sc->nested && !sc->body &&
		   marker_lookup(rd->m, t->text) >= 0) {
		sc->nested = t;
	}
	return depth || !tok_ch(t, ';');
}

/*
 * Remember the function names the naming rule may look for: identifiers
 * followed by '(' (@t, just added) that have the form prefix_co_rest.
 */
static void note_function(struct reader *rd, const struct token *t)
{
	const struct vec *v = &rd->v;
	const struct token *f;

	/* the QEMU naming rule looks nothing up */
	if (!tok_ch(t, '(') || v->n < 2 || rd->m->flavor == FLAVOR_QEMU)
		return;
	f = v->v[v->n - 2];
	if (f->kind == TK_IDENT && find_co_infix(f->text))
		name_set_add_copy(&rd->m->functions, &rd->m->arena, f->text,
				  f->len);
}

static void unbalanced(struct reader *rd, const struct token *t)
{
	diag_error(&t->pos, "unbalanced '%s'", t->text);
	rd->ret = -1;
	rd->stop = true;
}

/*
 * Track brackets after @t was added; true when the item ends here: a
 * function body closed, or a bracket does not match (rd->stop is set).
 */
static bool scan_brackets(struct reader *rd, struct item_scan *sc,
			  const struct token *t)
{
	struct vec *v = &rd->v;
	int br = tok_bracket(t), open;

	if (br > 0) {
		if (!rd->br.depth && tok_ch(t, '{') && v->n > 1 &&
		    tok_ch(v->v[v->n - 2], ')'))
			sc->body = t;
		brackets_open(&rd->br, &rd->scratch, v->n - 1, t->punct);
	} else if (br < 0) {
		open = brackets_close(&rd->br, t->punct);
		if (open < 0) {
			unbalanced(rd, open == -1 ? t : v->v[-2 - open]);
			return true;
		}
		v->match[open] = v->n - 1;
		if (!rd->br.depth && sc->body) {
			sc->ended_by_body = true;
			return true;
		}
	}
	return false;
}

/*
 * Collect one top-level item starting at @t and hand it to finish_item().
 * Returns the token that ended it (';', the body's '}', or EOF).
 */
static struct token *read_item(struct reader *rd, struct token *t,
			       int file_index)
{
	struct item it = { rd->m, NULL, NULL, 0, NULL, file_index, rd->cs.cur };
	struct item_scan sc = { 0 };
	bool noted = false;	/* cond_other_token() since the directive */

	rd->v.n = 0;
	brackets_reset(&rd->br);
	for (; t->kind != TK_EOF; t = lex_next(&rd->lx, &rd->scratch)) {
		if (t->kind == TK_DIRECTIVE) {
			reader_directive(rd, t);
			if (!sc.dir)
				sc.dir = t;
			noted = false;
			continue;
		}
		/* repeated before another directive, it changes nothing */
		if (!noted) {
			cond_other_token(&rd->cs);
			noted = true;
		}
		if (!scan_marker(rd, &sc, t))
			break;
		vec_push(&rd->v, t);
		note_function(rd, t);
		if (scan_brackets(rd, &sc, t))
			break;
	}
	if (rd->lx.errors || rd->stop)
		return t;
	if (rd->br.depth) {	/* the end of the file */
		unbalanced(rd, rd->v.v[brackets_innermost(&rd->br)]);
		return t;
	}
	brackets_reset(&rd->br);	/* for the directives up to the next */
	it.v = rd->v.v;
	it.match = rd->v.match;
	it.n = rd->v.n;
	it.end = t;
	if (sc.old) {
		diag_error(&sc.old->pos, "QEMU 7.2-style marker; since QEMU 8.0 'generated_co_wrapper' is spelled 'co_wrapper_mixed' (or 'co_wrapper' for a function never called in a coroutine)");
		rd->ret = -1;
	} else if (sc.nested && !sc.body && !sc.marked) {
		diag_error(&sc.nested->pos, "marker '%s' inside brackets: it must be one of the declaration specifiers",
			   sc.nested->text);
		rd->ret = -1;
	} else if (finish_item(&it, sc.marked, sc.marker_like, sc.dir,
			       sc.ended_by_body ? sc.body : NULL) < 0) {
		rd->ret = -1;
	}
	return t;
}

/* how far parse_buffer() reads between two calls of m->consumed() */
#define CONSUMED_STEP	(256 * 1024)

/**
 * parse_buffer() - find and parse the marked declarations of one input
 * @m: model that receives the declarations (and the function names seen)
 * @file_index: index of the input in @m->inputs
 * @file: name used in diagnostics
 * @buf: file contents
 * @len: size of @buf
 *
 * Unmarked text is passed over by skim_run() without making tokens; the
 * rest is read one top-level item at a time into a scratch arena that
 * is reset after each item, so memory stays proportional to the largest
 * item; whatever the model keeps is copied into @m->arena, and nothing
 * points into @buf afterwards.  Between items @m->consumed (if set) is
 * told how far the buffer has been read.
 *
 * Return: 0, or -1 when an error was reported.
 */
int parse_buffer(struct model *m, int file_index, const char *file,
		 const char *buf, size_t len)
{
	struct reader rd = { .m = m };
	const char *told = buf;	/* what m->consumed() was last told */
	struct srcpos eof;
	struct token *t;

	lexer_init(&rd.lx, file, buf, len);
	skimmer_init(&rd.skim, m, buf, skimmed_directive, &rd);
	for (;;) {
		if (!m->token_only)
			skim_run(&rd.skim, &rd.lx, &rd.cs, CONSUMED_STEP);
		t = lex_next(&rd.lx, &rd.scratch);
		if (t->kind == TK_EOF || rd.lx.errors)
			break;
		if (t->kind == TK_DIRECTIVE)
			reader_directive(&rd, t);
		else
			t = read_item(&rd, t, file_index);
		if (t->kind == TK_EOF || rd.lx.errors || rd.stop)
			break;
		arena_reset(&rd.scratch);	/* token memory is reused */
		if (m->stream)
			m->stream(m, NULL);
		if (m->consumed && rd.lx.p - told >= CONSUMED_STEP) {
			told = rd.lx.p;
			m->consumed(told, m->consumed_arg);
		}
	}
	eof = t->pos;
	if (rd.lx.errors)
		rd.ret = -1;
	else if (!rd.stop && cond_finish(&rd.cs, &eof) < 0)
		rd.ret = -1;
	free(rd.v.v);
	free(rd.v.match);
	brackets_free(&rd.br);
	skimmer_free(&rd.skim);
	arena_free(&rd.scratch);
	if (m->stream)
		m->stream(m, NULL);
	return rd.ret;
}
