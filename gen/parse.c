// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-gen: marked-declaration parser.
 *
 * items.c cuts the token stream into top-level items and hands the marked
 * ones here.  A marked item is parsed as
 *
 *   specifier... NAME '(' parameter-list ')' post-attribute... ';'
 *
 * where the specifiers hold exactly one marker, the return type, storage
 * (extern), attributes and attribute-like macros, and every parameter is a
 * named declaration.  See Documentation/cowrap-gen.rst for the grammar.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/**
 * item_arena() - where what the parser keeps of an item is allocated
 * @it: the item
 *
 * Return: @it->arena if set (plist.c's parameters read one at a time),
 * else the model's arena for declarations (see &struct model).
 */
struct arena *item_arena(const struct item *it)
{
	if (it->arena)
		return it->arena;
	return it->m->stream ? &it->m->decls : &it->m->arena;
}

static struct arena *decl_arena(const struct item *it)
{
	return item_arena(it);
}

static const char *const marker_names[MK_NR] = {
	[MK_CO_WRAPPER] = "co_wrapper",
	[MK_CO_WRAPPER_MIXED] = "co_wrapper_mixed",
	[MK_NO_CO_WRAPPER] = "no_co_wrapper",
	[MK_CO_WRAPPER_BDRV_RDLOCK] = "co_wrapper_bdrv_rdlock",
	[MK_CO_WRAPPER_MIXED_BDRV_RDLOCK] = "co_wrapper_mixed_bdrv_rdlock",
	[MK_NO_CO_WRAPPER_BDRV_RDLOCK] = "no_co_wrapper_bdrv_rdlock",
	[MK_NO_CO_WRAPPER_BDRV_WRLOCK] = "no_co_wrapper_bdrv_wrlock",
};

static const char *const type_keywords[] = {
	"void", "char", "short", "int", "long", "float", "double", "signed",
	"unsigned", "_Bool", "_Complex", "__int128", "__signed__", "__signed",
	NULL
};

static const char *const qualifiers[] = {
	"const", "volatile", "restrict", "__restrict", "__restrict__",
	"_Atomic", "__const", "__volatile__", "__volatile", NULL
};

/* sparse annotations that are part of a type: kept as written */
static const char *const type_annotations[] = {
	"__user", "__kernel", "__iomem", "__percpu", "__rcu", "__force",
	"__bitwise", "__private", "__nocast", "__safe", NULL
};

/* keywords introducing a parenthesised attribute or asm label */
static const char *const attr_keywords[] = {
	"__attribute__", "__attribute", "__declspec", "_Alignas", "alignas",
	"__asm__", "__asm", "asm", NULL
};

/* specifiers that take a parenthesised argument and are part of the type */
static const char *const typeof_keywords[] = {
	"typeof", "__typeof__", "__typeof", "typeof_unqual", NULL
};

/* well-known attribute macros, dropped from the return type */
static const char *const attr_macros[] = {
	"__must_check", "__always_unused", "__maybe_unused", "__used",
	"__cold", "__hot", "__pure", "__deprecated", "__weak", "__malloc",
	"__init", "__exit", "notrace", "noinline", "__noinline", "__flatten",
	"__visible", "asmlinkage", "__sched", "__latent_entropy", "__nocfi",
	"__printf", "__scanf", "__acquires", "__releases", "__must_hold",
	"__cond_acquires", "__aligned", "__section", "__alloc_size",
	"__counted_by", "__nonnull", "__noreturn", "_Noreturn", "noreturn",
	"coroutine_fn", "coroutine_mixed_fn", "no_coroutine_fn",
	"GRAPH_RDLOCK", "GRAPH_WRLOCK", "GRAPH_UNLOCKED", "TSA_NO_TSA",
	"QEMU_WARN_UNUSED_RESULT", "G_GNUC_WARN_UNUSED_RESULT", NULL
};

static const char *const tag_keywords[] = {
	"struct", "union", "enum", NULL
};

static const char *const forbidden_storage[] = {
	"static", "inline", "__inline", "__inline__", "__always_inline",
	"typedef", "register", "auto", "_Thread_local", "__thread", NULL
};

/* storage a marked declaration (extern), a parameter (register) may have */
static const char *const extern_keyword[] = { "extern", NULL };
static const char *const register_keyword[] = { "register", NULL };

enum {
	KW_TYPE = 1 << 0,
	KW_QUAL = 1 << 1,
	KW_ANNOT = 1 << 2,
	KW_ATTR_KEYWORD = 1 << 3,
	KW_TYPEOF = 1 << 4,
	KW_ATTR_MACRO = 1 << 5,
	KW_FORBIDDEN = 1 << 6,
	KW_TAG = 1 << 7,
	KW_EXTERN = 1 << 8,
	KW_REGISTER = 1 << 9,
};

#define KW_SLOTS	512
#define KW_MAX_LEN	32	/* no keyword is longer; fits kw_lens[] */

struct kw_slot {
	const char *name;
	size_t len;
	unsigned int mask;
};

static struct kw_slot kw_table[KW_SLOTS];

