// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-gen: parameter lists too long to keep as tokens.
 *
 * A token costs about three times the bytes it was read from, so a
 * declaration with 100,000 parameters would need many times the size of
 * its input if the list were kept.  Once a list is known to hold
 * declarations (looks_like_params() in parse.c) and more than
 * &model.spill_tokens tokens, items.c stops keeping them and leaves a
 * TK_PARAMS token in their place, with the lexer state right after the
 * '(' (struct plist).  The parser reads the list again from there one
 * parameter at a time (plist_parse()), with the checks of parse_params(),
 * in the same order; the emitters read it once more, a batch of
 * parameters at a time (param_batch_first()).  What stays is the first
 * parameter and, while the list is parsed, the names.
 */
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/**
 * struct seg_tokens - the tokens of one parameter, as an item for parse_param()
 * @v: tokens
 * @match: index of the closing bracket of each opening one, -1 otherwise
 * @open: indexes of the brackets still open while reading
 * @n: tokens in @v
 * @cap: room in @v, @match and @open
 * @nopen: entries of @open
 */
struct seg_tokens {
	struct token **v;
	int *match;
	int *open;
	int n, cap, nopen;
};

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p)
		diag_fatal("out of memory");
	return p;
}

static void seg_push(struct seg_tokens *sg, struct token *t)
{
	if (sg->n == sg->cap) {
		sg->cap = sg->cap ? sg->cap * 2 : 64;
		sg->v = xrealloc(sg->v, sizeof(*sg->v) * (size_t)sg->cap);
		sg->match = xrealloc(sg->match, sizeof(int) * (size_t)sg->cap);
		sg->open = xrealloc(sg->open, sizeof(int) * (size_t)sg->cap);
	}
	sg->match[sg->n] = -1;
	sg->v[sg->n++] = t;
}

static void seg_free(struct seg_tokens *sg)
{
	free(sg->v);
	free(sg->match);
	free(sg->open);
	memset(sg, 0, sizeof(*sg));
}

/*
 * Read the tokens of the next parameter into @sg, up to the ',' or the
 * list's ')' outside brackets, which is returned.  items.c checked the
 * list when it read it first, so NULL (brackets that do not match, a
 * directive, the end) means that the input changed since.
 */
static struct token *seg_read(struct seg_tokens *sg, struct lexer *lx,
			      struct arena *a)
{
	struct token *t;
	int br;

	sg->n = 0;
	sg->nopen = 0;
	for (;;) {
		t = lex_next(lx, a);
		if (t->kind == TK_EOF || t->kind == TK_DIRECTIVE || lx->errors)
			return NULL;
		br = tok_bracket(t);
		if (!sg->nopen && (tok_ch(t, ',') || tok_ch(t, ')')))
			return t;
		seg_push(sg, t);
		if (br > 0) {
			sg->open[sg->nopen++] = sg->n - 1;
		} else if (br < 0) {
			int o;

			if (!sg->nopen)
				return NULL;
			o = sg->open[--sg->nopen];
			if (bracket_closer(sg->v[o]->punct) != t->punct)
				return NULL;
			sg->match[o] = sg->n - 1;
		}
	}
}

/* the parameter just read as an item of its own */
static struct item seg_item(const struct seg_tokens *sg, struct model *m,
			    struct token *end, struct arena *a)
{
	struct item it = { 0 };

	it.m = m;
	it.v = sg->v;
	it.match = sg->match;
	it.n = sg->n;
	it.end = end;
	it.arena = a;
	return it;
}

/* the first "..." outside brackets, or -1 */
static int seg_ellipsis(const struct item *it)
{
	int i;

	for (i = 0; i < it->n; i++) {
		if (tok_bracket(it->v[i]) > 0)
			i = it->match[i];
		else if (is_punct(it, i, "..."))
			return i;
	}
	return -1;
}

/**
 * struct name_table - the parameter names seen, for the duplicate check
 * @slots: open addressing; 0 is free, else 1 + the offset of a name in @data
 * @cap: number of slots (a power of two)
 * @count: names held
 * @data: the names, each NUL-terminated
 *
 * Four bytes a slot and the names packed: a list of n parameters costs
 * about 4.6n bytes here plus the names (the table is filled to 7/8).
 */
struct name_table {
	uint32_t *slots;
	size_t cap, count;
	struct strbuf data;
};

