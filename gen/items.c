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

enum spill_state {
	SPILL_NONE,	/* not in a group that may be the parameter list */
	SPILL_WATCH,	/* in one, its tokens kept */
	SPILL_ON,	/* in the parameter list, its tokens not kept */
	SPILL_DONE,	/* the parameter list is behind (or was given up) */
};

/**
 * struct spill - a parameter list read without keeping its tokens
 * @state: see enum spill_state
 * @spilled: the item's parameter list is a TK_PARAMS token
 * @open: index in the item of the group's '('
 * @looks: looks_like_params() holds for the tokens of the group so far
 * @seg: looks_like_params()'s count of tokens since the last ','
 * @at: the lexer right after the group's '(' (&struct plist)
 * @arena: the tokens of the current parameter (while @state is SPILL_ON)
 * @stack: the brackets open inside the current parameter
 * @nstack: entries of @stack
 * @cap: room in @stack
 * @prev: the token before the current one (for note_function())
 *
 * Which group is the parameter list is decided as find_name() in parse.c
 * does: the first group after the marker that follows a possible name
 * and looks like declarations.
 */
struct spill {
	enum spill_state state;
	bool spilled;
	int open;
	bool looks;
	int seg;
	struct lexer at;
	struct arena arena;
	struct token **stack;
	int nstack, cap;
	const struct token *prev;
};

