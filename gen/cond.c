// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-gen: preprocessor conditional tracking.
 *
 * Every #if/#ifdef/#ifndef opens a group, every #elif/#else a new branch
 * of it.  A branch remembers its directive and the branch before it, so
 * that the emitter can reproduce exactly the same conditions around
 * generated code:
 * a declaration in the #elif B branch of "#if A" is emitted inside
 * "#if A / #elif B / ... / #endif".  The include guard of a header
 * (#ifndef X / #define X ... #endif at the very start and end) is
 * recognised and not reproduced.
 */
#include <stddef.h>
#include <string.h>

#include "cowrap-gen.h"

/* the words a branch can open with, COND_WORD of &struct cond.flags */
enum cond_word {
	W_IF, W_IFDEF, W_IFNDEF,	/* open a group */
	W_ELIF, W_ELSE, W_ELIFDEF, W_ELIFNDEF,
};

static const char *const words[] = {
	[W_IF] = "if", [W_IFDEF] = "ifdef", [W_IFNDEF] = "ifndef",
	[W_ELIF] = "elif", [W_ELSE] = "else", [W_ELIFDEF] = "elifdef",
	[W_ELIFNDEF] = "elifndef",
};

/* the length of the directive word @s opens with: "if" in "if!A" */
static size_t word_len(const char *s)
{
	size_t n = 0;

	while (ident_byte((unsigned char)s[n]))
		n++;
	return n;
}

static bool word_is(const char *s, const char *w)
{
	size_t n = word_len(s);

	return n == strlen(w) && !memcmp(s, w, n);
}

/* the index in words[] of the @n bytes at @w, or -1 */
static int word_index(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (strlen(words[i]) == n && !memcmp(w, words[i], n))
			return (int)i;
	return -1;
}

/* the index in words[] of the word @s opens with, or -1 */
static int branch_word(const char *s)
{
	return word_index(s, word_len(s));
}

/**
 * cond_word() - is a directive's name one of the conditionals'?
 * @w: the name
 * @n: its length
 *
 * Return: true for if, ifdef, ifndef, elif, else, elifdef, elifndef and
 * endif.
 */
bool cond_word(const char *w, size_t n)
{
	return word_index(w, n) >= 0 || (n == 5 && !memcmp(w, "endif", 5));
}

static const char *skip_word(const char *s)
{
	s += word_len(s);
	while (*s == ' ')
		s++;
	return s;
}

static struct cond_more *more_of(const struct cond *c)
{
	return (struct cond_more *)c - 1;
}

/**
 * cond_prev() - the branch before @c in its group
 * @c: a branch
 *
 * Return: it, or NULL for the group's first branch.
 */
const struct cond *cond_prev(const struct cond *c)
{
	return c->flags & COND_LATER ? more_of(c)->prev : NULL;
}

/**
 * cond_group() - the first branch of @c's group, which stands for the group
 * @c: a branch
 *
 * Return: the branch of the group's #if, #ifdef or #ifndef.
 */
const struct cond *cond_group(const struct cond *c)
{
	return c->flags & COND_LATER ? more_of(c)->group : c;
}

/* cond_group() of a branch being tracked, whose flags may change */
static struct cond *group_of(struct cond *c)
{
	return (struct cond *)cond_group(c);
}

/**
 * cond_index() - the position of @c in its group
 * @c: a branch
 *
 * Return: 0 for the opening directive, 1 for the next branch, and so on.
 */
unsigned int cond_index(const struct cond *c)
{
	return c->flags & COND_LATER ? more_of(c)->index : 0;
}

/**
 * cond_text() - append the directive that opened @c, without its '#'
 * @out: where it goes
 * @c: a branch
 */
void cond_text(struct strbuf *out, const struct cond *c)
{
	sb_puts(out, words[c->flags & COND_WORD]);
	if (c->flags & COND_SPACE)
		sb_lit(out, " ");
	sb_puts(out, c->text);
}

/*
 * A branch of @group (NULL: it opens a new group) opened by @dir, whose
 * word is words[@word], after @prev.
 */
static struct cond *new_branch(struct arena *a, struct cond *parent,
			       struct cond *group, const struct cond *prev,
			       const struct token *dir, int word)
{
	const char *s = dir->text + strlen(words[word]);
	size_t n = dir->len - (size_t)(s - dir->text);
	size_t more = group ? sizeof(struct cond_more) : 0;
	unsigned int flags = (unsigned int)word;
	struct cond *b;
	char *p;

	if (n && *s == ' ') {
		s++;
		n--;
		flags |= COND_SPACE;
	}
	p = arena_alloc_aligned(a, more + offsetof(struct cond, text) + n + 1,
				_Alignof(struct cond));
	b = (struct cond *)(p + more);
	if (group) {
		struct cond_more *m = more_of(b);

		m->prev = prev;
		m->group = group;
		m->index = cond_index(prev) + 1;
		flags |= COND_LATER;
	}
	b->parent = parent;
	b->flags = flags;
	b->line = dir->pos.line;
	b->col = dir->pos.col;
	memcpy(b->text, s, n);
	b->text[n] = '\0';
	return b;
}

/* the macro an include guard tests: "ifndef X", "if !defined(X)" */
static const char *guard_macro(struct arena *a, const char *text)
{
	const char *s = text, *e;

	if (word_is(s, "ifndef")) {
		s = skip_word(s);
	} else if (word_is(s, "if")) {
		s = skip_word(s);
		if (*s++ != '!')
			return NULL;
		while (*s == ' ')
			s++;
		if (!word_is(s, "defined"))
			return NULL;
		s += strlen("defined");
		while (*s == ' ' || *s == '(')
			s++;
	} else {
		return NULL;
	}
	for (e = s; *e && *e != ' ' && *e != ')'; e++)
		;
	if (e == s)
		return NULL;
	return arena_strndup(a, s, (size_t)(e - s));
}

static void guard_track(struct cond_state *cs, const struct token *dir)
{
	if (cs->guard_wait_define) {
		const char *s = dir ? dir->text : NULL;
		size_t n = strlen(cs->guard_macro);

		cs->guard_wait_define = false;
		if (!s || !word_is(s, "define") ||
		    strncmp(skip_word(s), cs->guard_macro, n) != 0 ||
		    (skip_word(s)[n] && skip_word(s)[n] != ' ')) {
			cs->guard_candidate->flags &= ~COND_GUARD;
			cs->guard_candidate = NULL;
		}
		return;
	}
	if (cs->guard_candidate && !cs->guard_open)
		cs->after_guard = true;
}

/**
 * cond_other_token() - note a token that is not a directive
 * @cs: tracker state
 *
 * Needed to tell an include guard (nothing outside it) from an ordinary
 * #ifndef group.
 */
void cond_other_token(struct cond_state *cs)
{
	guard_track(cs, NULL);
	cs->seen_code = true;
}

/**
 * cond_here() - where the next item is among the conditionals
 * @cs: tracker state
 *
 * Return: the innermost open branch, the include guard candidate around
 * it (if any) and the depth.
 */
struct cond_at cond_here(const struct cond_state *cs)
{
	struct cond_at at = { cs->cur, NULL, cs->depth };

	if (cs->cur && cs->guard_open)
		at.guard = cs->guard_candidate;
	return at;
}

static void open_group(struct arena *a, struct cond_state *cs,
		       const struct token *dir, int word, bool first)
{
	cs->cur = new_branch(a, cs->cur, NULL, NULL, dir, word);
	cs->depth++;
	if (first) {
		cs->guard_macro = guard_macro(a, dir->text);
		if (cs->guard_macro) {
			cs->guard_candidate = cs->cur;
			cs->cur->flags |= COND_GUARD;	/* until proven otherwise */
			cs->guard_open = true;
			cs->guard_wait_define = true;
		}
	}
}

/**
 * cond_directive() - update the state for one preprocessor line
 * @a: arena for the branch records
 * @cs: tracker state
 * @dir: the TK_DIRECTIVE token
 *
 * Return: what the line did (enum cond_kind: COND_IF opened a group,
 * COND_ELSE a branch, COND_ENDIF closed one, COND_OTHER none of these),
 * or -1 after reporting a mismatched #elif/#else/#endif.
 */
int cond_directive(struct arena *a, struct cond_state *cs,
		   const struct token *dir)
{
	const char *s = dir->text;
	bool first = !cs->seen_code && !cs->guard_candidate && !cs->cur;
	int word = branch_word(s);
	struct cond *g;

	guard_track(cs, dir);
	cs->seen_code = true;
	if (word >= 0 && word <= W_IFNDEF) {
		open_group(a, cs, dir, word, first);
		return COND_IF;
	}
	if (word < 0 && !word_is(s, "endif"))
		return COND_OTHER;
	if (!cs->cur) {
		diag_error(&dir->pos, "#%.*s without #if", (int)word_len(s), s);
		return -1;
	}
	g = group_of(cs->cur);
	if (word < 0) {				/* endif */
		if (g == cs->guard_candidate)
			cs->guard_open = false;
		cs->cur = cs->cur->parent;
		cs->depth--;
		return COND_ENDIF;
	}
	if (g->flags & COND_ELSE_SEEN) {
		diag_error(&dir->pos, "#%.*s after #else", (int)word_len(s), s);
		return -1;
	}
	if (word == W_ELSE)
		g->flags |= COND_ELSE_SEEN;
	cs->cur = new_branch(a, cs->cur->parent, g, cs->cur, dir, word);
	return COND_ELSE;
}

/**
 * cond_finish() - end of file: check balance, decide about the include guard
 * @cs: tracker state
 * @eof: position of the end of the file (its file name is used; the
 *       message is at the unterminated directive)
 *
 * Return: 0, or -1 after reporting an unterminated #if.
 */
int cond_finish(struct cond_state *cs, const struct srcpos *eof)
{
	int ret = 0;

	while (cs->cur) {
		const struct cond *g = group_of(cs->cur);
		struct srcpos pos = { eof->file, g->line, g->col };

		diag_error(&pos, "unterminated #%s", words[g->flags & COND_WORD]);
		ret = -1;
		cs->cur = cs->cur->parent;
		cs->depth--;
	}
	if (cs->guard_candidate && (cs->after_guard || cs->guard_wait_define))
		cs->guard_candidate->flags &= ~COND_GUARD;
	return ret;
}
