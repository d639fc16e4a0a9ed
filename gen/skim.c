// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-gen: the fast path of the item splitter.
 *
 * Most of a real header is code without markers: comments, structs,
 * macros, inline functions.  skim_item() runs over such an item byte by
 * byte, without making tokens, keeping only what the item splitter needs:
 * comments and literals (so that brackets in them do not count), the
 * brackets, the ';' or the body's '}' that ends the item, and the
 * prefix_co_rest names followed by '(' for the naming rule.  As soon as it
 * meets anything else (an identifier that looks like a marker, a
 * directive, a line splice, a NUL byte, an unbalanced bracket, an
 * unterminated comment or literal, the end of the file) it gives up and
 * leaves the lexer where it was, and items.c reads the item token by
 * token as before, so the two paths agree on everything, diagnostics
 * included.
 */
#include <string.h>

#include "parse.h"

/* state of one skim */
struct skim {
	const char *p, *end;
	int line;
	const char *line_start;	/* NULL: still on the line it started on */
	bool bol;
	bool after_rparen;	/* the last token was ')' */
	bool body;		/* a function body is open */
	bool names;		/* prefix_co_rest names are wanted (not QEMU) */
	const char *co_name;	/* a prefix_co_rest identifier just before */
	size_t co_len;
	struct strbuf name;	/* NUL-terminated copy of it */
	struct strbuf *stack;	/* the open brackets */
};

/* what a byte starts, one table lookup per byte */
enum {
	SK_OTHER,	/* a punctuator of no interest */
	SK_BLANK,	/* space, tab, FF, VT */
	SK_NL,		/* LF, CR */
	SK_SLASH,	/* maybe a comment */
	SK_HASH,	/* maybe a directive */
	SK_WORD,	/* an identifier: a-z A-Z _ $ and bytes >= 0x80 */
	SK_DIGIT,
	SK_DOT,		/* maybe a number */
	SK_QUOTE,
	SK_OPEN,
	SK_CLOSE,
	SK_SEMI,
	SK_STOP,	/* backslash, NUL: left to the full lexer */
};

static unsigned char sk_class[256];
static bool sk_ident[256];	/* continues an identifier or a pp-number */
static bool sk_comment[256];	/* '*', LF, CR: a block comment looks */

