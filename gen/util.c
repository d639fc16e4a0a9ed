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
 * arena_alloc_slow() - start a new chunk and allocate @size bytes from it
 * @a: the arena
 * @size: bytes wanted
 *
 * The out-of-line part of arena_alloc_raw() and arena_alloc_bytes(), for
 * when the newest chunk has no room left.
 *
 * Return: suitably aligned memory; exits on out-of-memory.
 */
void *arena_alloc_slow(struct arena *a, size_t size)
{
	size_t n = size > ARENA_CHUNK ? size : ARENA_CHUNK;
	struct arena_chunk *c = xmalloc(sizeof(*c) + n);
	char *p = (char *)c->data;

	c->size = n;
	c->next = a->head;
	a->head = c;
	a->cur = p + size;
	a->end = p + n;
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
 * arena_adopt() - make @src's memory part of @dst, which frees it
 * @dst: the arena that keeps it (and goes on allocating where it was)
 * @src: emptied
 */
void arena_adopt(struct arena *dst, struct arena *src)
{
	struct arena_chunk *c = src->head, *last;

	if (!c)
		return;
	for (last = c; last->next; last = last->next)
		;
	if (dst->head) {
		last->next = dst->head->next;
		dst->head->next = c;
	} else {
		*dst = *src;
	}
	memset(src, 0, sizeof(*src));
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
	a->head = c;
	a->cur = (char *)c->data;
	a->end = a->cur + c->size;
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
	a->cur = NULL;
	a->end = NULL;
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
 * sb_reserve() - make room for @n more bytes (and a terminator)
 * @sb: buffer
 * @n: bytes that will be added
 *
 * The buffer at least doubles when it grows, so appending is amortised
 * linear.
 */
void sb_reserve(struct strbuf *sb, size_t n)
{
	sb_grow(sb, n);
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
 * Formats made only of "%s" and "%%" are handled here without stdio,
 * which is several times faster; anything else goes to vsnprintf().  The
 * result is NUL-terminated.
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
	if (sb->buf)
		sb->buf[sb->len] = '\0';
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

/**
 * find_co_infix() - the first "_co_" in @s
 * @s: an identifier
 *
 * strstr() does the same, but for identifiers a plain loop is several
 * times faster than the C library's vectorised search.
 *
 * Return: a pointer to the '_' that starts it, or NULL.
 */
const char *find_co_infix(const char *s)
{
	for (; *s; s++)
		if (s[0] == '_' && s[1] == 'c' && s[2] == 'o' && s[3] == '_')
			return s;
	return NULL;
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

static void name_set_rehash(struct name_set *ns, size_t ncap)
{
	struct name_slot *slots = calloc(ncap, sizeof(*slots));
	size_t i;

	if (!slots)
		diag_fatal("out of memory");
	for (i = 0; i < ns->cap; i++) {
		size_t j;

		if (!ns->slots[i].name)
			continue;
		for (j = hash_str(ns->slots[i].name) & (ncap - 1); slots[j].name;
		     j = (j + 1) & (ncap - 1))
			;
		slots[j] = ns->slots[i];
	}
	free(ns->slots);
	ns->slots = slots;
	ns->cap = ncap;
}

/* would @n names fill the table beyond 3/4? */
static bool name_set_full(const struct name_set *ns, size_t n)
{
	return n * 4 > ns->cap * 3;
}

/**
 * name_set_reserve() - make room for @n names without rehashing
 * @ns: set
 * @n: how many names it will hold
 */
void name_set_reserve(struct name_set *ns, size_t n)
{
	size_t cap = ns->cap ? ns->cap : 1024;

	if (!n)
		return;
	while (n * 4 > cap * 3)
		cap *= 2;
	if (cap != ns->cap)
		name_set_rehash(ns, cap);
}

/* the slot holding @name, or the free slot where it would go */
static struct name_slot *name_set_find(const struct name_set *ns,
				       const char *name, size_t h)
{
	size_t j;

	for (j = h & (ns->cap - 1); ns->slots[j].name; j = (j + 1) & (ns->cap - 1))
		if (ns->slots[j].name[0] == name[0] &&
		    !strcmp(ns->slots[j].name, name))
			break;
	return &ns->slots[j];
}

/* The slot for @name (hash @h), growing the set first if one more is due. */
static struct name_slot *name_set_slot(struct name_set *ns, const char *name,
				       size_t h)
{
	if (name_set_full(ns, ns->count + 1))
		name_set_rehash(ns, ns->cap ? ns->cap * 2 : 1024);
	return name_set_find(ns, name, h);
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
	struct name_slot *s = name_set_slot(ns, name, h);

	if (s->name)
		return false;
	s->name = name;
	ns->count++;
	return true;
}

/**
 * name_set_add_copy() - insert a copy of @name unless it is there already
 * @ns: set
 * @a: arena that receives the copy
 * @name: identifier (need not outlive the call)
 * @len: strlen(@name)
 *
 * Return: true if it was new.
 */
bool name_set_add_copy(struct name_set *ns, struct arena *a, const char *name,
		       size_t len)
{
	size_t h = hash_str(name);
	struct name_slot *s = name_set_slot(ns, name, h);

	if (s->name)
		return false;
	s->name = arena_strndup(a, name, len);
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
