/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrap-gen: shared types of the tokenizer, conditional tracker, parser,
 * model and emitters.  Each phase lives in its own file:
 *
 *   util.c      arena allocator, string buffer
 *   diag.c      file:line:col diagnostics
 *   tokenize.c  bytes -> tokens (comments dropped, preprocessor lines kept)
 *   cond.c      #if/#ifdef/#elif/#else/#endif tracking, include guards
 *   items.c     top-level item splitter (declarations, bodies, directives)
 *   brackets.c  bracket matching across preprocessor branches (for items.c)
 *   skim.c      fast path of items.c over items without a marker
 *   parse.c     marked-declaration parser (parse.h: shared with items.c)
 *   plist.c     parameter lists too long to keep as tokens, read again
 *   model.c     naming rule, duplicates, context rules, type helpers
 *   emit.c      emitter seam: shared output helpers and flavor dispatch
 *   emit-cowrap.c  the kernel (cowrap) flavor
 *   emit-qemu.c    the QEMU flavor (--flavor=qemu)
 *   main.c      command line, output handling
 */
#ifndef COWRAP_GEN_H
#define COWRAP_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifndef COWRAP_GEN_VERSION
#define COWRAP_GEN_VERSION "0.0.0-unknown"
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- util.c ---- */

/**
 * copy_bytes() - memcpy() for the short runs the generator mostly copies
 * @d: destination
 * @s: source
 * @n: bytes
 *
 * Up to 16 bytes become two fixed-size copies that may overlap, which
 * compile to a few moves instead of a library call; nothing outside
 * @s[0..@n) is read.
 */
static inline void copy_bytes(char *d, const char *s, size_t n)
{
	if (n > 16) {
		memcpy(d, s, n);
	} else if (n >= 8) {
		memcpy(d, s, 8);
		memcpy(d + n - 8, s + n - 8, 8);
	} else if (n >= 4) {
		memcpy(d, s, 4);
		memcpy(d + n - 4, s + n - 4, 4);
	} else if (n) {
		d[0] = s[0];
		d[n / 2] = s[n / 2];
		d[n - 1] = s[n - 1];
	}
}

struct arena_chunk;

/**
 * struct arena - bump allocator; everything a run allocates is freed at once
 * @cur: first free byte of the newest chunk (NULL before the first one)
 * @end: end of the newest chunk
 * @head: newest chunk; each links to the one before
 */
struct arena {
	char *cur;
	char *end;
	struct arena_chunk *head;
};

#define ARENA_ALIGN	_Alignof(max_align_t)

void *arena_alloc(struct arena *a, size_t size);
void *arena_alloc_slow(struct arena *a, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t n);
void arena_reset(struct arena *a);
void arena_adopt(struct arena *dst, struct arena *src);
void arena_free(struct arena *a);

/*
 * The allocation fast paths are inline: the tokenizer allocates every
 * token from an arena.
 */

/**
 * arena_alloc_aligned() - memory aligned to @align, not zeroed
 * @a: the arena
 * @size: bytes wanted
 * @align: a power of two, at most ARENA_ALIGN
 *
 * Return: the memory; exits on out-of-memory.
 */
static inline void *arena_alloc_aligned(struct arena *a, size_t size,
					size_t align)
{
	size_t pad, room;
	char *p;

	if (!a->cur)
		return arena_alloc_slow(a, size);
	pad = -(uintptr_t)a->cur & (align - 1);
	room = (size_t)(a->end - a->cur);
	if (room < pad || room - pad < size)
		return arena_alloc_slow(a, size);
	p = a->cur + pad;
	a->cur = p + size;
	return p;
}

/**
 * arena_alloc_raw() - like arena_alloc() but the memory is not zeroed
 * @a: the arena
 * @size: bytes wanted
 *
 * Return: suitably aligned memory; exits on out-of-memory.
 */
static inline void *arena_alloc_raw(struct arena *a, size_t size)
{
	return arena_alloc_aligned(a, size, ARENA_ALIGN);
}

/**
 * arena_alloc_bytes() - unaligned, unzeroed memory (for strings)
 * @a: the arena
 * @size: bytes wanted
 *
 * Return: the memory; exits on out-of-memory.
 */