static void skim_init(void)
{
	int c;

	if (sk_class['_'])
		return;
	for (c = 0; c < 256; c++) {
		sk_ident[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '_' || c == '$' ||
			      c >= 0x80;
		sk_class[c] = sk_ident[c] ? SK_WORD : SK_OTHER;
	}
	for (c = '0'; c <= '9'; c++)
		sk_class[c] = SK_DIGIT;
	sk_class[' '] = sk_class['\t'] = sk_class['\f'] = sk_class['\v'] = SK_BLANK;
	sk_class['\n'] = sk_class['\r'] = SK_NL;
	sk_class['/'] = SK_SLASH;
	sk_class['#'] = SK_HASH;
	sk_class['.'] = SK_DOT;
	sk_class['"'] = sk_class['\''] = SK_QUOTE;
	sk_class['('] = sk_class['['] = sk_class['{'] = SK_OPEN;
	sk_class[')'] = sk_class[']'] = sk_class['}'] = SK_CLOSE;
	sk_class[';'] = SK_SEMI;
	sk_class['\\'] = sk_class['\0'] = SK_STOP;
	sk_comment['*'] = sk_comment['\n'] = sk_comment['\r'] = true;
}

static void newline(struct skim *s)
{
	if (*s->p == '\r' && s->p + 1 < s->end && s->p[1] == '\n')
		s->p++;
	s->p++;
	s->line++;
	s->line_start = s->p;
	s->bol = true;
}

/* a block comment from "/" "*"; false if it is unterminated */
static bool block_comment(struct skim *s)
{
	const char *p = s->p + 2, *end = s->end;

	for (;;) {
		while (p + 1 < end && !sk_comment[(unsigned char)*p])
			p++;
		if (p + 1 >= end) {
			s->p = p;
			return false;
		}
		if (*p == '*') {
			if (p[1] == '/') {
				s->p = p + 2;
				return true;
			}
			p++;
			continue;
		}
		if (*p == '\r' && p[1] == '\n')
			p++;
		p++;
		s->line++;
		s->line_start = p;	/* keeps bol: a comment is blank */
	}
}

/* a line comment; false if a splice continues it (left to items.c) */
static bool line_comment(struct skim *s)
{
	for (; s->p < s->end && *s->p != '\n' && *s->p != '\r'; s->p++)
		if (*s->p == '\\')
			return false;
	return true;
}

/* a string or character literal; false if it needs the full lexer */
static bool literal(struct skim *s)
{
	char q = *s->p++;

	while (s->p < s->end) {
		char c = *s->p;

		if (c == q) {
			s->p++;
			return true;
		}
		if (c == '\n' || c == '\r' || !c)
			return false;
		if (c == '\\') {
			if (s->p + 1 >= s->end || s->p[1] == '\n' ||
			    s->p[1] == '\r')
				return false;
			s->p++;
		}
		s->p++;
	}
	return false;
}

/* a pp-number: what scan_number() in tokenize.c takes */
static void number(struct skim *s)
{
	char last = 0;

	while (s->p < s->end) {
		char c = *s->p;

		if (sk_ident[(unsigned char)c] || c == '.' ||
		    ((c == '+' || c == '-') && (last == 'e' || last == 'E' ||
						last == 'p' || last == 'P'))) {
			last = c;
			s->p++;
		} else {
			break;
		}
	}
}

static bool has_co_infix(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i + 4 <= n; i++)
		if (p[i] == '_' && p[i + 1] == 'c' && p[i + 2] == 'o' &&
		    p[i + 3] == '_')
			return true;
	return false;
}

/* an identifier; false if it looks like a marker */
static bool identifier(struct skim *s)
{
	const char *start = s->p, *p = s->p + 1, *end = s->end;
	size_t n;

	while (p < end && sk_ident[(unsigned char)*p])
		p++;
	s->p = p;
	n = (size_t)(p - start);
	if ((n >= 10 && start[0] == 'c' && !memcmp(start, "co_wrapper", 10)) ||
	    (n >= 13 && start[0] == 'n' && !memcmp(start, "no_co_wrapper", 13)) ||
	    (n == 20 && !memcmp(start, "generated_co_wrapper", 20)))
		return false;
	if (s->names && n >= 4 && has_co_infix(start, n)) {
		s->co_name = start;
		s->co_len = n;
	}
	return true;
}

/*
 * A bracket; false if it does not match.  A '{' at the top right after
 * ')' (@after_rparen) opens a function body; *@done is set at its end.
 */
static bool bracket(struct skim *s, char c, bool after_rparen, bool *done)
{
	struct strbuf *st = s->stack;
	char want;

	if (c == '(' || c == '[' || c == '{') {
		if (c == '{' && !st->len && after_rparen)
			s->body = true;
		sb_add(st, &c, 1);
		return true;
	}
	want = c == ')' ? '(' : c == ']' ? '[' : '{';
	if (!st->len || st->buf[st->len - 1] != want)
		return false;
	st->len--;
	*done = !st->len && s->body;
	return true;
}

/* remember the prefix_co_rest function s->co_name (it is followed by '(') */
static void note_name(struct skim *s, struct model *m)
{
	struct strbuf *nb = &s->name;

	nb->len = 0;
	sb_add(nb, s->co_name, s->co_len);
	nb->buf[nb->len] = '\0';	/* sb_add() leaves room for it */
	name_set_add_copy(&m->functions, &m->arena, nb->buf, nb->len);
}

/*
 * One token at s->p (not blank) of class @cl.  Returns 1 when it ends the
 * item, 0 to go on, -1 to give up.
 */
