// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-gen: tokenizer.
 *
 * Turns one input buffer into a list of tokens.  Comments become
 * whitespace, a preprocessor line becomes one TK_DIRECTIVE token (with its
 * backslash continuations joined), CR LF and lone CR end lines like LF.
 * Columns are display columns as gcc counts them: a tab advances to the
 * next tab stop of 8, UTF-8 continuation bytes take no column.
 */
#include <string.h>

#include "cowrap-gen.h"

struct cursor {
	const char *p;
	const char *end;
	const char *file;
	int line;
	int col;
};

static int peek(const struct cursor *c, size_t off)
{
	return (size_t)(c->end - c->p) > off ? (unsigned char)c->p[off] : -1;
}

static bool at_newline(const struct cursor *c)
{
	return peek(c, 0) == '\n' || peek(c, 0) == '\r';
}

/* consume one byte, or one line ending (CR LF counts as one) */
static void adv(struct cursor *c)
{
	int ch = peek(c, 0);

	if (ch < 0)
		return;
	c->p++;
	if (ch == '\r' && peek(c, 0) == '\n')
		c->p++;
	if (ch == '\n' || ch == '\r') {
		c->line++;
		c->col = 1;
	} else if (ch == '\t') {
		c->col = ((c->col - 1) / 8 + 1) * 8 + 1;
	} else if ((ch & 0xc0) != 0x80) {
		c->col++;
	}
}

/* a backslash that ends the line: a line splice */
static bool at_splice(const struct cursor *c)
{
	int n = peek(c, 1);

	return peek(c, 0) == '\\' && (n == '\n' || n == '\r');
}

static void pos_here(const struct cursor *c, struct srcpos *pos)
{
	pos->file = c->file;
	pos->line = c->line;
	pos->col = c->col;
}

static bool is_ident_start(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       ch == '_' || ch == '$' || ch >= 0x80;
}

static bool is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

static bool is_ident_char(int ch)
{
	return is_ident_start(ch) || is_digit(ch);
}

/*
 * Skip a comment starting at the cursor, if any.  Returns 1 if one was
 * skipped, 0 if there is none, -1 for an unterminated block comment.
 */
static int skip_comment(struct cursor *c)
{
	struct srcpos start;

	if (peek(c, 0) != '/')
		return 0;
	if (peek(c, 1) == '/') {
		while (peek(c, 0) >= 0 && !at_newline(c)) {
			if (at_splice(c))
				adv(c);
			adv(c);
		}
		return 1;
	}
	if (peek(c, 1) != '*')
		return 0;
	pos_here(c, &start);
	adv(c);
	adv(c);
	for (;;) {
		if (peek(c, 0) < 0) {
			diag_error(&start, "unterminated comment");
			return -1;
		}
		if (peek(c, 0) == '*' && peek(c, 1) == '/') {
			adv(c);
			adv(c);
			return 1;
		}
		adv(c);
	}
}

static struct token *new_token(struct arena *a, enum tok_kind kind,
			       const struct srcpos *pos, const char *s,
			       size_t n, bool space)
{
	struct token *t = arena_alloc_raw(a, sizeof(*t) + n + 1);
	char *text = (char *)(t + 1);

	memcpy(text, s, n);
	text[n] = '\0';
	t->kind = kind;
	t->text = text;
	t->len = n;
	t->pos = *pos;
	t->space_before = space;
	t->next = NULL;
	return t;
}

/*
 * Read a preprocessor line (the cursor is on '#').  Comments become one
 * space, runs of whitespace collapse, continuations are joined.
 */