static inline void *arena_alloc_bytes(struct arena *a, size_t size)
{
	char *p = a->cur;

	if (!p || (size_t)(a->end - p) < size)
		return arena_alloc_slow(a, size);
	a->cur = p + size;
	return p;
}

/**
 * struct strbuf - growable byte buffer (malloc based)
 * @buf: contents; there is always room for a terminator after them, but
 *       only sb_printf() writes one (sb_add() leaves it out: it runs for
 *       every piece of the output)
 * @len: bytes used, without a terminator
 * @cap: bytes allocated
 * @flush: if not NULL, sb_flush_point() hands the contents to it once
 *         they reach SB_FLUSH_BYTES (it must consume and empty the
 *         buffer); the emitters set it for an output streamed to a file
 * @flush_arg: passed to @flush
 */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
	void (*flush)(struct strbuf *sb, void *arg);
	void *flush_arg;
};

void sb_reserve(struct strbuf *sb, size_t n);
void sb_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_free(struct strbuf *sb);

/**
 * sb_add() - append @n bytes
 * @sb: buffer
 * @s: bytes
 * @n: count
 *
 * Inline: the emitters append about a hundred short pieces per
 * declaration, and with a constant @n (sb_lit()) the copy compiles to a
 * few moves.
 */
static inline void sb_add(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->cap - sb->len <= n)
		sb_reserve(sb, n);
	copy_bytes(sb->buf + sb->len, s, n);
	sb->len += n;
}

/**
 * sb_puts() - append a C string
 * @sb: buffer
 * @s: string
 */