static size_t name_hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static void nt_grow(struct name_table *nt)
{
	size_t ncap = nt->cap ? nt->cap * 2 : 1024, i, j;
	uint32_t *slots = calloc(ncap, sizeof(*slots));

	if (!slots)
		diag_fatal("out of memory");
	for (i = 0; i < nt->cap; i++) {
		if (!nt->slots[i])
			continue;
		j = name_hash(nt->data.buf + nt->slots[i] - 1) & (ncap - 1);
		while (slots[j])
			j = (j + 1) & (ncap - 1);
		slots[j] = nt->slots[i];
	}
	free(nt->slots);
	nt->slots = slots;
	nt->cap = ncap;
}

/* add @name; false if it was there already */
static bool nt_add(struct name_table *nt, const char *name, size_t len)
{
	size_t j;

	if ((nt->count + 1) * 8 > nt->cap * 7)
		nt_grow(nt);
	if (nt->data.len + len + 2 > UINT32_MAX)
		diag_fatal("out of memory");
	for (j = name_hash(name) & (nt->cap - 1); nt->slots[j];
	     j = (j + 1) & (nt->cap - 1))
		if (!strcmp(nt->data.buf + nt->slots[j] - 1, name))
			return false;
	nt->slots[j] = (uint32_t)nt->data.len + 1;
	sb_add(&nt->data, name, len);
	sb_add(&nt->data, "", 1);
	nt->count++;
	return true;
}

static void nt_free(struct name_table *nt)
{
	free(nt->slots);
	sb_free(&nt->data);
}

/* state of plist_parse() */
struct plist_reader {
	struct item *it;	/* the declaration's item */
	struct decl *d;
	struct lexer lx;
	struct arena scratch;	/* tokens and texts of one parameter */
	struct seg_tokens sg;
	struct name_table names;
	struct srcpos dup_pos;
	char *dup;		/* the first repeated name, or NULL */
	const char *told;	/* see model_read_to() */
};

/* one parameter, just read into rd->sg and ended by @end */
static int plist_param(struct plist_reader *rd, struct token *end)
{
	bool first = rd->d->nparams == 0;
	struct item seg = seg_item(&rd->sg, rd->it->m, end,
				   first ? NULL : &rd->scratch);
	struct param p, *dst = first ? &rd->d->params[0] : &p;
	int e, name;

	seg.file_index = rd->it->file_index;
	seg.cond = rd->it->cond;
	e = seg_ellipsis(&seg);
	if (e >= 0) {
		diag_error(&seg.v[e]->pos, "variadic functions cannot be wrapped");
		return -1;
	}
	if (!seg.n) {
		diag_error(&end->pos, "expected a parameter declaration before '%s'",
			   end->text);
		return -1;
	}
	if (parse_param(&seg, 0, seg.n, dst, first, &name) < 0)
		return -1;
	if (!nt_add(&rd->names, dst->name, dst->name_len) && !rd->dup) {
		rd->dup = strndup(dst->name, dst->name_len);
		if (!rd->dup)
			diag_fatal("out of memory");
		rd->dup_pos = seg.v[name]->pos;
	}
	rd->d->nparams++;
	return 0;
}

/* the input no longer holds the list items.c read */
static void report_changed(const struct lexer *lx)
{
	struct srcpos pos = { lx->file, lx->line, lx->col };

	diag_error(&pos, "cannot read: the file changed while it was read");
}

/**
 * plist_parse() - parse a parameter list items.c did not keep
 * @it: the declaration's item; a TK_PARAMS token in it stands for the
 *      list, which is read again from @it->plist_lx
 * @d: the declaration; gets its parameter count, its first parameter and
 *     its &struct plist
 *
 * The checks and messages are parse_params()'s, in the same order: the
 * parameters one by one, then a repeated name.  A list items.c spilled
 * holds declarations and more than one parameter, so the cases of an
 * empty, "(void)" or K&R list do not arise here.
 *
 * Return: 0, or -1 after reporting an error.
 */
