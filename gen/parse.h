/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrap-gen: what the item splitter (items.c), its bracket matcher
 * (brackets.c), its fast path (skim.c) and the declaration parser
 * (parse.c) share.  Private to
 * those files.
 */
#ifndef COWRAP_GEN_PARSE_H
#define COWRAP_GEN_PARSE_H

#include "cowrap-gen.h"

/**
 * struct item - a parsing job: the tokens of one top-level item
 * @m: model that receives the declaration
 * @v: the tokens, in order
 * @match: for each opening bracket in @v the index of its closing one
 *         (the brackets of an item always balance), -1 for other tokens
 * @n: number of tokens, without the final ';'
 * @end: the ';' (or the EOF token) that ended the item
 * @file_index: index of the input in @m->inputs
 * @cond: where the item is among the preprocessor conditionals
 * @arena: where what the parser keeps goes (NULL: see item_arena())
 * @plist_lx: when a TK_PARAMS token stands for the parameter list, the
 *            lexer right after its '(' (see &struct plist)
 */
struct item {
	struct model *m;
	struct token **v;
	const int *match;
	int n;
	struct token *end;
	int file_index;
	struct cond_at cond;
	struct arena *arena;
	const struct lexer *plist_lx;
};

/*
 * The token tests below run for nearly every token the parser looks at:
 * inline, and one-character punctuators compare a single byte.
 */

/**
 * is_ident() - is token @i of @it an identifier?
 * @it: item
 * @i: index (may be past the end: false)
 *
 * Return: true for an identifier.
 */
static inline bool is_ident(const struct item *it, int i)
{
	return i < it->n && it->v[i]->kind == TK_IDENT;
}

/**
 * is_ch() - is token @i of @it the one-character punctuator @c?
 * @it: item
 * @i: index (may be past the end: false)
 * @c: the character, e.g. '('
 *
 * Return: true if it is.
 */
static inline bool is_ch(const struct item *it, int i, char c)
{
	return i < it->n && tok_ch(it->v[i], c);
}

/**
 * is_punct() - is token @i of @it the punctuator @s?
 * @it: item
 * @i: index (may be past the end: false)
 * @s: punctuator spelling, e.g. "(" or "..."
 *
 * Return: true if it is.
 */
static inline bool is_punct(const struct item *it, int i, const char *s)
{
	const struct token *t;

	if (!s[1])
		return is_ch(it, i, s[0]);
	if (i >= it->n)
		return false;
	t = it->v[i];
	return t->kind == TK_PUNCT && t->text[0] == s[0] && !strcmp(t->text, s);
}

/**
 * is_marker_like() - does @s look like a marker (co_wrapper*, no_co_wrapper*)?
 * @s: identifier
 *
 * Return: true for any identifier starting like a marker, known or not.
 */
static inline bool is_marker_like(const char *s)
{
	if (s[0] == 'c')
		return s[1] == 'o' && !strncmp(s, "co_wrapper", 10);
	return s[0] == 'n' && s[1] == 'o' && !strncmp(s, "no_co_wrapper", 13);
}

/**
 * struct brackets - open brackets of the current item (brackets.c)
 * @top: innermost open bracket, NULL for none
 * @depth: how many are open
 * @item: serial number of the current item (saved states of other items
 *        mean "none open")
 * @snaps: saved states of the open conditional groups, innermost last
 * @nsnaps: number of @snaps
 * @cap: room in @snaps
 */
struct brackets {
	struct bnode *top;
	int depth;
	unsigned long item;
	struct bsnap *snaps;
	size_t nsnaps, cap;
};

void brackets_reset(struct brackets *b);
void brackets_open(struct brackets *b, struct arena *a, int index, char punct);
int brackets_close(struct brackets *b, char punct);
int brackets_innermost(const struct brackets *b);
void brackets_directive(struct brackets *b, int kind);
void brackets_free(struct brackets *b);

/**
 * struct skimmer - the fast path's state over one input (skim.c)
 * @marker: the next "co_wrapper" in the input (NULL: not looked for yet;
 *          the end of the input: none)
 * @co: the same for "_co_", when @names
 * @names: prefix_co_rest function names matter (not the QEMU flavor)
 * @stack: the open brackets of the item being skimmed
 * @text: the text of a directive handed to @directive
 * @directive: receives conditional directives (see skimmer_init())
 * @arg: passed to @directive
 */
struct skimmer {
	const char *marker;
	const char *co;
	bool names;
	struct strbuf stack;
	struct strbuf text;
	void (*directive)(void *arg, const struct token *t);
	void *arg;
};

void skimmer_init(struct skimmer *sk, const struct model *m, const char *buf,
		  void (*directive)(void *arg, const struct token *t),
		  void *arg);
void skim_run(struct skimmer *sk, struct lexer *lx, struct cond_state *cs,
	      size_t budget);
void skimmer_free(struct skimmer *sk);

int marker_lookup(const struct model *m, const char *s);
int parse_decl(struct item *it);
struct arena *item_arena(const struct item *it);
int parse_param(struct item *it, int a, int b, struct param *p, bool first,
		int *name);
bool tok_is_name_candidate(const struct model *m, struct token *t);
bool tok_is_type_word(struct token *t);
int plist_parse(struct item *it, struct decl *d);

#endif /* COWRAP_GEN_PARSE_H */
