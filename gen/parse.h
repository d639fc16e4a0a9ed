/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrap-gen: what the item splitter (items.c) and the declaration
 * parser (parse.c) share.  Private to those two files.
 */
#ifndef COWRAP_GEN_PARSE_H
#define COWRAP_GEN_PARSE_H

#include "cowrap-gen.h"

/**
 * struct item - a parsing job: the tokens of one top-level item
 * @m: model that receives the declaration
 * @v: the tokens, in order
 * @n: number of tokens, without the final ';'
 * @end: the ';' (or the EOF token) that ended the item
 * @file_index: index of the input in @m->inputs
 * @cond: innermost preprocessor branch around the item (NULL: none)
 */
struct item {
	struct model *m;
	struct token **v;
	int n;
	struct token *end;
	int file_index;
	struct cond *cond;
};

bool is_ident(const struct item *it, int i);
bool is_punct(const struct item *it, int i, const char *s);
bool is_marker_like(const char *s);
int marker_lookup(const struct model *m, const char *s);
int parse_decl(struct item *it);
void parse_forget_tokens(void);

#endif /* COWRAP_GEN_PARSE_H */