/* bit n of kw_lens[c]: some keyword of length n starts with c */
static uint64_t kw_lens[256];

/* a cheap hash of a short word: its length and three of its bytes */
static unsigned int kw_hash(const char *s, size_t len)
{
	return (unsigned int)len * 97u + (unsigned char)s[0] * 31u +
	       (unsigned char)s[len / 2] * 7u + (unsigned char)s[len - 1];
}

static void kw_add_list(const char *const *list, unsigned int mask)
{
	for (; *list; list++) {
		size_t len = strlen(*list);
		unsigned int j = kw_hash(*list, len) & (KW_SLOTS - 1);

		while (kw_table[j].name && strcmp(kw_table[j].name, *list))
			j = (j + 1) & (KW_SLOTS - 1);
		kw_table[j].name = *list;
		kw_table[j].len = len;
		kw_table[j].mask |= mask;
		if (len <= KW_MAX_LEN)
			kw_lens[(unsigned char)**list] |= (uint64_t)1 << len;
	}
}

/* which of the keyword lists above hold @s of length @len (one lookup) */
static unsigned int kw_class(const char *s, size_t len)
{
	static bool built;
	unsigned int j;

	if (!built) {
		kw_add_list(type_keywords, KW_TYPE);
		kw_add_list(qualifiers, KW_QUAL);
		kw_add_list(type_annotations, KW_ANNOT);
		kw_add_list(attr_keywords, KW_ATTR_KEYWORD);
		kw_add_list(typeof_keywords, KW_TYPEOF);
		kw_add_list(attr_macros, KW_ATTR_MACRO);
		kw_add_list(forbidden_storage, KW_FORBIDDEN);
		kw_add_list(tag_keywords, KW_TAG);
		kw_add_list(extern_keyword, KW_EXTERN);
		kw_add_list(register_keyword, KW_REGISTER);
		built = true;
	}
	/* most identifiers are no keyword: a first filter without hashing */
	if (!len || len > KW_MAX_LEN ||
	    !(kw_lens[(unsigned char)s[0]] & ((uint64_t)1 << len)))
		return 0;
	for (j = kw_hash(s, len) & (KW_SLOTS - 1); kw_table[j].name;
	     j = (j + 1) & (KW_SLOTS - 1))
		if (kw_table[j].len == len && !memcmp(kw_table[j].name, s, len))
			return kw_table[j].mask;
	return 0;
}

static void kw_fill(struct token *t)
{
	t->kw = (int)kw_class(t->text, t->len);
}

/*
 * Does token @t belong to one of the keyword lists in @mask?  The classes
 * of a token are looked up once and kept in the token: the parser asks
 * about the same token several times.
 */
static inline bool kw_is(struct token *t, unsigned int mask)
{
	if (t->kw < 0)
		kw_fill(t);
	return (unsigned int)t->kw & mask;
}

/**
 * marker_name() - spelling of a marker
 * @mk: marker
 *
 * Return: the identifier.
 */
const char *marker_name(enum marker mk)
{
	return marker_names[mk];
}

/**
 * marker_is_mixed() - is @mk a co_wrapper_mixed variant?
 * @mk: marker
 *
 * Return: true for the mixed variants.
 */
bool marker_is_mixed(enum marker mk)
{
	return mk == MK_CO_WRAPPER_MIXED || mk == MK_CO_WRAPPER_MIXED_BDRV_RDLOCK;
}

/**
 * marker_is_no_co() - is @mk a no_co_wrapper variant?
 * @mk: marker
 *
 * Return: true for the no_co_wrapper variants.
 */
bool marker_is_no_co(enum marker mk)
{
	return mk == MK_NO_CO_WRAPPER || mk == MK_NO_CO_WRAPPER_BDRV_RDLOCK ||
	       mk == MK_NO_CO_WRAPPER_BDRV_WRLOCK;
}

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (**list == *s && !strcmp(*list, s))
			return true;
	return false;
}

static const struct token *tok_at(const struct item *it, int i)
{
	return i < it->n ? it->v[i] : it->end;
}

/**
 * marker_lookup() - the marker spelled @s in the flavor of @m
 * @m: model (its flavor decides which markers exist)
 * @s: identifier
 *
 * Return: the enum marker value, or -1 if @s is not a marker.
 */
int marker_lookup(const struct model *m, const char *s)
{
	int last = m->flavor == FLAVOR_QEMU ? MK_NR : MK_NO_CO_WRAPPER + 1;
	int i;

	for (i = 0; i < last; i++)
		if (!strcmp(marker_names[i], s))
			return i;
	return -1;
}

static bool is_user_attr(const struct model *m, const char *s)
{
	int i;

	for (i = 0; i < m->nattr_macros; i++)
		if (!strcmp(m->attr_macros[i], s))
			return true;
	return false;
}

static inline bool is_attr_macro(const struct model *m, struct token *t)
{
	return kw_is(t, KW_ATTR_MACRO) ||
	       (m->nattr_macros && is_user_attr(m, t->text));
}