static struct token *read_directive(struct arena *a, struct cursor *c,
				    bool space, int *errors)
{
	struct strbuf sb = { 0 };
	struct srcpos pos;
	struct token *t;
	bool pending_space = false;
	int quote = 0;

	pos_here(c, &pos);
	adv(c);			/* '#' */
	while (peek(c, 0) >= 0 && !at_newline(c)) {
		int ch = peek(c, 0);
		int r;

		if (at_splice(c)) {
			adv(c);
			adv(c);
			pending_space = true;
			continue;
		}
		if (!quote) {
			r = skip_comment(c);
			if (r < 0) {
				(*errors)++;
				break;
			}
			if (r > 0) {
				pending_space = true;
				continue;
			}
			if (ch == ' ' || ch == '\t' || ch == '\f' || ch == '\v') {
				pending_space = true;
				adv(c);
				continue;
			}
		}
		if (pending_space && sb.len)
			sb_add(&sb, " ", 1);
		pending_space = false;
		if (quote && ch == '\\' && peek(c, 1) >= 0 && peek(c, 1) != '\n' &&
		    peek(c, 1) != '\r') {
			sb_add(&sb, c->p, 2);
			adv(c);
			adv(c);
			continue;
		}
		if (ch == '"' || ch == '\'') {
			if (!quote)
				quote = ch;
			else if (quote == ch)
				quote = 0;
		}
		sb_add(&sb, c->p, 1);
		adv(c);
	}
	t = new_token(a, TK_DIRECTIVE, &pos, sb.buf ? sb.buf : "", sb.len,
		      space);
	sb_free(&sb);
	return t;
}

static const char *const puncts3[] = { "...", "<<=", ">>=", NULL };
static const char *const puncts2[] = {
	"->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
	"*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "##", NULL
};

/* every multi-character punctuator starts with one of these */
static bool multi_punct_start(char ch)
{
	switch (ch) {
	case '-': case '+': case '<': case '>': case '=': case '!': case '&':
	case '|': case '*': case '/': case '%': case '^': case '#': case '.':
		return true;
	default:
		return false;
	}
}

static size_t punct_len(const struct cursor *c)
{
	size_t avail = (size_t)(c->end - c->p);
	int i;

	if (!multi_punct_start(c->p[0]) || avail < 2)
		return 1;
	for (i = 0; puncts3[i]; i++)
		if (avail >= 3 && puncts3[i][0] == c->p[0] &&
		    !memcmp(c->p, puncts3[i], 3))
			return 3;
	for (i = 0; puncts2[i]; i++)
		if (puncts2[i][0] == c->p[0] && puncts2[i][1] == c->p[1])
			return 2;
	return 1;
}

/* string or character literal; returns false if unterminated */
static bool read_quoted(struct cursor *c, int q)
{
	adv(c);
	for (;;) {
		int ch = peek(c, 0);

		if (ch < 0 || at_newline(c))
			return false;
		if (at_splice(c)) {
			adv(c);
			adv(c);
			continue;
		}
		adv(c);
		if (ch == q)
			return true;
		if (ch == '\\' && peek(c, 0) >= 0 && !at_newline(c))
			adv(c);
	}
}

/**
 * lexer_init() - prepare to read tokens from a buffer
 * @lx: lexer state
 * @file: name used in diagnostics (as given on the command line)
 * @buf: contents (need not be NUL-terminated; may contain NUL bytes)
 * @len: size of @buf
 */
void lexer_init(struct lexer *lx, const char *file, const char *buf,
		size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->file = file;
	lx->p = buf;
	lx->end = buf + len;
	lx->line = 1;
	lx->col = 1;
	lx->bol = true;
}

/*
 * Skip one piece of blank: whitespace, a newline, a line splice or a
 * comment.  Returns 1 if something was skipped, 0 at a token, -1 on an
 * unterminated comment.
 */
static int skip_space(struct lexer *lx, struct cursor *c, bool *space)
{
	int ch = peek(c, 0);
	int r;

	if (ch == ' ') {		/* the common case, without adv() */
		c->p++;
		c->col++;
	} else if (ch == '\t' || ch == '\f' || ch == '\v') {
		adv(c);
	} else if (at_newline(c)) {
		adv(c);
		lx->bol = true;
	} else if (at_splice(c)) {
		adv(c);
		adv(c);
	} else if (ch == '/') {
		r = skip_comment(c);
		if (r <= 0)
			return r;
	} else {
		return 0;
	}
	*space = true;
	return 1;
}

static void scan_ident(struct cursor *c)
{
	/* fast path: ASCII identifier characters take one column */
	while (c->p < c->end && is_ident_char((unsigned char)*c->p)) {
		if ((unsigned char)*c->p < 0x80 || (*c->p & 0xc0) != 0x80)
			c->col++;
		c->p++;
	}
}