static inline void sb_puts(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

#define SB_FLUSH_BYTES	(64 * 1024)

/**
 * sb_flush_point() - a place where the contents may be handed to @sb->flush
 * @sb: buffer
 *
 * Called between pieces of output that are complete, so that an output
 * streamed to a file never needs more than about SB_FLUSH_BYTES of memory,
 * however long one declaration's part of it is.
 */
static inline void sb_flush_point(struct strbuf *sb)
{
	if (sb->flush && sb->len >= SB_FLUSH_BYTES)
		sb->flush(sb, sb->flush_arg);
}

/* append a string literal (its length is known at compile time) */
#define sb_lit(sb, lit)	sb_add((sb), "" lit, sizeof(lit) - 1)

const char *find_co_infix(const char *s);

/* ---- diag.c ---- */

/**
 * struct srcpos - a position in an input file, as given on the command line
 * @file: path as given by the user
 * @line: 1-based line
 * @col: 1-based display column (tabs advance to the next multiple of 8
 *       plus one, as gcc counts them)
 */
struct srcpos {
	const char *file;
	int line;
	int col;
};

void diag_set_quiet(bool quiet);
void diag_error(const struct srcpos *pos, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void diag_note(const struct srcpos *pos, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void diag_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int diag_error_count(void);
struct srcpos diag_first_error(void);
void diag_reset(void);

/* ---- tokenize.c ---- */

enum tok_kind {
	TK_IDENT,
	TK_NUMBER,
	TK_STRING,
	TK_CHAR,
	TK_PUNCT,
	TK_DIRECTIVE,	/* a whole preprocessor line, continuations joined */
	TK_PARAMS,	/* stands for a long parameter list (items.c, plist.c) */
	TK_EOF,
};

/**
 * struct token - one token of an input file
 * @kind: what it is
 * @text: spelling (NUL-terminated, arena owned); for TK_DIRECTIVE the line
 *        after '#' with comments removed and whitespace collapsed
 * @len: strlen(@text)
 * @pos: where it starts
 * @space_before: whitespace or a comment separated it from the previous token
 * @punct: for a one-character punctuator that character, otherwise '\0'
 * @kw: keyword classes of @text, a cache the parser fills (-1: not yet)
 * @next: following token
 */
struct token {
	enum tok_kind kind;
	const char *text;
	size_t len;
	struct srcpos pos;
	bool space_before;
	char punct;
	int kw;
	struct token *next;
};

/**
 * struct lexer - state of the streaming tokenizer over one buffer
 * @file: name used in diagnostics
 * @p: next byte
 * @end: end of the buffer
 * @line: line of @p
 * @col: display column of @p
 * @bol: only whitespace and comments since the last line start
 * @space: whitespace or a comment precedes @p
 * @stop: the end (or an unterminated comment) was reached
 * @errors: lexical errors reported so far
 */
struct lexer {
	const char *file;
	const char *p;
	const char *end;
	int line;
	int col;
	bool bol;
	bool space;
	bool stop;
	int errors;
};

void lexer_init(struct lexer *lx, const char *file, const char *buf,
		size_t len);
struct token *lex_next(struct lexer *lx, struct arena *a);
struct token *tokenize(struct arena *a, const char *file, const char *buf,
		       size_t len);
bool tok_is(const struct token *t, const char *s);

/* is @t the one-character punctuator @c (not '\0')? */
static inline bool tok_ch(const struct token *t, char c)
{
	return t->punct == c;
}

/* can byte @c be part of an identifier: a-z A-Z 0-9 _ $ or 0x80 and up? */
static inline bool ident_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '$' || c >= 0x80;
}

/* the bracket that closes the opening bracket @open ( [ { */
static inline char bracket_closer(char open)
{
	return open == '(' ? ')' : open == '[' ? ']' : '}';
}

/* 1 if @t opens a bracket ( [ {, -1 if it closes one, 0 otherwise */
static inline int tok_bracket(const struct token *t)
{
	switch (t->punct) {
	case '(': case '[': case '{':
		return 1;
	case ')': case ']': case '}':
		return -1;
	default:
		return 0;
	}
}

/* ---- cond.c ---- */

/**
 * struct cond - one branch of a preprocessor conditional
 * @parent: enclosing branch, NULL at file level
 * @flags: the directive's word (COND_WORD), and COND_SPACE, COND_LATER,
 *         COND_GUARD, COND_ELSE_SEEN
 * @line: where the directive is (for "unterminated" messages)
 * @col: its column
 * @text: what follows the directive's word, NUL-terminated: "A" for
 *        "#if A" (COND_SPACE set), "(A)" for "#if(A)"
 *
 * A deep nest of #if costs a branch per level, so a branch is as small as
 * it can be: the first branch of a group is the group (it carries
 * COND_GUARD and COND_ELSE_SEEN), and only a later branch (#elif, #else)
 * is preceded by a &struct cond_more.  Read them with cond_prev(),
 * cond_group() and cond_index(); cond_text() gives the whole directive.
 * A branch holds only its own directive, so that a group of n branches
 * costs O(n), however many #elif it has.
 */
struct cond {
	struct cond *parent;
	unsigned int flags;
	int line;
	int col;
	char text[];
};

#define COND_WORD	0x07u	/* index into cond.c's words[] */
#define COND_SPACE	0x08u	/* a space between the word and @text */
#define COND_LATER	0x10u	/* not the group's first branch */
#define COND_GUARD	0x20u	/* group taken for the include guard */
#define COND_ELSE_SEEN	0x40u	/* the group has had its #else */

/**
 * struct cond_more - what a later branch of a group adds (just before it)
 * @prev: the branch before it in the same group
 * @group: the group's first branch
 * @index: position in the group (the first branch is 0)
 */
struct cond_more {
	const struct cond *prev;
	struct cond *group;
	unsigned int index;
};

/**
 * struct cond_at - where a declaration sits among the conditionals
 * @branch: innermost branch around it, NULL at file level
 * @guard: the first group of the file when @branch is inside it and it
 *         may be the include guard (COND_GUARD tells whether it is)
 * @depth: number of branches around it (@branch and its parents)
 */
struct cond_at {
	const struct cond *branch;
	const struct cond *guard;
	size_t depth;
};

/* @at is inside the group taken for the file's include guard */
static inline bool cond_in_guard(const struct cond_at *at)
{
	return at->guard && (at->guard->flags & COND_GUARD);
}

/**
 * struct cond_state - conditional tracker of one input file
 * @cur: innermost open branch, NULL at file level
 * @depth: number of open groups
 * @guard_candidate: the first group of the file when it looks like an
 *                   include guard (#ifndef X followed by #define X)
 * @guard_macro: the macro it tests
 * @guard_open: @guard_candidate is still open
 * @guard_wait_define: the next line must be its #define
 * @after_guard: something other than whitespace/comments followed the
 *               candidate's #endif
 * @seen_code: a token preceded the first directive
 */
struct cond_state {
	struct cond *cur;
	size_t depth;
	struct cond *guard_candidate;
	const char *guard_macro;
	bool guard_open;
	bool guard_wait_define;
	bool after_guard;
	bool seen_code;
};

/* what a directive does to the conditionals (cond_directive()) */
enum cond_kind {
	COND_OTHER,
	COND_IF,	/* #if, #ifdef, #ifndef */
	COND_ELSE,	/* #elif, #else, #elifdef, #elifndef */
	COND_ENDIF,
};

int cond_directive(struct arena *a, struct cond_state *cs,
		   const struct token *dir);
void cond_other_token(struct cond_state *cs);
bool cond_word(const char *w, size_t n);
int cond_finish(struct cond_state *cs, const struct srcpos *eof);
struct cond_at cond_here(const struct cond_state *cs);
const struct cond *cond_prev(const struct cond *c);
const struct cond *cond_group(const struct cond *c);
unsigned int cond_index(const struct cond *c);
void cond_text(struct strbuf *out, const struct cond *c);

/* ---- model ---- */

enum marker {
	MK_CO_WRAPPER,
	MK_CO_WRAPPER_MIXED,
	MK_NO_CO_WRAPPER,
	/* QEMU flavor only */
	MK_CO_WRAPPER_BDRV_RDLOCK,
	MK_CO_WRAPPER_MIXED_BDRV_RDLOCK,
	MK_NO_CO_WRAPPER_BDRV_RDLOCK,
	MK_NO_CO_WRAPPER_BDRV_WRLOCK,
	MK_NR,
};

/**
 * struct param - one parameter of a marked declaration
 * @text: the parameter exactly as written (tokens joined, comments
 *        dropped, whitespace collapsed)
 * @field: the same declaration adjusted for a struct field (arrays and
 *         functions decayed to pointers)
 * @type: the type alone (@text without the name), for context rules;
 *        set for the first parameter only (NULL for the others)
 * @name: the parameter name
 * @text_len: strlen(@text)
 * @field_len: strlen(@field)
 * @name_len: strlen(@name)
 *
 * The lengths spare the emitters a strlen() for every piece they append;
 * they are unsigned int to keep the model small (memory the model touches
 * costs more than the copying).
 */
struct param {
	const char *text;
	const char *field;
	const char *type;
	const char *name;
	unsigned int text_len;
	unsigned int field_len;
	unsigned int name_len;
};

/**
 * struct decl - one marked declaration
 * @marker: which marker
 * @is_void: @ret is void
 * @ret_ptr: @ret ends with '*' (no space before a name that follows it)
 * @marker_pos: where the marker is
 * @name: declared function name (the wrapper's name)
 * @name_pos: where the name is
 * @target: the function the wrapper runs (prefix_co_rest or prefix_rest)
 * @ret: return type without top-level qualifiers ("void" for none)
 * @name_len: strlen(@name)
 * @target_len: strlen(@target)
 * @ret_len: strlen(@ret)
 * @nparams: number of parameters
 * @params: the parameters; when @plist is set, only the first (what the
 *          context rules look at): the others are read again from the
 *          input by the param_batch functions
 * @plist: the source of a parameter list too long to keep (plist.c), or
 *         NULL
 * @cond: where it is among the preprocessor conditionals
 * @file_index: index of the input file
 * @next: next declaration in input order
 */
struct decl {
	enum marker marker;
	bool is_void;
	bool ret_ptr;
	struct srcpos marker_pos;
	const char *name;
	struct srcpos name_pos;
	const char *target;
	const char *ret;
	unsigned int name_len;
	unsigned int target_len;
	unsigned int ret_len;
	int nparams;
	struct param *params;
	const struct plist *plist;
	struct cond_at cond;
	int file_index;
	struct decl *next;
};

/**
 * struct ctx_rule - "--ctx TYPE=ACCESSOR"
 * @type: tokens of TYPE joined by single spaces
 * @accessor: function or macro applied to the first parameter
 */
struct ctx_rule {
	const char *type;
	const char *accessor;
};

enum flavor {
	FLAVOR_COWRAP,
	FLAVOR_QEMU,
};

/**
 * struct name_set - open-addressing hash set of identifiers
 */
struct name_set {
	struct name_slot *slots;
	size_t cap;
	size_t count;
};

/**
 * struct name_slot - one entry of a &struct name_set
 * @name: the identifier, NULL for a free slot (no hash is kept: the
 *        sets hold a name per wrapper, and a slot of 8 bytes instead of
 *        16 is what memory goes to)
 */
struct name_slot {
	const char *name;
};

/**
 * struct wrapper_set - the wrapper names seen, each with its position
 * @slots: open-addressing table: 0 free, else 1 + an offset into @data
 * @cap: number of slots (a power of two, or 0)
 * @count: names held
 * @data: the entries (model.c)
 */
struct wrapper_set {
	uint32_t *slots;
	size_t cap;
	size_t count;
	struct strbuf data;
};

void name_set_reserve(struct name_set *ns, size_t n);
bool name_set_add(struct name_set *ns, const char *name);
bool name_set_add_copy(struct name_set *ns, struct arena *a, const char *name,
		       size_t len);
bool name_set_has(const struct name_set *ns, const char *name);
void name_set_free(struct name_set *ns);

/**
 * struct model - everything read from the inputs plus the options that
 *                shape the output
 * @consumed: if not NULL, the readers of the buffer call it now and then
 *            (model_read_to()) with a stretch they have read, which
 *            they do not need now: main.c then drops the pages of a
 *            mapped input, so that memory does not grow with the file
 *            (reading them again would fault them in again)
 * @consumed_arg: passed to @consumed
 * @spill_tokens: a parameter list that holds more tokens than this is
 *                not kept as tokens (see &struct plist); 0 means
 *                SPILL_TOKENS (--spill-tokens, for the tests)
 * @token_only: read everything token by token, without the fast path of
 *              skim.c (the fuzz target compares the two)
 * @stream: if not NULL, parse_decl() hands it every declaration instead
 *          of appending it to the list; the declaration is allocated in
 *          @decls, which @stream may reset (main.c writes the output of
 *          each declaration as it comes); parse_buffer() calls it with
 *          NULL after every item, once the item's tokens are freed
 * @stream_arg: for @stream
 * @decls: see @stream
 */
struct model {
	struct arena arena;
	enum flavor flavor;
	const char **inputs;
	int ninputs;
	const char **includes;
	int nincludes;
	struct ctx_rule *rules;
	int nrules;
	const char *default_ctx;
	const char **prefixes;
	int nprefixes;
	const char **attr_macros;
	int nattr_macros;
	struct decl *first;
	struct decl *last;
	int ndecls;
	struct name_set functions;	/* every function name seen */
	struct wrapper_set wrappers;	/* every marked name, where it was */
	void (*consumed)(const char *from, const char *upto, void *arg);
	void *consumed_arg;
	int spill_tokens;
	bool token_only;
	void (*stream)(struct model *m, struct decl *d);
	void *stream_arg;
	struct arena decls;
};

int parse_buffer(struct model *m, int file_index, const char *file,
		 const char *buf, size_t len);

/* how far a reader reads between two calls of model->consumed() */
#define CONSUMED_STEP	(256 * 1024)

/**
 * model_read_to() - tell @m->consumed (if set) about what was read
 * @m: model
 * @told: where the stretch not told yet starts; moved to @p when told
 * @p: how far the reader has read
 *
 * Calls @m->consumed once at least CONSUMED_STEP bytes were read.
 */
static inline void model_read_to(const struct model *m, const char **told,
				 const char *p)
{
	if (m->consumed && p - *told >= CONSUMED_STEP) {
		m->consumed(*told, p, m->consumed_arg);
		*told = p;
	}
}

/* ---- plist.c ---- */

#define SPILL_TOKENS	1024

/**
 * struct plist - where a parameter list too long to keep is read again
 * @lx: the lexer as it stood right after the list's '('; its @end is just
 *      past the list's ')'
 * @m: the model (keyword classes, attribute macros)
 * @mapped: @lx reads the input itself (not a plist_keep() copy): its pages
 *          are given back behind the reader (&model.consumed)
 *
 * items.c does not keep the tokens of a parameter list longer than
 * &model.spill_tokens: the parser reads it again from the input one
 * parameter at a time, keeps only the first parameter and the names (for
 * the duplicate check, then dropped), and the emitters read it once more
 * through param_batch_first().  The input must stay readable until the
 * declaration is written (streaming), or plist_keep() copies it.
 */
struct plist {
	struct lexer lx;
	const struct model *m;
	bool mapped;
};

#define PARAM_BATCH	256

struct seg_tokens;

/**
 * struct param_batch - the parameters of a declaration, a batch at a time
 * @v: the parameters of this batch
 * @n: how many there are in @v
 * @first: index in the list of @v[0]
 * @d: the declaration (private from here on)
 * @lx: where the next batch is read (a &struct plist)
 * @a: memory of the current batch
 * @seg: tokens of the parameter being read
 * @told: what was last given back of a mapped input (model_read_to())
 * @failed: the input changed since it was parsed (reported)
 * @buf: the parameters of the current batch (a &struct plist)
 *
 * A declaration without a &struct plist is one batch: its @params.
 */
struct param_batch {
	const struct param *v;
	int n;
	int first;
	const struct decl *d;
	struct lexer lx;
	struct arena a;
	struct seg_tokens *seg;
	const char *told;
	bool failed;
	struct param buf[PARAM_BATCH];
};

bool param_batch_first(struct param_batch *pb, const struct decl *d);
bool param_batch_next(struct param_batch *pb);
void plist_keep(struct decl *d, struct arena *a);
const char *marker_name(enum marker mk);
bool marker_is_mixed(enum marker mk);
bool marker_is_no_co(enum marker mk);

int model_resolve(struct model *m);
bool model_resolve_one(struct model *m, struct decl *d, struct arena *a);
bool wrapper_set_get(const struct wrapper_set *ws, const char *name,
		     struct srcpos *pos);
void wrapper_set_add(struct wrapper_set *ws, const struct decl *d);
void wrapper_set_free(struct wrapper_set *ws);
const struct ctx_rule *model_ctx_rule(const struct model *m,
				      const struct decl *d);
const char *model_ctx_expr(const struct model *m, const struct decl *d);
bool type_is_signed_int(const char *type);

/* ---- emitters ---- */

/**
 * struct emitter - one output flavor
 * @name: value of --flavor
 * @sep: written before the #if lines and the code of every declaration
 * @prologue: file header (generated-by line, includes)
 * @input: if not NULL, called at the start of every input file (also of
 *         one without declarations), after the conditions of the previous
 *         one are closed
 * @decl: everything generated for one declaration
 *
 * Which markers a flavor accepts is decided by the parser
 * (marker_lookup()); the emitter sees only declarations it supports.
 */
struct emitter {
	const char *name;
	const char *sep;
	void (*prologue)(struct strbuf *out, const struct model *m);
	void (*input)(struct strbuf *out, const struct model *m,
		      int file_index);
	void (*decl)(struct strbuf *out, const struct model *m,
		     const struct decl *d);
};

extern const struct emitter emitter_cowrap;
extern const struct emitter emitter_qemu;

/* a stack of branches, grown as needed (emit.c) */
struct cond_stack {
	const struct cond **v;
	size_t n, cap;
};

/**
 * struct emit_state - where the output of emit_next() stands
 * @e: the flavor's emitter
 * @st: scratch stack of branches
 * @prev: where the previous declaration was
 * @file: index of the input of the previous declaration (-1: none yet)
 *
 * The output buffer's &strbuf.flush is set by emit_begin().
 */
struct emit_state {
	const struct emitter *e;
	struct cond_stack st;
	struct cond_at prev;
	int file;
};

void emit_begin(struct emit_state *es, struct strbuf *out,
		const struct model *m,
		void (*flush)(struct strbuf *out, void *arg), void *arg);
void emit_next(struct emit_state *es, struct strbuf *out,
	       const struct model *m, const struct decl *d);
void emit_end(struct emit_state *es, struct strbuf *out,
	      const struct model *m);
void emit_model(struct strbuf *out, const struct model *m,
		void (*flush)(struct strbuf *out, void *arg), void *arg);
void emit_generated_by(struct strbuf *out, const struct model *m,
		       const char *open, const char *close);
void emit_ret(struct strbuf *out, const struct decl *d);
void emit_call_args(struct strbuf *out, const struct decl *d,
		    const char *prefix);
void emit_params(struct strbuf *out, const struct decl *d);
void emit_fields(struct strbuf *out, const struct decl *d, const char *indent);
void emit_ctx_expr(struct strbuf *out, const struct model *m,
		   const struct decl *d);
void emit_struct_init(struct strbuf *out, const struct decl *d,
		      const char *indent);

#endif /* COWRAP_GEN_H */