/*
 * Index of the bracket closing the one at @i, or -1 if @i is not an
 * opening bracket; items.c matched them all, so this costs nothing.
 */
static int match_close(const struct item *it, int i)
{
	return i < it->n ? it->match[i] : -1;
}

/* skip "KEYWORD ( ... )" at @i; returns the index after it or -1 */
static int skip_group(const struct item *it, int i)
{
	int close;

	if (!is_ch(it, i + 1, '(')) {
		diag_error(&tok_at(it, i + 1)->pos, "expected '(' after '%s'",
			   it->v[i]->text);
		return -1;
	}
	close = match_close(it, i + 1);
	if (close < 0) {
		diag_error(&it->v[i + 1]->pos, "unbalanced '('");
		return -1;
	}
	return close + 1;
}

/* append tokens [a, b) with their original spacing (collapsed) */
static void join_range(struct strbuf *sb, const struct item *it, int a, int b)
{
	int i;

	for (i = a; i < b; i++) {
		if (i > a && it->v[i]->space_before)
			sb_add(sb, " ", 1);
		sb_add(sb, it->v[i]->text, it->v[i]->len);
	}
}

/*
 * Tokens [a, b) as join_range() spells them, copied straight into the
 * arena; the number of bytes copied goes to *@len.
 */
static const char *arena_join(struct arena *ar, const struct item *it,
			      int a, int b, size_t *len)
{
	size_t n = 0;
	char *s, *p;
	int i;

	for (i = a; i < b; i++)
		n += it->v[i]->len + (i > a && it->v[i]->space_before);
	s = p = arena_alloc_bytes(ar, n + 1);
	for (i = a; i < b; i++) {
		if (i > a && it->v[i]->space_before)
			*p++ = ' ';
		copy_bytes(p, it->v[i]->text, it->v[i]->len);
		p += it->v[i]->len;
	}
	*p = '\0';
	*len = n;
	return s;
}

/*
 * Scratch string buffers are recycled through a one-entry pool: building
 * the strings of 10,000 declarations would otherwise be dominated by
 * malloc/free.
 */
static struct strbuf sb_pool;

static struct strbuf sb_take(void)
{
	struct strbuf sb = sb_pool;

	memset(&sb_pool, 0, sizeof(sb_pool));
	sb.len = 0;
	return sb;
}

static void sb_give(struct strbuf *sb)
{
	if (!sb_pool.buf)
		sb_pool = *sb;
	else
		sb_free(sb);
	memset(sb, 0, sizeof(*sb));
}

/* copy the buffer into the arena and empty it (keeping its memory) */
static const char *arena_sb(struct arena *a, struct strbuf *sb)
{
	const char *s = arena_strndup(a, sb->buf ? sb->buf : "", sb->len);

	sb->len = 0;
	return s;
}

/* append a type token in the normalised "char *const *" form */
static void type_add(struct strbuf *sb, const char *s)
{
	bool star = !strcmp(s, "*");
	bool prev_star = sb->len && sb->buf[sb->len - 1] == '*';

	if (sb->len && (star ? !prev_star : !prev_star))
		sb_add(sb, " ", 1);
	sb_puts(sb, s);
}

/*
 * Return type: every specifier token before the name except the marker,
 * storage, attributes and attribute-like macros.  Top-level qualifiers
 * are dropped (they mean nothing on a return type and would make the
 * "ret" field unassignable).
 */
/* state of the return-type scan over the tokens before the name */
struct ret_scan {
	struct item *it;
	int name;		/* index of the function name */
	int mi;			/* index of the marker */
	bool *keep;		/* tokens that are part of the type */
	bool has_kw;		/* a type keyword or tag: no typedef name */
	bool has_typedef;
	bool after_star;
	int last_star;
	int ntype;		/* type-forming tokens seen */
};

/* does the return type hold a keyword or tag (so no typedef name)? */
static bool ret_has_keyword(const struct item *it, int name)
{
	int i;

	for (i = 0; i < name; i++)
		if (it->v[i]->kind == TK_IDENT &&
		    kw_is(it->v[i], KW_TYPE | KW_TYPEOF | KW_TAG))
			return true;
	return false;
}

/* "typeof ( ... )" or "struct TAG" at @i: kept; index after it or -1 */
static int ret_group(struct ret_scan *rs, int i)
{
	struct item *it = rs->it;
	int e;

	if (kw_is(it->v[i], KW_TAG)) {
		if (!is_ident(it, i + 1) || i + 1 >= rs->name || i + 1 == rs->mi) {
			diag_error(&tok_at(it, i + 1)->pos,
				   "expected a tag name after '%s'",
				   it->v[i]->text);
			return -1;
		}
		e = i + 2;
	} else {
		e = skip_group(it, i);
		if (e < 0)
			return -1;
	}
	for (; i < e; i++)
		rs->keep[i] = true;
	rs->ntype++;
	return e;
}