static int token(struct skim *s, struct model *m, int cl)
{
	unsigned char c = (unsigned char)*s->p;
	bool done = false, after_rparen = s->after_rparen;

	if (s->co_name && c == '(')
		note_name(s, m);
	s->co_name = NULL;
	s->bol = false;
	s->after_rparen = c == ')';
	switch (cl) {
	case SK_DOT:
		if (s->p + 1 < s->end && s->p[1] >= '0' && s->p[1] <= '9')
			number(s);
		else
			s->p++;
		break;
	case SK_DIGIT:
		number(s);
		break;
	case SK_WORD:
		if (!identifier(s))
			return -1;
		break;
	case SK_QUOTE:
		if (!literal(s))
			return -1;
		break;
	case SK_OPEN:
	case SK_CLOSE:
		if (!bracket(s, (char)c, after_rparen, &done))
			return -1;
		s->p++;
		return done;
	case SK_SEMI:
		s->p++;
		return !s->stack->len;
	case SK_STOP:
		return -1;
	default:
		s->p++;
	}
	/* a splice right after a token may continue it */
	return s->p < s->end && *s->p == '\\' ? -1 : 0;
}

/* display width of [@p, @e): tabs to the next stop of 8, UTF-8 as one */
static int advance_col(int col, const char *p, const char *e)
{
	for (; p < e; p++) {
		if (*p == '\t')
			col = ((col - 1) / 8 + 1) * 8 + 1;
		else if (((unsigned char)*p & 0xc0) != 0x80)
			col++;
	}
	return col;
}

/* the end of a run of spaces, tabs, FFs and VTs from @p */
static const char *blanks(const char *p, const char *end)
{
	while (p < end && sk_class[(unsigned char)*p] == SK_BLANK)
		p++;
	return p;
}

/* run over blanks and tokens; 1 at the end of the item, -1 to give up */
static int skim_loop(struct skim *s, struct model *m)
{
	for (;;) {
		int r, cl;

		if (s->p >= s->end)
			return -1;
		cl = sk_class[(unsigned char)*s->p];
		switch (cl) {
		case SK_BLANK:
			s->p = blanks(s->p + 1, s->end);
			continue;
		case SK_NL:
			newline(s);
			continue;
		case SK_SLASH:
			if (s->p + 1 < s->end && s->p[1] == '*') {
				if (!block_comment(s))
					return -1;
				continue;
			}
			if (s->p + 1 < s->end && s->p[1] == '/') {
				if (!line_comment(s))
					return -1;
				continue;
			}
			cl = SK_OTHER;
			break;
		case SK_HASH:
			if (s->bol)
				return -1;	/* a directive */
			cl = SK_OTHER;
			break;
		}
		r = token(s, m, cl);
		if (r)
			return r;
	}
}

/**
 * skim_item() - run over an item without a marker quickly
 * @lx: lexer, just after the item's first token @first
 * @first: that token (an identifier that is not marker-like)
 * @m: model (receives the prefix_co_rest function names)
 * @stack: scratch buffer for the open brackets
 *
 * Return: true when the item ended (';' outside brackets or the '}' of a
 * function body) and the lexer is after it; false, with the lexer
 * unchanged, when the item must be read token by token.
 */
bool skim_item(struct lexer *lx, const struct token *first, struct model *m,
	       struct strbuf *stack)
{
	struct skim s = {
		.p = lx->p, .end = lx->end, .line = lx->line, .stack = stack,
		.names = m->flavor != FLAVOR_QEMU,
	};
	int r;

	skim_init();
	stack->len = 0;
	if (first->kind != TK_IDENT || lx->stop || is_marker_like(first->text) ||
	    !strcmp(first->text, "generated_co_wrapper") ||
	    (m->flavor != FLAVOR_QEMU && find_co_infix(first->text)))
		return false;
	r = skim_loop(&s, m);
	sb_free(&s.name);
	if (r < 0)
		return false;
	lx->col = s.line_start ? advance_col(1, s.line_start, s.p) :
				 advance_col(lx->col, lx->p, s.p);
	lx->p = s.p;
	lx->line = s.line;
	lx->bol = false;
	lx->space = false;
	return true;
}
