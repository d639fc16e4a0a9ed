// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-gen: arena allocator, string buffer and identifier set.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cowrap-gen.h"

#define ARENA_CHUNK	(64 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used;
	size_t size;
	max_align_t data[];
};

static void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		diag_fatal("out of memory");
	return p;
}

/**
 * arena_alloc() - allocate zeroed memory that lives until arena_free()
 * @a: the arena
 * @size: bytes wanted
 *
 * Return: suitably aligned zeroed memory; exits on out-of-memory.
 */
void *arena_alloc(struct arena *a, size_t size)
{
	void *p = arena_alloc_raw(a, size);

	memset(p, 0, size);
	return p;
}

/**
 * arena_alloc_raw() - like arena_alloc() but the memory is not zeroed
 * @a: the arena
 * @size: bytes wanted
 *
 * Return: suitably aligned memory; exits on out-of-memory.
 */
void *arena_alloc_raw(struct arena *a, size_t size)
{
	struct arena_chunk *c = a->head;
	size_t al = sizeof(max_align_t);
	void *p;

	size = (size + al - 1) / al * al;
	if (c)
		c->used = (c->used + al - 1) / al * al;
	if (!c || c->used > c->size || c->size - c->used < size) {
		size_t n = size > ARENA_CHUNK ? size : ARENA_CHUNK;

		c = xmalloc(sizeof(*c) + n);
		c->used = 0;
		c->size = n;
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += size;
	return p;
}

/**
 * arena_alloc_bytes() - unaligned, unzeroed memory (for strings)
 * @a: the arena
 * @size: bytes wanted
 *
 * Return: the memory; exits on out-of-memory.
 */
void *arena_alloc_bytes(struct arena *a, size_t size)
{
	struct arena_chunk *c = a->head;
	void *p;

	if (!c || c->size - c->used < size)
		return arena_alloc_raw(a, size);
	p = (char *)c->data + c->used;
	c->used += size;
	return p;
}

/**
 * arena_strndup() - copy @n bytes of @s into the arena, NUL-terminated
 * @a: the arena
 * @s: source bytes
 * @n: how many
 *
 * Return: the copy.
 */
char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc_bytes(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/**
 * arena_reset() - forget every allocation but keep one chunk for reuse
 * @a: the arena
 */
void arena_reset(struct arena *a)
{
	struct arena_chunk *c = a->head;

	if (!c)
		return;
	a->head = c->next;
	arena_free(a);
	c->next = NULL;
	c->used = 0;
	a->head = c;
}

/**
 * arena_free() - release everything allocated from @a
 * @a: the arena
 */
void arena_free(struct arena *a)
{
	struct arena_chunk *c = a->head;

	while (c) {
		struct arena_chunk *next = c->next;

		free(c);
		c = next;
	}
	a->head = NULL;
}

static void sb_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	char *p;

	if (need <= sb->cap)
		return;
	if (need < sb->cap * 2)
		need = sb->cap * 2;
	if (need < 256)
		need = 256;
	p = realloc(sb->buf, need);
	if (!p)
		diag_fatal("out of memory");
	sb->buf = p;
	sb->cap = need;
}

/**
 * sb_reserve() - make room for @n more bytes without reallocation
 * @sb: buffer
 * @n: bytes that will be added
 */
void sb_reserve(struct strbuf *sb, size_t n)
{
	sb_grow(sb, n);
}

/**
 * sb_add() - append @n bytes
 * @sb: buffer
 * @s: bytes
 * @n: count
 */
void sb_add(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->len + n >= sb->cap)
		sb_grow(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

/**
 * sb_puts() - append a C string
 * @sb: buffer
 * @s: string
 */
void sb_puts(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

static void sb_vprintf_libc(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list aq;
	size_t avail;
	int n;

	sb_grow(sb, 128);
	avail = sb->cap - sb->len;
	va_copy(aq, ap);
	n = vsnprintf(sb->buf + sb->len, avail, fmt, aq);
	va_end(aq);
	if (n < 0)
		diag_fatal("formatting failed");
	if ((size_t)n >= avail) {
		sb_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	}
	sb->len += (size_t)n;
}

/**
 * sb_printf() - append formatted text
 * @sb: buffer
 * @fmt: printf format
 *
 * Formats made only of "%s" and "%%" (all the emitters use) are handled
 * here without stdio, which is several times faster; anything else goes
 * to vsnprintf().
 */
void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	size_t saved = sb->len;
	const char *f = fmt;
	va_list ap;

	va_start(ap, fmt);
	for (;;) {
		const char *pct = f;

		/* formats are short: a plain loop beats strchr() here */
		while (*pct && *pct != '%')
			pct++;
		if (pct > f)
			sb_add(sb, f, (size_t)(pct - f));
		if (!*pct)
			break;
		if (pct[1] == 's') {
			sb_puts(sb, va_arg(ap, const char *));
		} else if (pct[1] == '%') {
			sb_add(sb, "%", 1);
		} else {
			/* not ours: start over with the C library */
			va_end(ap);
			sb->len = saved;
			va_start(ap, fmt);
			sb_vprintf_libc(sb, fmt, ap);
			break;
		}
		f = pct + 2;
	}
	va_end(ap);
}

/**
 * sb_free() - release the buffer
 * @sb: buffer
 */
void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = 0;
	sb->cap = 0;
}

static size_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

static void name_set_rehash(struct name_set *ns)
{
	size_t ncap = ns->cap ? ns->cap * 2 : 1024;
	struct name_slot *slots = calloc(ncap, sizeof(*slots));
	size_t i;

	if (!slots)
		diag_fatal("out of memory");
	for (i = 0; i < ns->cap; i++) {
		size_t j;

		if (!ns->slots[i].name)
			continue;
		for (j = ns->slots[i].hash & (ncap - 1); slots[j].name;
		     j = (j + 1) & (ncap - 1))
			;
		slots[j] = ns->slots[i];
	}
	free(ns->slots);
	ns->slots = slots;
	ns->cap = ncap;
}

/* the slot holding @name, or the free slot where it would go */
static struct name_slot *name_set_find(const struct name_set *ns,
				       const char *name, size_t h)
{
	size_t j;

	for (j = h & (ns->cap - 1); ns->slots[j].name; j = (j + 1) & (ns->cap - 1))
		if (ns->slots[j].hash == h && !strcmp(ns->slots[j].name, name))
			break;
	return &ns->slots[j];
}

/**
 * name_set_add() - insert @name (the string must outlive the set)
 * @ns: set
 * @name: identifier
 *
 * Return: true if it was new.
 */
bool name_set_add(struct name_set *ns, const char *name)
{
	size_t h = hash_str(name);
	struct name_slot *s;

	if ((ns->count + 1) * 2 > ns->cap)
		name_set_rehash(ns);
	s = name_set_find(ns, name, h);
	if (s->name)
		return false;
	s->name = name;
	s->hash = h;
	ns->count++;
	return true;
}

/**
 * name_set_has() - membership test
 * @ns: set
 * @name: identifier
 *
 * Return: true if present.
 */
bool name_set_has(const struct name_set *ns, const char *name)
{
	if (!ns->cap)
		return false;
	return name_set_find(ns, name, hash_str(name))->name != NULL;
}

/**
 * name_set_free() - release the set (not the strings)
 * @ns: set
 */
void name_set_free(struct name_set *ns)
{
	free(ns->slots);
	ns->slots = NULL;
	ns->cap = 0;
	ns->count = 0;
}