/* an identifier of the return type at @i; index after it or -1 */
static int ret_ident(struct ret_scan *rs, int i)
{
	struct item *it = rs->it;
	struct token *t = it->v[i];

	if (kw_is(t, KW_ATTR_KEYWORD) ||
	    (is_ch(it, i + 1, '(') && !kw_is(t, KW_TYPEOF)))
		return skip_group(it, i);	/* attribute (macro) with args */
	if (kw_is(t, KW_TYPEOF | KW_TAG))
		return ret_group(rs, i);
	if (kw_is(t, KW_FORBIDDEN)) {
		diag_error(&t->pos, "'%s' is not allowed on a marked declaration (the wrapper is generated with external linkage)",
			   t->text);
		return -1;
	}
	if (kw_is(t, KW_EXTERN) || is_attr_macro(it->m, t))
		return i + 1;
	if (kw_is(t, KW_TYPE)) {
		rs->keep[i] = true;
		rs->ntype++;
	} else if (kw_is(t, KW_QUAL | KW_ANNOT)) {
		rs->keep[i] = true;
	} else if (!rs->has_kw && !rs->has_typedef && !rs->after_star) {
		/* an unknown identifier: the typedef name (or else a macro) */
		rs->keep[i] = true;
		rs->has_typedef = true;
		rs->ntype++;
	}
	return i + 1;
}

/* one token of the return type at @i; index after it or -1 */
static int ret_token(struct ret_scan *rs, int i)
{
	const struct token *t = rs->it->v[i];

	if (i == rs->mi)
		return i + 1;
	if (t->kind == TK_PUNCT && !strcmp(t->text, "*")) {
		rs->keep[i] = true;
		rs->after_star = true;
		rs->last_star = i;
		return i + 1;
	}
	if (t->kind != TK_IDENT) {
		diag_error(&t->pos, "unexpected '%s' in the return type", t->text);
		return -1;
	}
	return ret_ident(rs, i);
}

/* the kept tokens, normalised, without top-level qualifiers */
static void ret_join(const struct ret_scan *rs, struct strbuf *sb)
{
	int i;

	for (i = 0; i < rs->name; i++) {
		struct token *t = rs->it->v[i];

		if (!rs->keep[i])
			continue;
		if (kw_is(t, KW_QUAL) && i > rs->last_star &&
		    (rs->last_star >= 0 || !kw_is(t, KW_TYPEOF)))
			continue;	/* top-level qualifier */
		type_add(sb, t->text);
	}
}

static int parse_return_type(struct item *it, int name, int mi, struct decl *d)
{
	struct ret_scan rs = { it, name, mi, NULL, false, false, false, -1, 0 };
	bool keep[32];		/* enough for nearly every return type */
	struct strbuf sb;
	int i, ret = -1;

	if (name < (int)ARRAY_SIZE(keep)) {
		memset(keep, 0, sizeof(keep));
		rs.keep = keep;
	} else {
		rs.keep = calloc((size_t)name + 1, sizeof(*rs.keep));
		if (!rs.keep)
			diag_fatal("out of memory");
	}
	rs.has_kw = ret_has_keyword(it, name);
	for (i = 0; i < name && i >= 0; )
		i = ret_token(&rs, i);
	if (i < 0)
		goto out;
	if (!rs.ntype) {
		diag_error(&it->v[name]->pos,
			   "missing return type before '%s'", it->v[name]->text);
		goto out;
	}
	sb = sb_take();
	ret_join(&rs, &sb);
	d->ret = arena_sb(decl_arena(it), &sb);
	d->ret_len = (unsigned int)strlen(d->ret);
	d->ret_ptr = d->ret_len && d->ret[d->ret_len - 1] == '*';
	d->is_void = !strcmp(d->ret, "void");
	sb_give(&sb);
	ret = 0;
out:
	if (rs.keep != keep)
		free(rs.keep);
	return ret;
}

/*
 * Declarator: pointers, then NAME or "( declarator )", then suffixes.
 * Records the name and the first suffix that directly follows it.
 */
/* pointers, qualifiers and attributes before a declarator; -1 on error */
static int declarator_prefix(const struct item *it, int i, int b)
{
	while (i < b) {
		struct token *t = it->v[i];
		bool macro = is_attr_macro(it->m, t);

		if (macro && t->kind == TK_IDENT && is_ch(it, i + 1, '('))
			i = skip_group(it, i);	/* attribute macro (args) */
		else if (macro || tok_ch(t, '*') ||
			 kw_is(t, KW_QUAL | KW_ANNOT))
			i++;
		else if (kw_is(t, KW_ATTR_KEYWORD))
			i = skip_group(it, i);
		else
			break;
		if (i < 0)
			return -1;
	}
	return i;
}

/* skip "[...]" and "(...)" suffixes from @i (before @b); -1 on error */
static int skip_suffixes(const struct item *it, int i, int b)
{
	while (i < b && (is_ch(it, i, '[') || is_ch(it, i, '('))) {
		int close = match_close(it, i);

		if (close < 0 || close >= b) {
			diag_error(&it->v[i]->pos, "unbalanced '%s'", it->v[i]->text);
			return -1;
		}
		i = close + 1;
	}
	return i;
}

