// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-gen: model checks and helpers.
 *
 * After all inputs are parsed, every declaration gets the name of the
 * function it runs (the naming rule), duplicates are rejected, and the
 * emitters ask which execution context a wrapper polls.
 */
#include <stdlib.h>
#include <string.h>

#include "cowrap-gen.h"

static const char *concat3(struct arena *a, const char *x, size_t xn,
			   const char *mid, const char *y)
{
	size_t mn = strlen(mid), yn = strlen(y);
	char *p = arena_alloc_bytes(a, xn + mn + yn + 1);

	memcpy(p, x, xn);
	memcpy(p + xn, mid, mn);
	memcpy(p + xn + mn, y, yn + 1);
	return p;
}

/*
 * prefix_rest -> prefix_co_rest.  The split point is, in this order: the
 * one for which the inputs declare prefix_co_rest; the longest --prefix
 * that matches; the first underscore (QEMU's convention).
 */
static int co_target(struct model *m, struct decl *d, struct arena *a,
		     bool report)
{
	const char *name = d->name, *u, *found = NULL;
	size_t best = 0;
	int i, nfound = 0;

	if (find_co_infix(name) || !strncmp(name, "co_", 3)) {
		if (report)
			diag_error(&d->name_pos, "wrapper name '%s' breaks the naming rule: a %s named prefix_rest runs prefix_co_rest, so its own name must not contain '_co_'",
			   name, marker_name(d->marker));
		return -1;
	}
	u = strchr(name, '_');
	if (!u || u == name || !u[1]) {
		if (report)
			diag_error(&d->name_pos, "wrapper name '%s' breaks the naming rule: a %s must be named prefix_rest (it runs prefix_co_rest)",
			   name, marker_name(d->marker));
		return -1;
	}
	/* QEMU's rule is fixed: split at the first underscore */
	for (u = m->flavor == FLAVOR_QEMU ? NULL : strchr(name, '_'); u;
	     u = strchr(u + 1, '_')) {
		const char *t;

		if (u == name || !u[1])
			continue;
		t = concat3(a, name, (size_t)(u - name), "_co_", u + 1);
		if (name_set_has(&m->functions, t)) {
			if (nfound++)
				break;
			found = t;
		}
	}
	if (nfound == 1) {
		d->target = found;
		d->target_len = (unsigned int)strlen(found);
		return 0;
	}
	for (i = 0; m->flavor != FLAVOR_QEMU && i < m->nprefixes; i++) {
		size_t n = strlen(m->prefixes[i]);

		if (n > best && !strncmp(name, m->prefixes[i], n) &&
		    name[n] == '_' && name[n + 1])
			best = n;
	}
	if (!best)
		best = (size_t)(strchr(name, '_') - name);
	d->target = concat3(a, name, best, "_co_", name + best + 1);
	d->target_len = d->name_len + 3;
	return 0;
}

/* prefix_co_rest -> prefix_rest */
static int no_co_target(struct decl *d, struct arena *a, bool report)
{
	const char *name = d->name, *c = find_co_infix(name);

	if (!c || c == name || !c[4]) {
		if (report)
			diag_error(&d->name_pos, "wrapper name '%s' breaks the naming rule: a %s must be named prefix_co_rest (it runs prefix_rest)",
			   name, marker_name(d->marker));
		return -1;
	}
	d->target = concat3(a, name, (size_t)(c - name), "_", c + 4);
	d->target_len = d->name_len - 3;
	return 0;
}

/* the naming rule for @d, quietly unless @report; 0 or -1 */
static int target(struct model *m, struct decl *d, struct arena *a,
		  bool report)
{
	return marker_is_no_co(d->marker) ? no_co_target(d, a, report) :
					    co_target(m, d, a, report);
}

int model_resolve(struct model *m)
{
	struct decl *d;
	int ret = 0;

	for (d = m->first; d; d = d->next) {
		struct srcpos prev;

		if (target(m, d, &m->arena, true) < 0) {
			ret = -1;
			continue;
		}
		if (wrapper_set_get(&m->wrappers, d->name, &prev)) {
			diag_error(&d->name_pos, "duplicate wrapper '%s'", d->name);
			diag_note(&prev, "previous declaration of '%s' was here",
				  d->name);
			ret = -1;
			continue;
		}
		wrapper_set_add(&m->wrappers, d);
	}
	return ret;
}

/**
 * model_resolve_one() - resolve a declaration as soon as it is parsed
 * @m: model (QEMU flavor: its naming rule looks nothing up)
 * @d: the declaration
 * @a: arena of @d (receives its target name)
 *
 * What model_resolve() does for @d, but without a message: a
 * declaration it fails for is kept in the model, and model_resolve()
 * reports it in turn once no other error is known.
 *
 * Return: true if @d is fine (and its name now taken).
 */
bool model_resolve_one(struct model *m, struct decl *d, struct arena *a)
{
	if (target(m, d, a, false) < 0 ||
	    wrapper_set_get(&m->wrappers, d->name, NULL))
		return false;
	wrapper_set_add(&m->wrappers, d);
	return true;
}