/* state of parse_buffer() over one input */
struct reader {
	struct model *m;
	struct lexer lx;
	struct arena scratch;	/* tokens of the current item */
	struct cond_state cs;
	struct vec v;		/* the current item */
	struct brackets br;	/* its open brackets */
	struct spill sp;	/* its parameter list, if long */
	const char *told;	/* what m->consumed() was last told */
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
	int marker_at;			/* index of the first marker */
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
		if (!sc->marked && marker_lookup(rd->m, t->text) >= 0) {
			sc->marked = true;
			sc->marker_at = rd->v.n;
		}
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
static void note_name(struct reader *rd, const struct token *f,
		      const struct token *t)
{
	/* the QEMU naming rule looks nothing up */
	if (!f || !tok_ch(t, '(') || rd->m->flavor == FLAVOR_QEMU)
		return;
	if (f->kind == TK_IDENT && find_co_infix(f->text))
		name_set_add_copy(&rd->m->functions, &rd->m->arena, f->text,
				  f->len);
}

static void note_function(struct reader *rd, const struct token *t)
{
	const struct vec *v = &rd->v;

	note_name(rd, v->n >= 2 ? v->v[v->n - 2] : NULL, t);
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

static void spill_reset(struct spill *sp)
{
	sp->state = SPILL_NONE;
	sp->spilled = false;
	sp->nstack = 0;
	sp->prev = NULL;
	arena_reset(&sp->arena);
}

static void spill_free(struct spill *sp)
{
	free(sp->stack);
	arena_free(&sp->arena);
}

/* the arena the next token goes to */
static struct arena *token_arena(struct reader *rd)
{
	return rd->sp.state == SPILL_ON ? &rd->sp.arena : &rd->scratch;
}

/*
 * Keep the tokens again from here: the brackets open inside the current
 * parameter join the item, so that what follows (a directive, a bracket
 * that does not match, the end of the file: all errors) is handled, and
 * reported, as without spilling.
 */
static void spill_abandon(struct reader *rd)
{
	struct spill *sp = &rd->sp;
	int i;

	for (i = 0; i < sp->nstack; i++) {
		vec_push(&rd->v, sp->stack[i]);
		brackets_open(&rd->br, &rd->scratch, rd->v.n - 1,
			      sp->stack[i]->punct);
	}
	sp->nstack = 0;
	sp->state = SPILL_DONE;
}

/* a '(' (just added) that may open the parameter list: watch it */
static void spill_watch(struct reader *rd, const struct item_scan *sc,
			const struct token *t)
{
	struct vec *v = &rd->v;
	struct token *f;

	if (!tok_ch(t, '(') || rd->br.depth != 1 || !sc->marked || sc->dir ||
	    v->n < 2 || v->n - 2 <= sc->marker_at)
		return;
	f = v->v[v->n - 2];
	if (!tok_is_name_candidate(rd->m, f))
		return;
	rd->sp.state = SPILL_WATCH;
	rd->sp.open = v->n - 1;
	rd->sp.looks = false;
	rd->sp.seg = 0;
	rd->sp.at = rd->lx;
}

/* replace the tokens of the group so far by a TK_PARAMS token */
static void spill_start(struct reader *rd)
{
	struct spill *sp = &rd->sp;
	struct vec *v = &rd->v;
	struct token *p = arena_alloc(&rd->scratch, sizeof(*p));

	p->kind = TK_PARAMS;
	p->text = "";
	p->pos = v->v[sp->open + 1]->pos;
	v->n = sp->open + 1;
	vec_push(v, p);
	sp->state = SPILL_ON;
	sp->spilled = true;
	sp->prev = NULL;
	arena_reset(&sp->arena);
}

/* after @t was added to the group being watched */
static void spill_track(struct reader *rd, const struct item_scan *sc,
			struct token *t)
{
	struct spill *sp = &rd->sp;
	int limit = rd->m->spill_tokens > 0 ? rd->m->spill_tokens :
					      SPILL_TOKENS;

	if (!rd->br.depth) {	/* the group's ')' */
		sp->state = sp->looks ? SPILL_DONE : SPILL_NONE;
		return;
	}
	if (tok_ch(t, ','))
		sp->seg = 0;
	else if (!sp->looks && (tok_is_type_word(t) || ++sp->seg >= 2))
		sp->looks = true;
	if (tok_ch(t, ',') && rd->br.depth == 1 && sp->looks && !sc->dir &&
	    rd->v.n - sp->open - 1 >= limit)
		spill_start(rd);
}

static void spill_push(struct spill *sp, struct token *t)
{
	if (sp->nstack == sp->cap) {
		int cap = sp->cap ? sp->cap * 2 : 16;
		struct token **s = realloc(sp->stack, sizeof(*s) * (size_t)cap);

		if (!s)
			diag_fatal("out of memory");
		sp->stack = s;
		sp->cap = cap;
	}
	sp->stack[sp->nstack++] = t;
}

/*
 * A token of a spilled parameter list: true when it was dealt with
 * without keeping it.  False for the list's ')' (the spilling ends) and
 * for a closing bracket that does not match (given up): the caller adds
 * those to the item as usual.
 */
static bool spill_token(struct reader *rd, struct token *t)
{
	struct spill *sp = &rd->sp;
	int br = tok_bracket(t);

	note_name(rd, sp->prev, t);
	sp->prev = t;
	if (br > 0) {
		spill_push(sp, t);
		return true;
	}
	if (br < 0) {
		if (!sp->nstack && tok_ch(t, ')')) {
			sp->state = SPILL_DONE;
			return false;
		}
		if (!sp->nstack ||
		    bracket_closer(sp->stack[sp->nstack - 1]->punct) != t->punct) {
			spill_abandon(rd);
			return false;
		}
		sp->nstack--;
		return true;
	}
	if (tok_ch(t, ',') && !sp->nstack) {
		/* the parameter is complete: its tokens are not needed */
		sp->prev = NULL;
		arena_reset(&sp->arena);
		model_read_to(rd->m, &rd->told, rd->lx.p);
	}
	return true;
}

/*
 * Collect one top-level item starting at @t and hand it to finish_item().
 * Returns the token that ended it (';', the body's '}', or EOF).
 */
static struct token *read_item(struct reader *rd, struct token *t,
			       int file_index)
{
	struct item it = { .m = rd->m, .file_index = file_index,
			   .cond = cond_here(&rd->cs) };
	struct item_scan sc = { .marker_at = -1 };
	bool noted = false;	/* cond_other_token() since the directive */

	rd->v.n = 0;
	brackets_reset(&rd->br);
	spill_reset(&rd->sp);
	for (; t->kind != TK_EOF; t = lex_next(&rd->lx, token_arena(rd))) {
		if (t->kind == TK_DIRECTIVE) {
			if (rd->sp.state == SPILL_ON)
				spill_abandon(rd);
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
		/*
		 * sc.nested may point to a spilled token: it is not used, since
		 * only a marked item spills
		 */
		if (!scan_marker(rd, &sc, t))
			break;
		if (rd->sp.state == SPILL_ON && spill_token(rd, t))
			continue;
		vec_push(&rd->v, t);
		note_function(rd, t);
		if (scan_brackets(rd, &sc, t))
			break;
		if (rd->sp.state == SPILL_NONE)
			spill_watch(rd, &sc, t);
		else if (rd->sp.state == SPILL_WATCH)
			spill_track(rd, &sc, t);
	}
	if (rd->sp.state == SPILL_ON)	/* the end of the file */
		spill_abandon(rd);
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
	if (rd->sp.spilled)
		it.plist_lx = &rd->sp.at;
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
 * points into @buf afterwards (but a declaration's &struct plist, until
 * @m->stream has written it; without @m->stream, plist_keep() copies
 * it).  Between items, and between the parameters of a list that is not
 * kept, @m->consumed (if set) is told how far the buffer has been read.
 *
 * Return: 0, or -1 when an error was reported.
 */
int parse_buffer(struct model *m, int file_index, const char *file,
		 const char *buf, size_t len)
{
	struct reader rd = { .m = m, .told = buf };
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
		model_read_to(m, &rd.told, rd.lx.p);
	}
	eof = t->pos;
	if (rd.lx.errors)
		rd.ret = -1;
	else if (!rd.stop && cond_finish(&rd.cs, &eof) < 0)
		rd.ret = -1;
	free(rd.v.v);
	free(rd.v.match);
	brackets_free(&rd.br);
	spill_free(&rd.sp);
	skimmer_free(&rd.skim);
	arena_free(&rd.scratch);
	if (m->stream)
		m->stream(m, NULL);
	return rd.ret;
}