/* a pp-number: digits, letters, '.', and signs after an exponent */
static void scan_number(struct cursor *c)
{
	const char *start = c->p;

	for (;;) {
		int d = peek(c, 0);
		int e = c->p > start ? (unsigned char)c->p[-1] : 0;

		if ((d == '+' || d == '-') &&
		    (e == 'e' || e == 'E' || e == 'p' || e == 'P'))
			adv(c);
		else if (d >= 0 && (is_ident_char(d) || d == '.'))
			adv(c);
		else
			break;
	}
}

/* read the token at the cursor (not blank, not a directive) */
static enum tok_kind scan_token(struct lexer *lx, struct cursor *c,
				const struct srcpos *pos)
{
	int ch = peek(c, 0);
	size_t n;

	if (is_ident_start(ch)) {
		scan_ident(c);
		return TK_IDENT;
	}
	if (is_digit(ch) || (ch == '.' && is_digit(peek(c, 1)))) {
		scan_number(c);
		return TK_NUMBER;
	}
	if (ch == '"' || ch == '\'') {
		if (!read_quoted(c, ch)) {
			diag_error(pos, "missing terminating %c character", ch);
			lx->errors++;
		}
		return ch == '"' ? TK_STRING : TK_CHAR;
	}
	for (n = punct_len(c); n; n--)
		adv(c);
	return TK_PUNCT;
}

/**
 * lex_next() - read the next token
 * @lx: lexer state
 * @a: arena that receives the token (the caller may reset it between
 *     top-level items; nothing else points into it)
 *
 * Lexical errors (unterminated comment or literal) are reported with
 * diag_error() and counted in @lx->errors; an unterminated comment ends
 * the input.
 *
 * Return: the token; TK_EOF at the end (and on every later call).
 */
struct token *lex_next(struct lexer *lx, struct arena *a)
{
	struct cursor c = { lx->p, lx->end, lx->file, lx->line, lx->col };
	struct token *t;
	bool space = lx->space;
	struct srcpos pos;
	int r = 1;

	while (!lx->stop && peek(&c, 0) >= 0 &&
	       (r = skip_space(lx, &c, &space)) > 0)
		;
	if (r < 0) {			/* unterminated comment */
		lx->errors++;
		lx->stop = true;
	}
	if (lx->stop || peek(&c, 0) < 0) {
		pos_here(&c, &pos);
		t = new_token(a, TK_EOF, &pos, "", 0, true);
		lx->stop = true;
	} else if (peek(&c, 0) == '#' && lx->bol) {
		t = read_directive(a, &c, space, &lx->errors);
		space = true;
	} else {
		const char *start = c.p;
		enum tok_kind kind;

		lx->bol = false;
		pos_here(&c, &pos);
		kind = scan_token(lx, &c, &pos);
		t = new_token(a, kind, &pos, start, (size_t)(c.p - start), space);
		space = false;
	}
	lx->p = c.p;
	lx->line = c.line;
	lx->col = c.col;
	lx->space = space;
	return t;
}

/**
 * tokenize() - split a whole buffer into a token list
 * @a: arena that owns the tokens
 * @file: name used in diagnostics
 * @buf: contents
 * @len: size of @buf
 *
 * Return: the first token; the list always ends with a TK_EOF token.
 */
struct token *tokenize(struct arena *a, const char *file, const char *buf,
		       size_t len)
{
	struct lexer lx;
	struct token head = { 0 };
	struct token *tail = &head;

	lexer_init(&lx, file, buf, len);
	do {
		tail = tail->next = lex_next(&lx, a);
	} while (tail->kind != TK_EOF);
	return head.next;
}

/**
 * tok_is() - does token @t spell @s (and is not a literal)?
 * @t: token
 * @s: spelling
 *
 * Return: true on a match.
 */
bool tok_is(const struct token *t, const char *s)
{
	if ((t->kind != TK_IDENT && t->kind != TK_PUNCT) || t->text[0] != s[0])
		return false;
	return s[1] ? !strcmp(t->text, s) : t->len == 1;
}