/* "NAME" and the suffix right after it (recorded in *@suf, *@suf_end) */
static int declarator_name(const struct item *it, int i, int b, int *name,
			   int *suf, int *suf_end)
{
	*name = i++;
	if (i < b && (is_ch(it, i, '[') || is_ch(it, i, '('))) {
		*suf = i;
		*suf_end = match_close(it, i);
		if (*suf_end < 0 || *suf_end >= b) {
			diag_error(&it->v[i]->pos, "unbalanced '%s'",
				   it->v[i]->text);
			return -1;
		}
		*suf_end += 1;
	}
	return i;
}

static int declarator(const struct item *it, int i, int b, int *name,
		      int *suf, int *suf_end, int depth)
{
	int close, e;

	if (depth > 64) {
		diag_error(&tok_at(it, i)->pos, "declarator nested too deeply");
		return -1;
	}
	i = declarator_prefix(it, i, b);
	if (i < 0)
		return -1;
	if (i < b && is_ch(it, i, '(')) {
		close = match_close(it, i);
		if (close < 0 || close >= b) {
			diag_error(&it->v[i]->pos, "unbalanced '('");
			return -1;
		}
		e = declarator(it, i + 1, close, name, suf, suf_end, depth + 1);
		if (e < 0)
			return -1;
		if (e != close) {
			diag_error(&it->v[e]->pos, "unexpected '%s' in a parameter",
				   it->v[e]->text);
			return -1;
		}
		i = close + 1;
	} else if (i < b && is_ident(it, i) &&
		   !kw_is(it->v[i], KW_TYPE)) {
		i = declarator_name(it, i, b, name, suf, suf_end);
		if (i < 0)
			return -1;
	}
	return skip_suffixes(it, i, b);
}

/*
 * The parameter declaration as a struct field: arrays/functions decayed.
 * Its length goes to *@len.
 */
static const char *field_text(const struct item *it, int a, int b, int name,
			      int suf, int suf_end, unsigned int *len)
{
	struct strbuf sb = sb_take();
	const char *res;
	bool more = suf >= 0 && suf_end < b &&
		    (is_ch(it, suf_end, '[') || is_ch(it, suf_end, '('));
	int i;

	if (suf < 0)
		goto plain;
	join_range(&sb, it, a, name);
	if (sb.len && sb.buf[sb.len - 1] != '(' && sb.buf[sb.len - 1] != '*')
		sb_add(&sb, " ", 1);
	if (is_ch(it, suf, '(')) {
		sb_printf(&sb, "(*%s)", it->v[name]->text);
		join_range(&sb, it, suf, b);
		goto done;
	}
	if (more)
		sb_add(&sb, "(", 1);
	sb_add(&sb, "*", 1);
	for (i = suf + 1; i < suf_end - 1; i++)
		if (kw_is(it->v[i], KW_QUAL))
			sb_printf(&sb, "%s ", it->v[i]->text);
	sb_puts(&sb, it->v[name]->text);
	if (more)
		sb_add(&sb, ")", 1);
	join_range(&sb, it, suf_end, b);
	goto done;
plain:
	join_range(&sb, it, a, b);
done:
	res = arena_sb(decl_arena(it), &sb);
	*len = (unsigned int)strlen(res);	/* up to a NUL byte, if any */
	sb_give(&sb);
	return res;
}

static int check_param_name(const struct item *it, const struct param *p,
			    const struct srcpos *pos)
{
	static const char *const cowrap_fields[] = {
		"poll_state", "call", "ret", NULL
	};
	static const char *const qemu_fields[] = {
		"poll_state", "ret", "s", "co", NULL
	};

	if (in_list(it->m->flavor == FLAVOR_QEMU ? qemu_fields : cowrap_fields,
		    p->name)) {
		diag_error(pos, "parameter name '%s' clashes with a name used by the generated code",
			   p->name);
		return -1;
	}
	if ((p->name[0] == 'c' && !strncmp(p->name, "cowrap_", 7)) ||
	    (p->name[0] == '_' && !strncmp(p->name, "__cowrap", 8))) {
		diag_error(pos, "parameter name '%s' uses the prefix reserved for generated code",
			   p->name);
		return -1;
	}
	return 0;
}

/*
 * The specifiers of a parameter from @a: attributes, typeof, tags, type
 * keywords, qualifiers and one typedef name.  Returns the index of the
 * declarator, or -1; *@has_type tells whether a type was seen.
 */
