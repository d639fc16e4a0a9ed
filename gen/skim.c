// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-gen: the fast path of the item splitter.
 *
 * Most of a real header is code without markers: comments, structs,
 * macros, inline functions.  skim_run() runs over such text between the
 * items that matter without making tokens: blank lines and comments,
 * preprocessor lines (a conditional on one plain line is handed to
 * cond.c with the text the lexer would give it), and whole top-level
 * items that cannot hold a marker.  Inside an item it looks only at the
 * bytes that can change where the item ends (brackets, ';', comments,
 * literals); every other byte, line ends included, is passed over in a
 * tight loop, and the lines are counted once, where it hands over.
 * Whether an item can hold a marker is decided up front with memchr():
 * every marker (co_wrapper*, no_co_wrapper*, generated_co_wrapper)
 * contains "co_wrapper", so code that no such string crosses holds none
 * (and for the cowrap flavor, whose naming rule needs the prefix_co_rest
 * function names, none that "_co_" crosses).
 *
 * As soon as it meets anything else (a marker, a conditional with a
 * comment, literal or splice, a line splice in code, a NUL byte, an unbalanced bracket, an unterminated
 * comment or literal, the end of the file) it stops at the start of that
 * item, line or comment, and items.c reads on token by token, so the two
 * paths agree on everything, diagnostics included.
 */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "parse.h"

/* state of one skim_run() */
struct skim {
	const char *p, *end;
	bool bol;		/* only blanks and comments since a line end */
	struct skimmer *sk;
	const char *file;
	const char *lp;		/* @line and @col are those of this byte */
	int line, col;
};

/* what a byte is to the item loop; 0: nothing, passed over (line ends too) */
enum {
	SK_OTHER,
	SK_SLASH,	/* maybe a comment */
	SK_HASH,	/* maybe a directive */
	SK_QUOTE,
	SK_OPEN,
	SK_CLOSE,
	SK_SEMI,
	SK_STOP,	/* backslash, NUL: left to the full lexer */
};

static unsigned char sk_class[256];
static bool sk_ident[256];	/* a-z A-Z 0-9 _ $ and bytes >= 0x80 */
static bool sk_blank[256];	/* space, tab, FF, VT */
static bool sk_dir[256];	/* what a directive's line looks at */

static void skim_init(void)
{
	int c;

	if (sk_class['('])
		return;
	for (c = 0; c < 256; c++)
		sk_ident[c] = ident_byte((unsigned char)c);
	sk_blank[' '] = sk_blank['\t'] = sk_blank['\f'] = sk_blank['\v'] = true;
	sk_dir['\n'] = sk_dir['\r'] = sk_dir['\\'] = sk_dir['\0'] = true;
	sk_dir['/'] = sk_dir['"'] = sk_dir['\''] = true;
	sk_class['/'] = SK_SLASH;
	sk_class['#'] = SK_HASH;
	sk_class['"'] = sk_class['\''] = SK_QUOTE;
	sk_class['('] = sk_class['['] = sk_class['{'] = SK_OPEN;
	sk_class[')'] = sk_class[']'] = sk_class['}'] = SK_CLOSE;
	sk_class[';'] = SK_SEMI;
	sk_class['\\'] = sk_class['\0'] = SK_STOP;
}

/*
 * The first @n-byte @pat at or after @p, or @end.  memchr() for its byte
 * @key (at @k in it; one that is rare in C) and a compare around it is
 * several times faster than memmem() over text that mostly lacks it.
 */
static const char *find(const char *p, const char *end, const char *pat,
			size_t n, size_t k)
{
	const char *q;

	if ((size_t)(end - p) < n)
		return end;
	for (q = p + k; q < end;) {
		q = memchr(q, pat[k], (size_t)(end - q));
		if (!q)
			break;
		if ((size_t)(end - q) >= n - k && !memcmp(q - k, pat, n))
			return q - k;
		q++;
	}
	return end;
}

/* bring the next marker and "_co_" up to @p (both are at or after it) */
static void refind(struct skim *s)
{
	struct skimmer *sk = s->sk;

	if (!sk->marker || sk->marker < s->p)
		sk->marker = find(s->p, s->end, "co_wrapper", 10, 3);
	if (sk->names && (!sk->co || sk->co < s->p))
		sk->co = find(s->p, s->end, "_co_", 4, 2);
}

