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
#include <string.h>

#include "cowrap-gen.h"

struct cond_group_priv {
	struct cond_group pub;
	struct srcpos pos;
	const char *first;	/* the opening directive, for messages */
	bool seen_else;
};

static size_t word_len(const char *s)
{
	size_t n = 0;

	while (s[n] && s[n] != ' ' && s[n] != '(')
		n++;
	return n;
}

static bool word_is(const char *s, const char *w)
{
	size_t n = word_len(s);

	return n == strlen(w) && !memcmp(s, w, n);
}

static const char *skip_word(const char *s)
{
	s += word_len(s);
	while (*s == ' ')
		s++;
	return s;
}

/* a branch of @g opened by @line, after @prev (NULL: the first one) */
static struct cond *new_branch(struct arena *a, struct cond *parent,
			       struct cond_group *g, struct cond *prev,
			       const char *line)
{
	struct cond *b = arena_alloc(a, sizeof(*b));

	b->parent = parent;
	b->prev = prev;
	b->line = line;
	b->index = prev ? prev->index + 1 : 0;
	b->depth = parent ? parent->depth + 1 : 1;
	b->group = g;
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

static void guard_track(struct arena *a, struct cond_state *cs,
			const struct token *dir)
{
	if (cs->guard_wait_define) {
		const char *s = dir ? dir->text : NULL;
		size_t n = strlen(cs->guard_macro);

		cs->guard_wait_define = false;
		if (!s || !word_is(s, "define") ||
		    strncmp(skip_word(s), cs->guard_macro, n) != 0 ||
		    (skip_word(s)[n] && skip_word(s)[n] != ' ')) {
			cs->guard_candidate->is_guard = false;
			cs->guard_candidate = NULL;
		}
		return;
	}
	(void)a;
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
	guard_track(NULL, cs, NULL);
	cs->seen_code = true;
}

static void open_group(struct arena *a, struct cond_state *cs,
		       const struct token *dir, bool first)
{
	struct cond_group_priv *g = arena_alloc(a, sizeof(*g));

	g->pos = dir->pos;
	g->pub.root = cs->cur ? cs->cur->group->root : &g->pub;
	g->first = arena_strndup(a, dir->text, dir->len);
	cs->cur = new_branch(a, cs->cur, &g->pub, NULL, g->first);
	if (first) {
		cs->guard_macro = guard_macro(a, dir->text);
		if (cs->guard_macro) {
			cs->guard_candidate = &g->pub;
			g->pub.is_guard = true;	/* until proven otherwise */
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
	struct cond_group_priv *g;

	guard_track(a, cs, dir);
	cs->seen_code = true;
	if (word_is(s, "if") || word_is(s, "ifdef") || word_is(s, "ifndef")) {
		open_group(a, cs, dir, first);
		return COND_IF;
	}
	if (!(word_is(s, "elif") || word_is(s, "else") || word_is(s, "endif") ||
	      word_is(s, "elifdef") || word_is(s, "elifndef")))
		return COND_OTHER;
	if (!cs->cur) {
		diag_error(&dir->pos, "#%.*s without #if", (int)word_len(s), s);
		return -1;
	}
	g = (struct cond_group_priv *)cs->cur->group;
	if (word_is(s, "endif")) {
		if (&g->pub == cs->guard_candidate)
			cs->guard_open = false;
		cs->cur = cs->cur->parent;
		return COND_ENDIF;
	}
	if (g->seen_else) {
		diag_error(&dir->pos, "#%.*s after #else", (int)word_len(s), s);
		return -1;
	}
	if (word_is(s, "else"))
		g->seen_else = true;
	cs->cur = new_branch(a, cs->cur->parent, &g->pub, cs->cur,
			     arena_strndup(a, dir->text, dir->len));
	return COND_ELSE;
}

/**
 * cond_finish() - end of file: check balance, decide about the include guard
 * @cs: tracker state
 * @eof: position of the end of the file (unused for the message position,
 *       which is the unterminated directive)
 *
 * Return: 0, or -1 after reporting an unterminated #if.
 */
int cond_finish(struct cond_state *cs, const struct srcpos *eof)
{
	int ret = 0;

	(void)eof;
	while (cs->cur) {
		struct cond_group_priv *g =
			(struct cond_group_priv *)cs->cur->group;
		diag_error(&g->pos, "unterminated #%.*s",
			   (int)word_len(g->first), g->first);
		ret = -1;
		cs->cur = cs->cur->parent;
	}
	if (cs->guard_candidate)
		cs->guard_candidate->is_guard = !cs->after_guard &&
						 !cs->guard_wait_define;
	return ret;
}