static int param_specifiers(struct item *it, int a, int b, bool *has_type)
{
	int i = a;

	*has_type = false;
	while (i < b && it->v[i]->kind == TK_IDENT) {
		struct token *t = it->v[i];

		if (kw_is(t, KW_ATTR_KEYWORD) ||
		    (is_attr_macro(it->m, t) && is_ch(it, i + 1, '('))) {
			i = skip_group(it, i);
		} else if (kw_is(t, KW_TYPEOF)) {
			i = skip_group(it, i);
			*has_type = true;
		} else if (kw_is(t, KW_TAG)) {
			if (!is_ident(it, i + 1) || i + 1 >= b) {
				diag_error(&tok_at(it, i + 1)->pos,
					   "expected a tag name after '%s'",
					   t->text);
				return -1;
			}
			i += 2;
			*has_type = true;
		} else if (kw_is(t, KW_TYPE)) {
			i++;
			*has_type = true;
		} else if (kw_is(t, KW_QUAL | KW_ANNOT) ||
			   is_attr_macro(it->m, t) || kw_is(t, KW_REGISTER)) {
			i++;
		} else if (!*has_type) {
			i++;
			*has_type = true;	/* typedef name */
		} else {
			break;
		}
		if (i < 0)
			return -1;
	}
	if (i < b && !is_ident(it, i) && !is_ch(it, i, '*') &&
	    !is_ch(it, i, '(') && !is_ch(it, i, '[')) {
		diag_error(&it->v[i]->pos, "unexpected '%s' in a parameter",
			   it->v[i]->text);
		return -1;
	}
	return i;
}

/* attributes after the declarator from @e; index after them or -1 */
static int param_post_attrs(struct item *it, int e, int b)
{
	while (e < b && is_ident(it, e) &&
	       (kw_is(it->v[e], KW_ATTR_KEYWORD) ||
		is_attr_macro(it->m, it->v[e]))) {
		if (is_ch(it, e + 1, '(')) {
			e = skip_group(it, e);
			if (e < 0)
				return -1;
		} else {
			e++;
		}
	}
	if (e < b) {
		diag_error(&it->v[e]->pos, "unexpected '%s' in a parameter",
			   it->v[e]->text);
		return -1;
	}
	return e;
}

/*
 * Record name, text, (first parameter's) type and field of a parameter.
 * When the name ends the parameter, as it mostly does, @name points into
 * @text instead of being a copy.
 */
static void param_store(struct item *it, int a, int b, struct param *p,
			const int decl[3], bool first)
{
	int name = decl[0], i;
	struct strbuf sb;
	size_t n;

	p->name_len = (unsigned int)it->v[name]->len;
	p->text = arena_join(decl_arena(it), it, a, b, &n);
	/* a token may hold a NUL byte: the emitters stop there, as before */
	p->text_len = (unsigned int)strlen(p->text);
	if (name == b - 1)
		p->name = p->text + n - p->name_len;
	else
		p->name = arena_strndup(decl_arena(it), it->v[name]->text,
					it->v[name]->len);
	/* only the first parameter's type is ever compared (--ctx) */
	if (first) {
		sb = sb_take();
		for (i = a; i < b; i++)
			if (i != name)
				type_add(&sb, it->v[i]->text);
		p->type = arena_sb(decl_arena(it), &sb);
		sb_give(&sb);
	}
	p->field = p->text;
	p->field_len = p->text_len;
	if (decl[1] >= 0)
		p->field = field_text(it, a, b, name, decl[1], decl[2],
				      &p->field_len);
}

/**
 * parse_param() - parse one parameter declaration
 * @it: the item that holds it
 * @a: index of its first token
 * @b: index past its last token
 * @p: gets its text, field, name (and for the first parameter its type),
 *     allocated in item_arena(@it)
 * @first: it is the first parameter of the list
 * @name: gets the index of its name's token
 *
 * Return: 0, or -1 after reporting an error.
 */
int parse_param(struct item *it, int a, int b, struct param *p, bool first,
		int *name)
{
	int decl[3] = { -1, -1, -1 };	/* name, suffix, suffix end */
	bool has_type;
	int i;

	i = param_specifiers(it, a, b, &has_type);
	if (i < 0)
		return -1;
	i = declarator(it, i, b, &decl[0], &decl[1], &decl[2], 0);
	if (i < 0 || param_post_attrs(it, i, b) < 0)
		return -1;
	if (decl[0] < 0) {
		diag_error(&it->v[a]->pos, "unnamed parameter: every parameter of a marked declaration needs a name");
		return -1;
	}
	if (!has_type) {
		diag_error(&it->v[a]->pos, "missing type for parameter '%s'",
			   it->v[decl[0]]->text);
		return -1;
	}
	param_store(it, a, b, p, decl, first);
	*name = decl[0];
	return check_param_name(it, p, &it->v[decl[0]]->pos);
}

/* does parameter @k of @d repeat the name of an earlier one? */
static bool param_repeated(const struct decl *d, int k)
{
	const struct param *p = &d->params[k];
	int j;

	for (j = 0; j < k; j++)
		if (d->params[j].name_len == p->name_len &&
		    !strcmp(d->params[j].name, p->name))
			return true;
	return false;
}

static bool is_knr_list(const struct item *it, int open, int close)
{
	int i;

	for (i = open + 1; i < close; i += 2) {
		if (!is_ident(it, i) || kw_is(it->v[i], KW_TYPE | KW_QUAL))
			return false;
		if (i + 1 < close && !is_ch(it, i + 1, ','))
			return false;
	}
	return true;
}

/* parameter lists longer than this find repeated names with a hash set */
#define PARAMS_PAIRWISE	16

/*
 * Is the name of parameter @k new?  Short lists compare pairwise; long
 * ones go through @seen (so a list of n parameters costs O(n)).
 */