/* did the code passed over up to s->p contain a marker (or "_co_")? */
static bool crossed(const struct skim *s)
{
	return s->p > s->sk->marker || (s->sk->names && s->p > s->sk->co);
}

/* a line end: LF, CR or CR LF (lines are counted by skim_run()) */
static void newline(struct skim *s)
{
	if (*s->p == '\r' && s->p + 1 < s->end && s->p[1] == '\n')
		s->p++;
	s->p++;
	s->bol = true;
}

/*
 * A block comment from "/" "*"; false if it is unterminated.  Comments
 * are a large part of a header: memchr() finds the end.  A comment is
 * blank: it keeps s->bol.
 */
static bool block_comment(struct skim *s)
{
	const char *p = s->p + 2, *end = s->end, *q = p;

	for (;;) {
		q = q < end ? memchr(q, '/', (size_t)(end - q)) : NULL;
		if (!q)
			return false;
		if (q > p && q[-1] == '*')
			break;
		q++;
	}
	s->p = q + 1;
	return true;
}

/* a line comment up to its line end; false if a splice continues it */
static bool line_comment(struct skim *s)
{
	const char *p = s->p;

	for (; p < s->end && *p != '\n' && *p != '\r'; p++)
		if (*p == '\\')
			return false;
	s->p = p;
	return true;
}

/* a comment at s->p if there is one: 1, 0 for none, -1 to give up */
static int comment(struct skim *s)
{
	bool ok;

	if (s->p + 1 >= s->end || *s->p != '/')
		return 0;
	if (s->p[1] == '*')
		ok = block_comment(s);
	else if (s->p[1] == '/')
		ok = line_comment(s);
	else
		return 0;
	if (!ok)
		return -1;
	refind(s);
	return 1;
}

/* a string or character literal; false if it needs the full lexer */
static bool literal(struct skim *s)
{
	const char *p = s->p + 1, *end = s->end;
	char q = *s->p;

	while (p < end) {
		char c = *p;

		if (c == q) {
			s->p = p + 1;
			refind(s);
			return true;
		}
		if (c == '\n' || c == '\r' || !c)
			return false;
		if (c == '\\') {
			if (p + 1 >= end || p[1] == '\n' || p[1] == '\r')
				return false;
			p++;
		}
		p++;
	}
	return false;
}

/*
 * Is [@p, @e) blank to the C tokenizer (whitespace, line ends and
 * comments)?  It was passed over already, so it holds no splice or NUL.
 */
static bool gap_is_blank(const char *p, const char *e)
{
	while (p < e) {
		if (sk_blank[(unsigned char)*p] || *p == '\n' || *p == '\r') {
			p++;
		} else if (*p == '/' && p + 1 < e && p[1] == '*') {
			for (p += 2; p + 1 < e && !(p[0] == '*' && p[1] == '/'); p++)
				;
			p += 2;
		} else if (*p == '/' && p + 1 < e && p[1] == '/') {
			while (p < e && *p != '\n' && *p != '\r')
				p++;
		} else {
			return false;
		}
	}
	return true;
}

/*
 * Could a '#' at @p (in an item that started at @from) start a directive:
 * is there only blank, or maybe a comment, before it on its line?
 */
static bool maybe_bol(const char *p, const char *from)
{
	while (p > from && sk_blank[(unsigned char)p[-1]])
		p--;
	return p == from || p[-1] == '\n' || p[-1] == '\r' || p[-1] == '/';
}

/* what one item's loop keeps */
struct item_state {
	const char *start;
	const char *rparen;	/* the last ')' with only blanks after it */
	bool body;		/* a function body is open */
};

/*
 * A bracket at s->p; 1 when it ends the item (the '}' of a body), 0 to go
 * on, -1 if it does not match.  A '{' at the top right after ')' opens a
 * function body.
 */
