// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-gen: tokenizer.
 *
 * Turns one input buffer into a list of tokens.  Comments become
 * whitespace, a preprocessor line becomes one TK_DIRECTIVE token (with its
 * backslash continuations joined), CR LF and lone CR end lines like LF.
 * A line splice (backslash-newline) inside a token joins it like the
 * compiler's translation phase 2 does ("co_wrap", splice, "per" is the
 * identifier co_wrapper); a NUL byte outside comments is an error.
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

/* character classes, one table lookup instead of a chain of compares */
enum {
	CC_IDENT = 1 << 0,	/* starts an identifier: a-z A-Z _ $ >= 0x80 */
	CC_DIGIT = 1 << 1,
	CC_SPACE = 1 << 2,	/* may start blank skip_blanks() leaves */
	CC_WORD = 1 << 3,	/* ASCII letter, digit, _ or $ */
	CC_SLOW = 1 << 4,	/* starts something lex_fast() leaves alone */
	CC_COMMENT = 1 << 5,	/* '*', LF, CR: what a block comment looks for */
	CC_DIRECTIVE = 1 << 6,	/* not copied as is into a directive's text */
};

static unsigned char char_class[256];

static void char_class_init(void)
{
	int ch;

	if (char_class['_'])
		return;
	for (ch = 0; ch < 256; ch++) {
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    ch == '_' || ch == '$')
			char_class[ch] = CC_IDENT | CC_WORD;
		else if (ch >= 0x80)
			char_class[ch] = CC_IDENT | CC_SLOW;
		else if (ch >= '0' && ch <= '9')
			char_class[ch] = CC_DIGIT | CC_WORD | CC_SLOW;
		else if (ch == '\r' || ch == '\f' || ch == '\v' || ch == '\\' ||
			 ch == '/')
			char_class[ch] = CC_SPACE | CC_SLOW;
		else if (ch == '.' || ch == '"' || ch == '\'' || ch == '\0')
			char_class[ch] = CC_SLOW;
		if (ch == '*' || ch == '\n' || ch == '\r')
			char_class[ch] |= CC_COMMENT;
		if (ch == ' ' || ch == '\t' || ch == '\f' || ch == '\v' ||
		    ch == '\n' || ch == '\r' || ch == '/' || ch == '\\' ||
		    ch == '"' || ch == '\'' || ch == '\0' || ch >= 0x80)
			char_class[ch] |= CC_DIRECTIVE;
	}
}

/* @ch is a byte value or -1 (end of input) */
static bool is_ident_start(int ch)
{
	return ch >= 0 && (char_class[ch] & CC_IDENT);
}

static bool is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

static bool is_ident_char(int ch)
{
	return ch >= 0 && (char_class[ch] & (CC_IDENT | CC_DIGIT));
}

/* display column after [@p, @e) from column @col (as adv() counts) */
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

/*
 * The rest of a block comment from its opening; 1, or -1 when it is
 * unterminated.  Headers are mostly comments: a loop over the bytes that
 * stops only at '*' and line ends, the column worked out once at the end.
 */
static int skip_block_comment(struct cursor *c, const struct srcpos *start)
{
	const char *p = c->p + 2, *end = c->end, *ls = NULL;
	int line = c->line;

	for (;;) {
		while (p + 1 < end && !(char_class[(unsigned char)*p] & CC_COMMENT))
			p++;
		if (p + 1 >= end || (*p == '*' && p[1] == '/'))
			break;
		if (*p == '\r' && p[1] == '\n')
			p++;
		if (*p != '*') {
			line++;
			ls = p + 1;
		}
		p++;
	}
	if (p + 1 >= end) {
		diag_error(start, "unterminated comment");
		c->p = end;	/* the input ends here */
		return -1;
	}
	p += 2;
	c->col = ls ? advance_col(1, ls, p) : advance_col(c->col, c->p, p);
	c->line = line;
	c->p = p;
	return 1;
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
	return skip_block_comment(c, &start);
}

static inline struct token *new_token(struct arena *a, enum tok_kind kind,
				      const struct srcpos *pos, const char *s,
				      size_t n, bool space)
{
	struct token *t = arena_alloc_raw(a, sizeof(*t) + n + 1);
	char *text = (char *)(t + 1);

	copy_bytes(text, s, n);
	text[n] = '\0';
	t->kind = kind;
	t->text = text;
	t->len = n;
	t->pos = *pos;
	t->space_before = space;
	t->punct = kind == TK_PUNCT && n == 1 ? s[0] : '\0';
	t->kw = -1;
	t->next = NULL;
	return t;
}

/*
 * Bytes a directive's text takes as they are, up to the next blank, line
 * end, comment, splice or literal: ASCII only, so a column each.
 */