static bool param_name_new(const struct decl *d, int k, bool hashed,
			   struct name_set *seen)
{
	if (hashed)
		return name_set_add(seen, d->params[k].name);
	return !param_repeated(d, k);
}

/*
 * A repeated parameter name is reported only once the whole list parsed,
 * so that a syntax error in a later parameter is reported first.
 */
static int parse_params(struct item *it, int open, int close, struct decl *d)
{
	const struct srcpos *dup_pos = NULL;
	struct name_set seen = { 0 };
	int i, a, n = 0, dup = -1, ret = -1;
	bool hashed;

	if (close == open + 1) {
		diag_error(&it->v[close]->pos, "'()' is not a prototype: write '(void)' for a function without parameters");
		return -1;
	}
	if (close == open + 2 && tok_is(it->v[open + 1], "void"))
		return 0;
	if (close == open + 2 && it->v[open + 1]->kind == TK_PARAMS)
		return plist_parse(it, d);
	if (is_knr_list(it, open, close)) {
		diag_error(&it->v[open + 1]->pos, "K&R-style parameter list: parameters need types");
		return -1;
	}
	for (i = open + 1; i <= close; i++)
		if (is_ch(it, i, ','))
			n++;
	hashed = n + 1 > PARAMS_PAIRWISE;
	if (hashed)
		name_set_reserve(&seen, (size_t)n + 1);
	d->params = arena_alloc(decl_arena(it), sizeof(*d->params) * (size_t)(n + 1));
	for (a = i = open + 1; i <= close; i++) {
		int name;

		if (is_ch(it, i, '(') || is_ch(it, i, '[') ||
		    is_ch(it, i, '{')) {
			/* balanced: the whole list was matched before */
			i = match_close(it, i);
			continue;
		}
		if (is_punct(it, i, "...")) {
			diag_error(&it->v[i]->pos, "variadic functions cannot be wrapped");
			goto out;
		}
		if (i < close && !is_ch(it, i, ','))
			continue;
		if (i == a) {
			diag_error(&it->v[i]->pos, "expected a parameter declaration before '%s'",
				   it->v[i]->text);
			goto out;
		}
		if (parse_param(it, a, i, &d->params[d->nparams],
				d->nparams == 0, &name) < 0)
			goto out;
		if (dup < 0 && !param_name_new(d, d->nparams, hashed, &seen)) {
			dup = d->nparams;
			dup_pos = &it->v[name]->pos;
		}
		d->nparams++;
		a = i + 1;
	}
	if (dup >= 0) {
		diag_error(dup_pos, "duplicate parameter '%s'",
			   d->params[dup].name);
		goto out;
	}
	ret = 0;
out:
	name_set_free(&seen);
	return ret;
}

/* scan for the marker and diagnose unknown variants and duplicates */
static int find_marker(struct item *it, int *mi, enum marker *mk)
{
	bool after_group = false;
	int i, depth = 0;

	*mi = -1;
	for (i = 0; i < it->n; i++) {
		const struct token *t = it->v[i];
		int k, br = tok_bracket(t);

		depth += br;
		if (br < 0 && depth == 0 && *mi >= 0)
			after_group = true;
		if (depth || t->kind != TK_IDENT || !is_marker_like(t->text))
			continue;
		k = marker_lookup(it->m, t->text);
		if (k < 0 && !strncmp(t->text, "no_co_wrapper", 13) &&
		    strstr(t->text + 13, "mixed")) {
			diag_error(&t->pos, "'%s': a no_co_wrapper cannot be mixed",
				   t->text);
			return -1;
		}
		if (k < 0) {
			diag_error(&t->pos, "unknown marker variant '%s'", t->text);
			return -1;
		}
		if (*mi >= 0 && after_group) {
			diag_error(&t->pos, "the marker must come before the function name");
			return -1;
		}
		if (*mi >= 0) {
			if (marker_is_no_co(*mk) != marker_is_no_co(k) &&
			    (marker_is_mixed(*mk) || marker_is_mixed(k)))
				diag_error(&t->pos, "'%s': a no_co_wrapper cannot be mixed",
					   t->text);
			else
				diag_error(&t->pos, "more than one marker on a declaration");
			return -1;
		}
		*mi = i;
		*mk = k;
	}
	return 0;
}

/**
 * tok_is_name_candidate() - may the identifier @t, before a '(', be the name?
 * @m: model (its attribute macros)
 * @t: the token
 *
 * Return: false for what takes a parenthesised argument and is not a
 * function name: attribute keywords, typeof, attribute macros.
 */
bool tok_is_name_candidate(const struct model *m, struct token *t)
{
	return t->kind == TK_IDENT &&
	       !kw_is(t, KW_ATTR_KEYWORD | KW_TYPEOF) && !is_attr_macro(m, t);
}

/**
 * tok_is_type_word() - is @t a type keyword, a qualifier or struct/union/enum?
 * @t: the token
 *
 * Return: true if it is (what makes looks_like_params() decide).
 */