static int bracket(struct skim *s, struct item_state *is)
{
	struct strbuf *st = &s->sk->stack;
	char c = *s->p, want;
	const char *rparen = is->rparen;

	is->rparen = c == ')' ? s->p : NULL;
	if (c == '(' || c == '[' || c == '{') {
		if (c == '{' && !st->len && rparen &&
		    gap_is_blank(rparen + 1, s->p))
			is->body = true;
		sb_add(st, &c, 1);
		s->p++;
		return 0;
	}
	want = c == ')' ? '(' : c == ']' ? '[' : '{';
	if (!st->len || st->buf[st->len - 1] != want)
		return -1;
	st->len--;
	s->p++;
	return !st->len && is->body;
}

/*
 * One interesting byte of class @cl inside an item; 1 when it ends the
 * item, 0 to go on, -1 to give up.
 */
static int item_byte(struct skim *s, struct item_state *is, int cl)
{
	int r;

	switch (cl) {
	case SK_SLASH:
		r = comment(s);
		if (r)
			return r < 0 ? -1 : 0;
		break;
	case SK_HASH:
		if (maybe_bol(s->p, is->start))
			return -1;	/* maybe a directive */
		break;
	case SK_QUOTE:
		is->rparen = NULL;
		return literal(s) ? 0 : -1;
	case SK_OPEN:
	case SK_CLOSE:
		return bracket(s, is);
	case SK_SEMI:
		is->rparen = NULL;
		s->p++;
		return !s->sk->stack.len;
	default:
		return -1;
	}
	is->rparen = NULL;	/* a '/' or '#' punctuator */
	s->p++;
	return 0;
}

#ifdef __SSE2__
/* bytes equal to @c in @x, as 0xff */
static inline __m128i eq(__m128i x, char c)
{
	return _mm_cmpeq_epi8(x, _mm_set1_epi8(c));
}

/*
 * A mask of the bytes of @x that may be of a class other than SK_OTHER:
 * '"' '#' (0x22 0x23), '(' ')' (0x28 0x29), '[' '{', '\\' '|', ']' '}'
 * (0x5b..0x5d with and without 0x20) are tested in pairs; '|' is the one
 * that is not, the caller checks sk_class[].
 */
static inline unsigned int may_stop(__m128i x)
{
	__m128i o = _mm_or_si128(x, _mm_set1_epi8(1));
	__m128i y = _mm_and_si128(x, _mm_set1_epi8((char)0xdf));
	__m128i m;

	m = _mm_or_si128(eq(o, 0x23), eq(o, 0x29));
	m = _mm_or_si128(m, _mm_or_si128(eq(x, '\''), eq(x, '/')));
	m = _mm_or_si128(m, _mm_or_si128(eq(x, ';'), eq(x, 0)));
	m = _mm_or_si128(m, _mm_or_si128(eq(y, 0x5b), eq(y, 0x5c)));
	m = _mm_or_si128(m, eq(y, 0x5d));
	return (unsigned int)_mm_movemask_epi8(m);
}
#endif

/* the first byte from @p of a class other than SK_OTHER, or @end */
static const char *other_run(const char *p, const char *end)
{
#ifdef __SSE2__
	for (; end - p >= 16; p += 16) {
		unsigned int m = may_stop(_mm_loadu_si128((const __m128i *)p));

		for (; m; m &= m - 1) {
			int i = __builtin_ctz(m);

			if (sk_class[(unsigned char)p[i]])
				return p + i;
		}
	}
#endif
	while (p < end && !sk_class[(unsigned char)*p])
		p++;
	return p;
}