int plist_parse(struct item *it, struct decl *d)
{
	struct plist_reader rd = { .it = it, .d = d };
	struct plist *pl;
	struct token *end;
	int ret = -1;

	rd.lx = *it->plist_lx;
	rd.told = rd.lx.p;
	d->params = arena_alloc(item_arena(it), sizeof(*d->params));
	do {
		end = seg_read(&rd.sg, &rd.lx, &rd.scratch);
		if (!end) {
			report_changed(&rd.lx);
			goto out;
		}
		if (plist_param(&rd, end) < 0)
			goto out;
		arena_reset(&rd.scratch);
		model_read_to(it->m, &rd.told, rd.lx.p);
	} while (!tok_ch(end, ')'));
	if (rd.dup) {
		diag_error(&rd.dup_pos, "duplicate parameter '%s'", rd.dup);
		goto out;
	}
	pl = arena_alloc(item_arena(it), sizeof(*pl));
	pl->lx = *it->plist_lx;
	pl->lx.end = rd.lx.p;
	pl->m = it->m;
	pl->mapped = it->m->consumed != NULL;
	d->plist = pl;
	ret = 0;
out:
	free(rd.dup);
	seg_free(&rd.sg);
	nt_free(&rd.names);
	arena_free(&rd.scratch);
	return ret;
}

/**
 * plist_keep() - make a declaration independent of its input
 * @d: the declaration
 * @a: where the copy of its parameter list's source goes
 *
 * For a declaration that outlives its input (the whole model is built
 * before anything is written): copies the bytes the emitters will read.
 */
void plist_keep(struct decl *d, struct arena *a)
{
	struct plist *pl = (struct plist *)d->plist;
	size_t len;
	char *copy;

	if (!pl)
		return;
	len = (size_t)(pl->lx.end - pl->lx.p);
	copy = arena_alloc_bytes(a, len ? len : 1);
	memcpy(copy, pl->lx.p, len);
	pl->lx.p = copy;
	pl->lx.end = copy + len;
	pl->mapped = false;
}

/*
 * Read the next batch of a &struct plist into pb->buf.  False when none
 * could be read: the input changed since it was parsed (reported; the
 * run fails, and the iterator ends).
 */
static bool batch_read(struct param_batch *pb)
{
	struct model *m = (struct model *)pb->d->plist->m;
	int name;

	arena_reset(&pb->a);
	pb->first += pb->n;
	pb->n = 0;
	while (pb->n < PARAM_BATCH && pb->first + pb->n < pb->d->nparams) {
		struct token *end = seg_read(pb->seg, &pb->lx, &pb->a);
		struct item seg;

		if (!end) {
			report_changed(&pb->lx);
			pb->failed = true;
			break;
		}
		seg = seg_item(pb->seg, m, end, &pb->a);
		if (parse_param(&seg, 0, seg.n, &pb->buf[pb->n],
				pb->first + pb->n == 0, &name) < 0) {
			pb->failed = true;
			break;
		}
		pb->n++;
	}
	if (pb->d->plist->mapped)
		model_read_to(m, &pb->told, pb->lx.p);
	return pb->n > 0;
}

static void batch_release(struct param_batch *pb)
{
	if (pb->seg) {
		seg_free(pb->seg);
		free(pb->seg);
		pb->seg = NULL;
	}
	arena_free(&pb->a);
}

/**
 * param_batch_first() - start reading the parameters of a declaration
 * @pb: iterator, set up here
 * @d: the declaration
 *
 * Loop with param_batch_next() until it returns false, which releases
 * what the iterator holds; do not leave the loop early.
 *
 * Return: false when @d has no parameters, else true with the first
 * batch in @pb->v [0, @pb->n).
 */
bool param_batch_first(struct param_batch *pb, const struct decl *d)
{
	memset(pb, 0, offsetof(struct param_batch, buf));
	pb->d = d;
	if (!d->nparams)
		return false;
	if (!d->plist) {
		pb->v = d->params;
		pb->n = d->nparams;
		return true;
	}
	pb->lx = d->plist->lx;
	pb->told = pb->lx.p;
	pb->seg = calloc(1, sizeof(*pb->seg));
	if (!pb->seg)
		diag_fatal("out of memory");
	pb->v = pb->buf;
	if (batch_read(pb))
		return true;
	batch_release(pb);
	return false;
}

/**
 * param_batch_next() - the next batch of parameters
 * @pb: iterator
 *
 * Return: true with the batch in @pb->v [0, @pb->n), false at the end
 * (everything is released then).
 */
bool param_batch_next(struct param_batch *pb)
{
	if (!pb->d->plist || pb->failed ||
	    pb->first + pb->n >= pb->d->nparams) {
		batch_release(pb);
		return false;
	}
	if (batch_read(pb))
		return true;
	batch_release(pb);
	return false;
}