bool tok_is_type_word(struct token *t)
{
	return t->kind == TK_IDENT && kw_is(t, KW_TYPE | KW_QUAL | KW_TAG);
}

static bool is_name_candidate(const struct item *it, int i)
{
	return is_ident(it, i) && is_ch(it, i + 1, '(') &&
	       tok_is_name_candidate(it->m, it->v[i]);
}

/* does the group (open, close) hold declarations rather than macro arguments? */
static bool looks_like_params(const struct item *it, int open, int close)
{
	int i, seg = 0;

	if (close == open + 1)
		return true;
	/* items.c spills only a list that looks like one */
	if (it->v[open + 1]->kind == TK_PARAMS)
		return true;
	for (i = open + 1; i < close; i++) {
		if (is_ch(it, i, ',')) {
			seg = 0;
			continue;
		}
		if (i < it->n && tok_is_type_word(it->v[i]))
			return true;
		if (++seg >= 2)
			return true;
	}
	return false;
}

static int parse_post_attrs(struct item *it, int i)
{
	while (i < it->n) {
		struct token *t = it->v[i];

		if (t->kind == TK_IDENT && marker_lookup(it->m, t->text) >= 0) {
			diag_error(&t->pos, "the marker must come before the function name");
			return -1;
		}
		if (t->kind != TK_IDENT || kw_is(t, KW_TYPE)) {
			diag_error(&t->pos, "expected ';' after the declaration of a marked function, not '%s'",
				   t->text);
			return -1;
		}
		if (is_ch(it, i + 1, '(')) {
			i = skip_group(it, i);
			if (i < 0)
				return -1;
		} else {
			i++;
		}
	}
	return 0;
}

/*
 * Index of the function name (the identifier before the parameter list)
 * after the marker at @mi, or -1 after an error.  *@close gets the index
 * of the ')' that ends the parameter list (-1: unbalanced).
 */
static int find_name(struct item *it, int mi, int *close)
{
	int i, name = -1;

	for (i = 0; i < it->n; i++) {
		int e;

		if (is_ch(it, i, '(') && (i == 0 || !is_ident(it, i - 1)))
			goto bad_paren;
		if (!is_ident(it, i) || !is_ch(it, i + 1, '('))
			continue;
		if (i == mi) {
			i++;
			goto bad_paren;
		}
		e = match_close(it, i + 1);
		if (i > mi && is_name_candidate(it, i)) {
			/* a macro with arguments may stand before the name */
			if (name < 0) {
				name = i;
				*close = e;
			}
			if (e < 0 || looks_like_params(it, i + 1, e)) {
				*close = e;
				return i;
			}
		}
		if (e < 0)
			break;
		i = e;
	}
	if (name < 0) {
		const struct token *t = tok_at(it, it->n);

		diag_error(&t->pos, "cannot parse the declaration: expected a function name and a parameter list before '%s'",
			   t->kind == TK_EOF ? "end of file" : t->text);
	}
	return name;
bad_paren:
	diag_error(&it->v[i]->pos, "cannot parse the declaration: expected the function name followed by its parameter list");
	return -1;
}

static struct decl *new_decl(struct item *it, int mi, enum marker mk,
			     int name)
{
	struct decl *d = arena_alloc(decl_arena(it), sizeof(*d));

	d->marker = mk;
	d->marker_pos = it->v[mi]->pos;
	d->name = arena_strndup(decl_arena(it), it->v[name]->text,
				it->v[name]->len);
	d->name_len = (unsigned int)it->v[name]->len;
	d->name_pos = it->v[name]->pos;
	d->cond = it->cond;
	d->file_index = it->file_index;
	return d;
}

static void model_append(struct model *m, struct decl *d)
{
	if (m->stream) {
		m->stream(m, d);
		return;
	}
	plist_keep(d, &m->arena);	/* it outlives the input */
	if (m->last)
		m->last->next = d;
	else
		m->first = d;
	m->last = d;
	m->ndecls++;
}

/**
 * parse_decl() - parse a marked item and append it to the model
 * @it: the item (its tokens hold a marker)
 *
 * Return: 0 (also when the marker turned out not to be in specifier
 * position), or -1 after reporting an error.
 */
int parse_decl(struct item *it)
{
	enum marker mk = MK_CO_WRAPPER;
	struct decl *d;
	int mi, name, close;

	if (find_marker(it, &mi, &mk) < 0)
		return -1;
	if (mi < 0)
		return 0;
	name = find_name(it, mi, &close);
	if (name < 0)
		return -1;
	if (close < 0) {
		diag_error(&it->v[name + 1]->pos, "unbalanced '('");
		return -1;
	}
	d = new_decl(it, mi, mk, name);
	if (parse_return_type(it, name, mi, d) < 0 ||
	    parse_params(it, name + 1, close, d) < 0 ||
	    parse_post_attrs(it, close + 1) < 0)
		return -1;
	if (it->end->kind == TK_EOF) {
		diag_error(&it->end->pos, "expected ';' at the end of the declaration of '%s'",
			   d->name);
		return -1;
	}
	model_append(it->m, d);
	return 0;
}