/* a whole item from s->p; true if it ended, false to give up */
static bool item(struct skim *s)
{
	struct item_state is = { s->p, NULL, false };
	const char *end = s->end;

	s->sk->stack.len = 0;
	for (;;) {
		const char *p = other_run(s->p, end);
		int r, cl;

		s->p = p;
		if (crossed(s) || p >= end)
			return false;
		cl = sk_class[(unsigned char)*p];
		r = item_byte(s, &is, cl);
		if (r)
			return r > 0;
	}
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

/* where skim_run() may hand over to the lexer */
struct safe {
	const char *p;
	bool bol;
	bool space;
};

static void save(struct safe *sv, const struct skim *s, bool space)
{
	sv->p = s->p;
	sv->bol = s->bol;
	sv->space = space;
}

/* how many LF bytes [@p, @e) holds */
static int count_lf(const char *p, const char *e)
{
	int n = 0;

#ifdef __SSE2__
	while (e - p >= 16) {
		__m128i acc = _mm_setzero_si128();
		int k;

		/* each byte of acc counts up to 255 line ends */
		for (k = 0; k < 255 && e - p >= 16; k++, p += 16)
			acc = _mm_sub_epi8(acc, eq(_mm_loadu_si128((const __m128i *)p),
						   '\n'));
		acc = _mm_sad_epu8(acc, _mm_setzero_si128());
		n += _mm_cvtsi128_si32(acc) +
		     _mm_cvtsi128_si32(_mm_srli_si128(acc, 8));
	}
#endif
	for (; (p = memchr(p, '\n', (size_t)(e - p))); p++)
		n++;
	return n;
}

/*
 * Bring s->line and s->col from s->lp up to @to (lines are counted only
 * where they are needed).  A file that uses CR line ends takes the slow
 * loop.
 */
static void advance_lines(struct skim *s, const char *to)
{
	const char *p, *from = s->lp, *ls = NULL;
	int n;

	if (!memchr(from, '\r', (size_t)(to - from))) {
		n = count_lf(from, to);
		s->line += n;
		for (p = to; n && p[-1] != '\n'; p--)
			;
		ls = n ? p : NULL;
	} else {
		for (p = from; p < to; p++) {
			if (*p != '\n' && *p != '\r')
				continue;
			if (*p == '\r' && p + 1 < to && p[1] == '\n')
				p++;
			s->line++;
			ls = p + 1;
		}
	}
	s->col = ls ? advance_col(1, ls, to) : advance_col(s->col, from, to);
	s->lp = to;
}

/*
 * A conditional directive (or the include guard's #define) at s->p, on
 * one line with no comment, literal or splice: its text as the lexer
 * makes it (read_directive(): blanks collapsed, none at the ends) goes
 * to sk->directive().  False if the line is not that simple.
 */
static bool cond_line(struct skim *s)
{
	struct skimmer *sk = s->sk;
	struct strbuf *sb = &sk->text;
	const char *p, *end = s->end;
	bool blank = false;
	struct token t;

	if (!sk->directive)
		return false;
	sb->len = 0;
	for (p = s->p + 1; p < end && *p != '\n' && *p != '\r'; p++) {
		unsigned char c = (unsigned char)*p;

		if (sk_dir[c])
			return false;	/* '/', a quote, '\\', NUL */
		if (sk_blank[c]) {
			blank = true;
			continue;
		}
		if (blank && sb->len)
			sb_add(sb, " ", 1);
		blank = false;
		sb_add(sb, p, 1);
	}
	sb_reserve(sb, 1);
	sb->buf[sb->len] = '\0';
	memset(&t, 0, sizeof(t));
	t.kind = TK_DIRECTIVE;
	t.text = sb->buf;
	t.len = sb->len;
	advance_lines(s, s->p);
	t.pos.file = s->file;
	t.pos.line = s->line;
	t.pos.col = s->col;
	t.space_before = true;
	t.kw = -1;
	sk->directive(sk->arg, &t);
	s->p = p;
	return true;
}

/*
 * The rest of a directive line after its first word, as read_directive()
 * in tokenize.c reads it: splices join lines, block comments may span
 * them, literals hide comments.  False to give up.
 */
static bool directive_rest(struct skim *s)
{
	const char *end = s->end;
	char quote = 0;

	while (s->p < end && *s->p != '\n' && *s->p != '\r') {
		const char *p = s->p;
		char c;

		while (p + 1 < end && !sk_dir[(unsigned char)*p])
			p++;
		s->p = p;
		c = *p;
		if (c == '\n' || c == '\r')
			break;

		if (c == '\\' && p + 1 < end && (p[1] == '\n' || p[1] == '\r')) {
			s->p = p + 1;
			newline(s);	/* keeps s->bol: that is the '#' line's */
			continue;
		}
		if (!c)
			return false;
		if (!quote && c == '/' && p + 1 < end &&
		    (p[1] == '*' || p[1] == '/')) {
			if (comment(s) <= 0)
				return false;
			continue;
		}
		if (quote && c == '\\' && p + 1 < end) {
			s->p = p + 2;
			continue;
		}
		if (c == '"' || c == '\'')
			quote = !quote ? c : quote == c ? 0 : quote;
		s->p++;
	}
	return true;
}

/*
 * A directive at s->p (a '#' at a line start); *@other is set for one
 * that does nothing to the conditionals (the caller tells cond.c).
 */
static bool directive(struct skim *s, const struct cond_state *cs,
		      bool *other)
{
	const char *p = s->p + 1, *w;

	while (p < s->end && sk_blank[(unsigned char)*p])
		p++;
	for (w = p; p < s->end && sk_ident[(unsigned char)*p] &&
	     (unsigned char)*p < 0x80; p++)
		;
	if (p == w || (p < s->end && *p == '\\'))
		return false;
	/* the include guard's #define and conditionals: cond.c decides */
	*other = false;
	if (cs->guard_wait_define || cond_word(w, (size_t)(p - w)))
		return cond_line(s);
	*other = true;
	s->p = p;
	if (!directive_rest(s))
		return false;
	refind(s);
	return true;
}

/* one piece at s->p: blank, comment, directive or item; false: stop */
static bool piece(struct skim *s, struct cond_state *cs, bool *space)
{
	unsigned char c = (unsigned char)*s->p;
	bool other;

	if (sk_blank[c]) {
		s->p++;
		*space = true;
		return true;
	}
	if (c == '\n' || c == '\r') {
		newline(s);
		*space = true;
		return true;
	}
	if (c == '/') {
		if (comment(s) <= 0)
			return false;
		*space = true;
		return true;
	}
	if (c == '#' && s->bol) {
		if (!directive(s, cs, &other))
			return false;
		if (other)
			cond_other_token(cs);
		*space = true;
		return true;
	}
	if (!sk_ident[c] || (c >= '0' && c <= '9') || !item(s))
		return false;
	cond_other_token(cs);
	s->bol = false;
	*space = false;
	return true;
}

/**
 * skim_run() - pass over blanks, comments, plain directives and items
 *              without a marker
 * @sk: the skimmer of this input (skimmer_init())
 * @lx: lexer; on return it is at the first thing the fast path leaves to
 *      it (or at @lx->end)
 * @cs: conditional tracker (told about every item and directive passed)
 * @budget: return at the first boundary after this many bytes
 */
void skim_run(struct skimmer *sk, struct lexer *lx, struct cond_state *cs,
	      size_t budget)
{
	struct skim s = {
		.p = lx->p, .end = lx->end, .bol = lx->bol, .sk = sk,
		.file = lx->file, .lp = lx->p, .line = lx->line, .col = lx->col,
	};
	struct safe sv;
	bool space = lx->space;

	if (lx->stop)
		return;
	refind(&s);
	save(&sv, &s, space);
	while (s.p < s.end && (size_t)(s.p - lx->p) < budget &&
	       piece(&s, cs, &space))
		save(&sv, &s, space);
	if (sv.p == lx->p)
		return;
	advance_lines(&s, sv.p);
	lx->line = s.line;
	lx->col = s.col;
	lx->p = sv.p;
	lx->bol = sv.bol;
	lx->space = sv.space;
}

/**
 * skimmer_init() - prepare the fast path for one input
 * @sk: skimmer
 * @m: model (its flavor decides whether "_co_" names matter)
 * @buf: the input
 * @directive: receives the conditional directives skim_run() reads (and
 *             the include guard's #define); NULL leaves them to the lexer
 * @arg: passed to @directive
 */
void skimmer_init(struct skimmer *sk, const struct model *m, const char *buf,
		  void (*directive)(void *arg, const struct token *t),
		  void *arg)
{
	skim_init();
	memset(sk, 0, sizeof(*sk));
	sk->names = m->flavor != FLAVOR_QEMU;
	sk->directive = directive;
	sk->arg = arg;
	(void)buf;	/* the strings are found at the first skim_run() */
}

/**
 * skimmer_free() - release what the skimmer holds
 * @sk: skimmer
 */
void skimmer_free(struct skimmer *sk)
{
	sb_free(&sk->stack);
	sb_free(&sk->text);
}