const struct ctx_rule *model_ctx_rule(const struct model *m,
				      const struct decl *d)
{
	int i;

	if (!d->nparams)
		return NULL;
	for (i = 0; i < m->nrules; i++)
		if (!strcmp(m->rules[i].type, d->params[0].type))
			return &m->rules[i];
	return NULL;
}

/**
 * model_ctx_expr() - the execution context a cowrap wrapper polls
 * @m: model (holds the --ctx rules and the default)
 * @d: declaration
 *
 * "ACCESSOR(first_param)" for the rule model_ctx_rule() finds, otherwise
 * the default expression.
 *
 * Return: the C expression (arena owned or from the options).
 */
const char *model_ctx_expr(const struct model *m, const struct decl *d)
{
	struct arena *a = (struct arena *)&m->arena;
	const struct ctx_rule *r = model_ctx_rule(m, d);
	struct strbuf sb = { 0 };
	const char *s;

	if (!r)
		return m->default_ctx;
	sb_printf(&sb, "%s(%s)", r->accessor, d->params[0].name);
	s = arena_strndup(a, sb.buf, sb.len);
	sb_free(&sb);
	return s;
}

/**
 * type_is_signed_int() - may a wrapper returning @type return -errno?
 * @type: normalised return type
 *
 * These are the types for which a co_wrapper returns the error of
 * cowrap_poll_co() (-EDEADLK when called from a coroutine); the list is
 * documented in Documentation/cowrap-gen.rst and must match.
 *
 * Return: true for the signed integer types listed there.
 */
bool type_is_signed_int(const char *type)
{
	static const char *const types[] = {
		"int", "signed", "signed int", "long", "long int",
		"signed long", "signed long int", "long long", "long long int",
		"signed long long", "signed long long int", "short",
		"short int", "signed short", "signed short int", "ssize_t",
		"loff_t", "s16", "s32", "s64", "__s16", "__s32", "__s64",
		"int16_t", "int32_t", "int64_t", "intptr_t", "ptrdiff_t", NULL
	};
	int i;

	for (i = 0; types[i]; i++)
		if (!strcmp(types[i], type))
			return true;
	return false;
}

/*
 * The wrapper names: one entry per name in wrapper_set.data (its
 * srcpos, then the name with its NUL), found through an open-addressing
 * table of 32-bit offsets.  Streaming keeps one entry per wrapper for the
 * whole run, so it is kept small: about 37 bytes for a 12-character name
 * instead of 48 with a name_set of arena records.
 */
static size_t ws_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

static const char *ws_name(const struct wrapper_set *ws, uint32_t slot)
{
	return ws->data.buf + slot - 1 + sizeof(struct srcpos);
}

/* the slot of @name, or the free one where it would go */
static size_t ws_find(const struct wrapper_set *ws, const char *name)
{
	size_t j;

	for (j = ws_hash(name) & (ws->cap - 1); ws->slots[j];
	     j = (j + 1) & (ws->cap - 1))
		if (!strcmp(ws_name(ws, ws->slots[j]), name))
			break;
	return j;
}

static void ws_grow(struct wrapper_set *ws)
{
	size_t ncap = ws->cap ? ws->cap * 2 : 1024, i, j;
	uint32_t *slots = calloc(ncap, sizeof(*slots));

	if (!slots)
		diag_fatal("out of memory");
	for (i = 0; i < ws->cap; i++) {
		if (!ws->slots[i])
			continue;
		for (j = ws_hash(ws_name(ws, ws->slots[i])) & (ncap - 1);
		     slots[j]; j = (j + 1) & (ncap - 1))
			;
		slots[j] = ws->slots[i];
	}
	free(ws->slots);
	ws->slots = slots;
	ws->cap = ncap;
}

/**
 * wrapper_set_get() - is @name a wrapper already, and where was it?
 * @ws: set
 * @name: wrapper name
 * @pos: if not NULL and it is, receives the position of its name
 *
 * Return: true if it is.
 */
bool wrapper_set_get(const struct wrapper_set *ws, const char *name,
		     struct srcpos *pos)
{
	uint32_t slot;

	if (!ws->cap)
		return false;
	slot = ws->slots[ws_find(ws, name)];
	if (slot && pos)
		memcpy(pos, ws->data.buf + slot - 1, sizeof(*pos));
	return slot != 0;
}

/**
 * wrapper_set_add() - record the name of @d (not in @ws yet)
 * @ws: set
 * @d: the declaration
 */
void wrapper_set_add(struct wrapper_set *ws, const struct decl *d)
{
	size_t off = ws->data.len;

	if (off + sizeof(d->name_pos) + d->name_len + 2 > UINT32_MAX)
		diag_fatal("out of memory");	/* 4 GB of names */
	if ((ws->count + 1) * 4 > ws->cap * 3)
		ws_grow(ws);
	sb_add(&ws->data, (const char *)&d->name_pos, sizeof(d->name_pos));
	sb_add(&ws->data, d->name, d->name_len + 1);
	ws->slots[ws_find(ws, d->name)] = (uint32_t)off + 1;
	ws->count++;
}

/**
 * wrapper_set_free() - release the set
 * @ws: set
 */
void wrapper_set_free(struct wrapper_set *ws)
{
	free(ws->slots);
	sb_free(&ws->data);
	memset(ws, 0, sizeof(*ws));
}