static void directive_run(struct cursor *c, struct strbuf *sb)
{
	const char *q = c->p + 1;

	while (q < c->end && !(char_class[(unsigned char)*q] & CC_DIRECTIVE))
		q++;
	sb_add(sb, c->p, (size_t)(q - c->p));
	c->col += (int)(q - c->p);
	c->p = q;
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

		if (!quote && !(char_class[ch] & CC_DIRECTIVE)) {
			if (pending_space && sb.len)
				sb_add(&sb, " ", 1);
			pending_space = false;
			directive_run(c, &sb);
			continue;
		}
		if (at_splice(c)) {	/* joins the lines, adds no space */
			adv(c);
			adv(c);
			continue;
		}
		if (!ch) {
			struct srcpos at;

			pos_here(c, &at);
			diag_error(&at, "NUL byte in the input");
			(*errors)++;
			break;
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

/*
 * Length of the punctuator at the cursor: 3 for "...", "<<=", ">>=", 2 for
 * the two-character ones (-> ++ -- << >> <= >= == != && || *= /= %= += -=
 * &= ^= |= ##), 1 otherwise.
 */
static size_t punct_len(const char *p, const char *end)
{
	size_t avail = (size_t)(end - p);
	char a = p[0];
	char b = avail > 1 ? p[1] : '\0';
	char d = avail > 2 ? p[2] : '\0';

	switch (a) {
	case '.':
		return b == '.' && d == '.' ? 3 : 1;
	case '<': case '>':
		if (b == a)
			return d == '=' ? 3 : 2;
		return b == '=' ? 2 : 1;
	case '-':
		return b == '>' || b == '-' || b == '=' ? 2 : 1;
	case '+': case '&': case '|':
		return b == a || b == '=' ? 2 : 1;
	case '=': case '!': case '*': case '/': case '%': case '^':
		return b == '=' ? 2 : 1;
	case '#':
		return b == '#' ? 2 : 1;
	default:
		return 1;
	}
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
	char_class_init();
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

	if (ch == ' ' || ch == '\t' || ch == '\f' || ch == '\v') {
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

/*
 * Can @ch start blank that skip_blanks() leaves to skip_space(): CR, FF,
 * VT, a line splice or a comment?
 */
static bool maybe_space(char ch)
{
	return char_class[(unsigned char)ch] & CC_SPACE;
}

/*
 * The common blanks (space, tab, LF) from @p in one tight loop; *@line,
 * *@col and *@bol follow.  Returns where they end.
 */
static inline const char *skip_blanks(const char *p, const char *end,
				      int *line, int *col, bool *bol)
{
	for (; p < end; p++) {
		if (*p == ' ') {
			++*col;
		} else if (*p == '\t') {
			*col = ((*col - 1) / 8 + 1) * 8 + 1;
		} else if (*p == '\n') {
			++*line;
			*col = 1;
			*bol = true;
		} else {
			break;
		}
	}
	return p;
}

static void scan_ident_run(struct cursor *c)
{
	const unsigned char *start = (const unsigned char *)c->p;
	const unsigned char *end = (const unsigned char *)c->end;
	const unsigned char *p = start;
	unsigned char any = 0;

	while (p < end && (char_class[*p] & (CC_IDENT | CC_DIGIT)))
		any |= *p++;
	c->col += (int)(p - start);
	/* UTF-8 continuation bytes take no column */
	if (any & 0x80)
		for (; start < p; start++)
			c->col -= (*start & 0xc0) == 0x80;
	c->p = (const char *)p;
}

/* skip the line splices at the cursor; true if there was one */
static bool skip_splices(struct cursor *c)
{
	bool any = false;

	while (at_splice(c)) {
		adv(c);
		adv(c);
		any = true;
	}
	return any;
}

/*
 * A line splice inside a token joins the two lines (translation phase 2):
 * is the token at @c continued after the splices there by a byte that
 * @cont accepts?  If so the cursor moves past them.
 */
static bool splice_continues(struct cursor *c, bool (*cont)(int ch))
{
	struct cursor save = *c;

	if (!skip_splices(c))
		return false;
	if (cont(peek(c, 0)))
		return true;
	*c = save;
	return false;
}

static void scan_ident(struct cursor *c)
{
	do
		scan_ident_run(c);
	while (splice_continues(c, is_ident_char));
}

static bool is_number_char(int ch)
{
	return is_ident_char(ch) || ch == '.';
}

static bool is_sign(int ch)
{
	return ch == '+' || ch == '-';
}

/* a pp-number: digits, letters, '.', and signs after an exponent */
static void scan_number(struct cursor *c)
{
	int last = 0;

	for (;;) {
		int d = peek(c, 0);

		if ((is_sign(d) && (last == 'e' || last == 'E' || last == 'p' ||
				    last == 'P')) || is_number_char(d)) {
			last = d;
			adv(c);
		} else if (!splice_continues(c, is_number_char) &&
			   !((last == 'e' || last == 'E' || last == 'p' ||
			      last == 'P') && splice_continues(c, is_sign))) {
			break;
		}
	}
}

/* a punctuator, whose characters may be split by line splices */
static void scan_punct(struct cursor *c)
{
	struct cursor t = *c, after[3];
	char buf[3];
	size_t k = 0;

	while (k < 3 && peek(&t, 0) >= 0) {
		if (k && skip_splices(&t))
			continue;
		buf[k] = *t.p;
		adv(&t);
		after[k++] = t;
	}
	*c = after[punct_len(buf, buf + k) - 1];
}

/* remove the line splices from a token's text (it held one); new length */
static size_t unsplice(char *text, size_t n)
{
	size_t i, j = 0;

	for (i = 0; i < n; i++) {
		if (text[i] == '\\' && i + 1 < n &&
		    (text[i + 1] == '\n' || text[i + 1] == '\r')) {
			i++;
			if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n')
				i++;
			continue;
		}
		text[j++] = text[i];
	}
	text[j] = '\0';
	return j;
}

/*
 * The common case in one pass: the blanks skip_blanks() handles, then an
 * ASCII identifier or a punctuator.  For anything else (another kind of
 * blank, a directive, a number, a literal, a non-ASCII byte, the end) it
 * returns NULL after skipping only those blanks, and lex_next() goes on
 * with the general path.
 */
static struct token *lex_fast(struct lexer *lx, struct arena *a)
{
	const char *start, *p, *end = lx->end;
	int line = lx->line, col = lx->col;
	bool bol = lx->bol;
	enum tok_kind kind;
	struct srcpos pos;
	struct token *t;
	unsigned char cl;

	if (lx->stop)
		return NULL;
	start = skip_blanks(lx->p, end, &line, &col, &bol);
	if (start != lx->p) {
		lx->p = start;
		lx->line = line;
		lx->col = col;
		lx->bol = bol;
		lx->space = true;
	}
	if (start == end)
		return NULL;
	cl = char_class[(unsigned char)*start];
	if ((cl & CC_SLOW) || (*start == '#' && bol))
		return NULL;
	p = start;
	if (cl & CC_IDENT) {
		while (++p < end && (char_class[(unsigned char)*p] & CC_WORD))
			;
		if (p < end && (unsigned char)*p >= 0x80)
			return NULL;	/* columns of UTF-8: the general path */
		kind = TK_IDENT;
	} else {
		p += punct_len(p, end);
		kind = TK_PUNCT;
	}
	if (p < end && *p == '\\')
		return NULL;	/* maybe a line splice inside the token */
	pos.file = lx->file;
	pos.line = line;
	pos.col = col;
	t = new_token(a, kind, &pos, start, (size_t)(p - start), lx->space);
	lx->p = p;
	lx->col = col + (int)(p - start);
	lx->bol = false;
	lx->space = false;
	return t;
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
	if (peek(c, 1) != '\\') {
		/* ASCII without tabs or line ends: a column each */
		n = punct_len(c->p, c->end);
		c->p += n;
		c->col += (int)n;
	} else {
		scan_punct(c);
	}
	return TK_PUNCT;
}

/* a NUL byte: reported as what it is, and the input ends there */
static void nul_byte(struct lexer *lx, const struct srcpos *pos)
{
	diag_error(pos, "NUL byte in the input");
	lx->errors++;
	lx->stop = true;
}

/* a NUL byte inside a literal starting at @start: find its column */
static void nul_in_token(struct lexer *lx, const struct token *t,
			 const char *start)
{
	struct cursor c = { start, lx->end, lx->file, t->pos.line, t->pos.col };
	struct srcpos pos;

	while (peek(&c, 0) > 0)
		adv(&c);
	pos_here(&c, &pos);
	nul_byte(lx, &pos);
}

/*
 * Everything lex_fast() leaves: kept out of line so that the common path
 * does not pay for its stack frame.
 */
static __attribute__((noinline)) struct token *lex_general(struct lexer *lx,
							   struct arena *a)
{
	struct cursor c = { lx->p, lx->end, lx->file, lx->line, lx->col };
	struct token *t;
	bool space = lx->space;
	struct srcpos pos;
	int r = 1;

	while (!lx->stop) {
		const char *p = skip_blanks(c.p, c.end, &c.line, &c.col,
					    &lx->bol);

		if (p != c.p)
			space = true;
		c.p = p;
		if (c.p == c.end || !maybe_space(*c.p))
			break;
		r = skip_space(lx, &c, &space);
		if (r <= 0)
			break;
	}
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
	} else if (peek(&c, 0) == 0) {
		pos_here(&c, &pos);
		nul_byte(lx, &pos);
		t = new_token(a, TK_EOF, &pos, "", 0, true);
	} else {
		const char *start = c.p;
		enum tok_kind kind;

		lx->bol = false;
		pos_here(&c, &pos);
		kind = scan_token(lx, &c, &pos);
		t = new_token(a, kind, &pos, start, (size_t)(c.p - start), space);
		if (c.line != pos.line)		/* a line splice inside */
			t->len = unsplice((char *)t->text, t->len);
		if (memchr(t->text, '\0', t->len))
			nul_in_token(lx, t, start);
		space = false;
	}
	lx->p = c.p;
	lx->line = c.line;
	lx->col = c.col;
	lx->space = space;
	return t;
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
	struct token *t = lex_fast(lx, a);

	return t ? t : lex_general(lx, a);
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
