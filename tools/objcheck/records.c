// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-objcheck: the records include/cowrap/annotations.h leaves in objects
 * (.cowrap_addr_ok from cowrap_co_addr_ok(), .comment.cowrap.co_enter from
 * __cowrap_co_context_enter(), .comment.cowrap.wrong_ctx from
 * cowrap_wrong_context_begin_*()), and the set of functions known by name
 * across all inputs (for callees defined in another object).
 */
#include <stdlib.h>
#include <string.h>

#include "objcheck.h"

/* Resolve a relocation to (section, offset) of the place it points at. */
static int rel_target(const struct oc_obj *o, const GElf_Rela *r,
		      size_t *shndx, uint64_t *off)
{
	size_t si = GELF_R_SYM(r->r_info);
	const GElf_Sym *s;

	if (si == 0 || si >= o->nsyms)
		return -1;
	s = &o->syms[si].sym;
	if (s->st_shndx == SHN_UNDEF || s->st_shndx >= o->nsecs)
		return -1;
	*shndx = s->st_shndx;
	*off = s->st_value + (uint64_t)r->r_addend;
	return 0;
}

static void mark_addr_ok(struct oc_obj *o, const GElf_Rela *r)
{
	size_t si = GELF_R_SYM(r->r_info), shndx;
	uint64_t off;
	int f;

	if (si < o->nsyms && o->syms[si].func >= 0) {
		o->funcs[o->syms[si].func].addr_ok = 1;
		return;
	}
	if (rel_target(o, r, &shndx, &off))
		return;
	f = oc_func_at(o, shndx, off);
	if (f >= 0 && o->funcs[f].start == off)
		o->funcs[f].addr_ok = 1;
}

static void mark_named(struct oc_obj *o, const GElf_Rela *r, int wrong)
{
	const struct oc_sec *s;
	const char *name;
	size_t shndx, i, max;
	uint64_t off;

	if (rel_target(o, r, &shndx, &off))
		return;
	s = &o->secs[shndx];
	if (!s->data || off >= s->size)
		return;
	name = (const char *)s->data + off;
	max = s->size - off;
	if (!memchr(name, '\0', max))
		return;
	for (i = 0; i < o->nfuncs; i++) {
		if (strcmp(o->funcs[i].name, name))
			continue;
		if (wrong)
			o->funcs[i].wrong_ok = 1;
		else if (o->funcs[i].cls == OC_PLAIN)
			o->funcs[i].cls = OC_TRAMP;
	}
}

/**
 * oc_read_records() - apply the annotation records of an object
 * @o: the object
 * @err: buffer for an error message
 * @errlen: its size
 *
 * Return: 0, or -1 with a message in @err for a malformed record section.
 */
int oc_read_records(struct oc_obj *o, char *err, size_t errlen)
{
	size_t i;

	for (i = 1; i < o->nsecs; i++) {
		const struct oc_sec *rs = &o->secs[i];
		const char *tname;
		Elf_Data *d;
		size_t n, k;
		char kind;

		if (rs->shdr.sh_type != SHT_RELA || !rs->size)
			continue;
		if (rs->shdr.sh_info == 0 || rs->shdr.sh_info >= o->nsecs)
			continue;
		tname = o->secs[rs->shdr.sh_info].name;
		if (!strcmp(tname, ".cowrap_addr_ok"))
			kind = 'a';
		else if (!strcmp(tname, ".comment.cowrap.co_enter"))
			kind = 'e';
		else if (!strcmp(tname, ".comment.cowrap.wrong_ctx"))
			kind = 'w';
		else
			continue;
		d = elf_getdata(elf_getscn(o->elf, i), NULL);
		if (!d || rs->shdr.sh_entsize != sizeof(Elf64_Rela)) {
			snprintf(err, errlen, "bad relocation section %s",
				 rs->name);
			return -1;
		}
		n = rs->size / sizeof(Elf64_Rela);
		for (k = 0; k < n; k++) {
			GElf_Rela r;

			if (!gelf_getrela(d, (int)k, &r))
				continue;
			if (GELF_R_TYPE(r.r_info) != R_X86_64_64)
				continue;
			if (kind == 'a')
				mark_addr_ok(o, &r);
			else
				mark_named(o, &r, kind == 'w');
		}
	}
	return 0;
}

/**
 * oc_world_add() - remember the global functions of an object
 * @w: the set
 * @o: the object (records already applied)
 *
 * A name defined twice keeps its first class.
 */
void oc_world_add(struct oc_world *w, const struct oc_obj *o)
{
	size_t i;

	for (i = 0; i < o->nfuncs; i++) {
		const struct oc_func *f = &o->funcs[i];
		struct oc_func *c;

		if (!f->global || oc_world_find(w, f->name))
			continue;
		if (w->n == w->cap) {
			size_t cap = w->cap ? 2 * w->cap : 64;
			struct oc_func *nf = realloc(w->funcs, cap * sizeof(*nf));

			if (!nf)
				return;
			w->funcs = nf;
			w->cap = cap;
		}
		c = &w->funcs[w->n];
		*c = *f;
		c->name = strdup(f->name);
		if (!c->name)
			return;
		w->n++;
	}
}

/**
 * oc_world_find() - a global function by name
 * @w: the set
 * @name: symbol name
 *
 * Return: the function, or NULL.
 */
const struct oc_func *oc_world_find(const struct oc_world *w,
				    const char *name)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (!strcmp(w->funcs[i].name, name))
			return &w->funcs[i];
	return NULL;
}

/**
 * oc_world_free() - free the set
 * @w: the set
 */
void oc_world_free(struct oc_world *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->funcs[i].name);
	free(w->funcs);
	memset(w, 0, sizeof(*w));
}
