// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-gen: command line.
 *
 * Reads the inputs, builds the model, and writes, checks or lists it.
 * Output is written to a temporary file next to the target and renamed
 * into place, so an error never leaves a partial or stale file behind.
 * A regular input file is mapped rather than read (no copy, and its pages
 * are dropped as the parser leaves them behind); a file that shrinks
 * while it is read is an error, not a SIGBUS.  With --flavor=qemu -o FILE
 * each wrapper is written as soon as it is parsed (stream_run()).
 */
#define _GNU_SOURCE		/* madvise(), renameat2() */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cowrap-gen.h"

static const char usage_text[] =
"Usage: cowrap-gen [OPTION]... INPUT...\n"
"Generate coroutine wrappers for the declarations marked co_wrapper,\n"
"co_wrapper_mixed or no_co_wrapper in the C headers or sources INPUT.\n"
"\n"
"  -o, --output=FILE        write the generated C to FILE (default: stdout)\n"
"      --include=HDR        add #include \"HDR\" (or HDR if it starts with <)\n"
"                           to the output; repeatable\n"
"      --ctx=TYPE=ACCESSOR  a wrapper whose first parameter has type TYPE\n"
"                           polls the context ACCESSOR(first_parameter);\n"
"                           repeatable, the first matching rule wins\n"
"      --default-ctx=EXPR   context of all other wrappers\n"
"                           (default: cowrap_default_ctx())\n"
"      --prefix=PREFIX      split wrapper names after PREFIX for the naming\n"
"                           rule (PREFIX_rest runs PREFIX_co_rest); repeatable\n"
"      --attribute-macro=NAME\n"
"                           treat identifier NAME as an attribute macro;\n"
"                           repeatable\n"
"      --flavor=FLAVOR      output flavor: cowrap (default) or qemu\n"
"      --check=FILE         exit 1 if FILE differs from what would be\n"
"                           generated now; writes nothing\n"
"      --list               list the marked declarations (file:line:col:\n"
"                           marker name) instead of generating code\n"
"      --spill-tokens=N     keep the tokens of a parameter list up to N\n"
"                           (default 1024); a longer list is read again\n"
"                           from the input (for the tests)\n"
"  -h, --help               show this help and exit\n"
"      --version            show the version and exit\n"
"\n"
"Exit status: 0 on success, 1 on an error in the input, an unreadable\n"
"input, an unwritable output or a --check mismatch, 2 on a usage error.\n";

struct options {
	const char *output;
	const char *check;
	bool list;
	bool shifted;	/* inputs[0] was taken as the output */
};

static void usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "cowrap-gen: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'cowrap-gen --help' for more information.\n");
	exit(2);
}

static void *grow(void *p, int n, size_t size)
{
	p = realloc(p, size * (size_t)(n + 1));
	if (!p)
		diag_fatal("out of memory");
	return p;
}

static void push_str(const char ***list, int *n, const char *s)
{
	*list = grow(*list, *n, sizeof(**list));
	(*list)[(*n)++] = s;
}

static void add_ctx_rule(struct model *m, const char *arg)
{
	const char *eq = strrchr(arg, '=');
	struct strbuf sb = { 0 };
	struct token *t;
	char *acc;

	if (!eq || eq == arg || !eq[1])
		usage_error("--ctx wants TYPE=ACCESSOR, not '%s'", arg);
	for (acc = (char *)eq + 1; *acc == ' '; acc++)
		;
	t = tokenize(&m->arena, "--ctx", arg, (size_t)(eq - arg));
	if (diag_error_count())
		exit(2);
	for (; t->kind != TK_EOF; t = t->next) {
		if (t->kind == TK_DIRECTIVE)
			usage_error("--ctx: bad TYPE in '%s'", arg);
		if (sb.len && !(t->kind == TK_PUNCT && !strcmp(t->text, "*") &&
				sb.buf[sb.len - 1] == '*'))
			sb_add(&sb, " ", 1);
		sb_puts(&sb, t->text);
	}
	if (!sb.len)
		usage_error("--ctx: empty TYPE in '%s'", arg);
	m->rules = grow(m->rules, m->nrules, sizeof(*m->rules));
	m->rules[m->nrules].type = arena_strndup(&m->arena, sb.buf, sb.len);
	m->rules[m->nrules].accessor = acc;
	m->nrules++;
	sb_free(&sb);
}

/* "--name=value", "--name value", "-o value", "-ovalue" */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n))
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] == '\0') {
		if (*i + 1 >= argc)
			usage_error("option '%s' requires an argument", name);
		return argv[++*i];
	}
	if (!strcmp(name, "-o"))
		return a + n;
	return NULL;
}

/* opt_value() for the if/else chain of parse_args() */
static bool take(int argc, char **argv, int *i, const char *name,
		 const char **v)
{
	*v = opt_value(argc, argv, i, name);
	return *v != NULL;
}

/* QEMU's script is called as "SCRIPT OUTPUT.c INPUT...": accept that */
static void qemu_output_alias(struct model *m, struct options *o)
{
	const char *first = m->ninputs ? m->inputs[0] : "";
	size_t n = strlen(first);

	if (m->flavor != FLAVOR_QEMU || o->output || o->check || o->list ||
	    m->ninputs < 2 || n <= 2 || strcmp(first + n - 2, ".c"))
		return;
	o->output = first;
	m->inputs++;
	m->ninputs--;
	o->shifted = true;
}

/* the value of --spill-tokens: 1 to INT_MAX */
static int spill_tokens(const char *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < 1 || n > INT_MAX)
		usage_error("--spill-tokens wants a number from 1 to 2147483647, not '%s'",
			    v);
	return (int)n;
}

static void parse_args(int argc, char **argv, struct model *m,
		       struct options *o)
{
	bool dashdash = false;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v;

		if (dashdash || a[0] != '-' || !a[1]) {
			push_str(&m->inputs, &m->ninputs, a);
		} else if (!strcmp(a, "--")) {
			dashdash = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage_text, stdout);
			exit(0);
		} else if (!strcmp(a, "--version")) {
			printf("cowrap-gen %s\n", COWRAP_GEN_VERSION);
			exit(0);
		} else if (!strcmp(a, "--list")) {
			o->list = true;
		} else if (take(argc, argv, &i, "-o", &v) ||
			   take(argc, argv, &i, "--output", &v)) {
			o->output = v;
		} else if (take(argc, argv, &i, "--include", &v)) {
			push_str(&m->includes, &m->nincludes, v);
		} else if (take(argc, argv, &i, "--ctx", &v)) {
			add_ctx_rule(m, v);
		} else if (take(argc, argv, &i, "--default-ctx", &v)) {
			m->default_ctx = v;
		} else if (take(argc, argv, &i, "--prefix", &v)) {
			push_str(&m->prefixes, &m->nprefixes, v);
		} else if (take(argc, argv, &i, "--attribute-macro", &v)) {
			push_str(&m->attr_macros, &m->nattr_macros, v);
		} else if (take(argc, argv, &i, "--check", &v)) {
			o->check = v;
		} else if (take(argc, argv, &i, "--spill-tokens", &v)) {
			m->spill_tokens = spill_tokens(v);
		} else if (take(argc, argv, &i, "--flavor", &v)) {
			if (!strcmp(v, "cowrap"))
				m->flavor = FLAVOR_COWRAP;
			else if (!strcmp(v, "qemu"))
				m->flavor = FLAVOR_QEMU;
			else
				usage_error("unknown flavor '%s' (cowrap or qemu)", v);
		} else {
			usage_error("unknown option '%s'", a);
		}
	}
	qemu_output_alias(m, o);
	if (!m->ninputs)
		usage_error("%s", "no input files");
	if ((o->list ? 1 : 0) + (o->check ? 1 : 0) + (o->output ? 1 : 0) > 1)
		usage_error("%s", "-o, --check and --list exclude each other");
}

/* read a whole file; NULL (after an error message) if it cannot be read */
static char *read_file(const char *path, size_t *len)
{
	struct srcpos pos = { path, 0, 0 };
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	struct strbuf sb = { 0 };
	struct stat st;
	size_t n, room;

	if (!f) {
		diag_error(&pos, "cannot open: %s", strerror(errno));
		return NULL;
	}
	/*
	 * Read straight into the buffer: one allocation for a regular file
	 * (one byte more than its size, for the read that finds the end),
	 * growing otherwise.
	 */
	if (!fstat(fileno(f), &st) && S_ISREG(st.st_mode) && st.st_size > 0)
		sb_reserve(&sb, (size_t)st.st_size + 1);
	do {
		if (sb.cap - sb.len < 2)
			sb_reserve(&sb, 65536);
		room = sb.cap - sb.len - 1;
		n = fread(sb.buf + sb.len, 1, room, f);
		sb.len += n;
	} while (n == room);
	sb.buf[sb.len] = '\0';
	if (ferror(f)) {
		diag_error(&pos, "cannot read: %s", strerror(errno));
		if (f != stdin)
			fclose(f);
		sb_free(&sb);
		return NULL;
	}
	if (f != stdin)
		fclose(f);
	*len = sb.len;
	return sb.buf;
}

/**
 * struct input - the contents of one input file
 * @buf: the bytes (not NUL-terminated when mapped)
 * @len: how many
 * @mapped: @buf is a read-only private mapping of the file, not malloc()ed
 */
struct input {
	char *buf;
	size_t len;
	bool mapped;
};

/*
 * The parser has read the input from @from to @upto: give the whole pages
 * of that back.  They are clean pages of a file mapping, so this frees
 * memory and never changes what a later read sees (a parameter list
 * read again faults its pages in again).
 */
static void input_consumed(const char *from, const char *upto, void *arg)
{
	struct input *in = arg;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *a = in->buf + (size_t)(from - in->buf) / page * page;
	char *b = in->buf + (size_t)(upto - in->buf) / page * page;

#ifdef MADV_DONTNEED
	if (b > a)
		madvise(a, (size_t)(b - a), MADV_DONTNEED);
#else
	(void)a;
	(void)b;
#endif
}

/* map a non-empty regular file; false (nothing reported) if it cannot be */
static bool map_input(const char *path, struct input *in)
{
	struct stat st;
	void *p;
	int fd;

	if (!strcmp(path, "-"))
		return false;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uintmax_t)st.st_size > SIZE_MAX) {
		close(fd);
		return false;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return false;
	in->buf = p;
	in->len = (size_t)st.st_size;
	in->mapped = true;
	return true;
}

/* the contents of an input: mapped if possible, else read; false on error */
static bool open_input(const char *path, struct input *in)
{
	memset(in, 0, sizeof(*in));
	if (map_input(path, in))
		return true;
	in->buf = read_file(path, &in->len);
	return in->buf != NULL;
}

/*
 * A mapped file that is truncated while it is read raises SIGBUS at the
 * first page past its new end.  While a mapped input is parsed, the
 * handler jumps back to parse_mapped(), which reports it.
 */
static sigjmp_buf bus_env;
static volatile sig_atomic_t bus_armed;

static void on_sigbus(int sig)
{
	if (bus_armed) {
		bus_armed = 0;
		siglongjmp(bus_env, 1);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_sigbus(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
}

/* parse_buffer() on an input; a mapped one that shrinks is an error */
static void parse_input(struct model *m, int i, struct input *in)
{
	struct srcpos pos = { m->inputs[i], 0, 0 };

	m->consumed = in->mapped ? input_consumed : NULL;
	m->consumed_arg = in;
	if (in->mapped) {
		if (sigsetjmp(bus_env, 1)) {
			diag_error(&pos, "cannot read: the file shrank while it was read");
			m->consumed = NULL;
			return;
		}
		bus_armed = 1;
	}
	parse_buffer(m, i, m->inputs[i], in->buf, in->len);
	bus_armed = 0;
	m->consumed = NULL;
}

static void close_input(struct input *in)
{
	if (in->mapped)
		munmap(in->buf, in->len);
	else
		free(in->buf);
}

/* where -o output goes while it is generated */
struct sink {
	const char *path;	/* as given */
	char *tmp;		/* temporary file to rename, or NULL */
	FILE *f;
	bool failed;
};

static void sink_flush(struct strbuf *out, void *arg)
{
	struct sink *k = arg;

	if (!k->failed && out->len &&
	    fwrite(out->buf, 1, out->len, k->f) != out->len)
		k->failed = true;
	out->len = 0;
}

/*
 * Open the output: stdout for "-" or no -o; a device or FIFO (/dev/null,
 * a pipe) in place, since renaming a temporary file over it would replace
 * the device node; otherwise a temporary file next to the target.
 */
static int sink_open(struct sink *k, const char *path, bool quiet)
{
	struct srcpos pos = { path, 0, 0 };
	struct strbuf tmp = { 0 };
	struct stat st;
	mode_t mask;
	int fd;

	memset(k, 0, sizeof(*k));
	k->path = path;
	if (!path || !strcmp(path, "-")) {
		k->f = stdout;
		return 0;
	}
	if (!stat(path, &st) && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		k->f = fopen(path, "wb");
		if (!k->f) {
			if (!quiet)
				diag_error(&pos, "cannot write: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	sb_printf(&tmp, "%s.tmpXXXXXX", path);
	fd = mkstemp(tmp.buf);
	if (fd < 0) {
		if (!quiet)
			diag_error(&pos, "cannot create a temporary file next to it: %s",
			   strerror(errno));
		sb_free(&tmp);
		return -1;
	}
	k->tmp = tmp.buf;
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) == 0)
		k->f = fdopen(fd, "wb");
	if (!k->f) {
		if (!quiet)
			diag_error(&pos, "cannot write: %s", strerror(errno));
		close(fd);
		unlink(k->tmp);
		free(k->tmp);
		k->tmp = NULL;
		return -1;
	}
	return 0;
}

/*
 * Put the finished temporary file @tmp in place of @path.  An existing
 * regular file is swapped with it in one step (RENAME_EXCHANGE), and the
 * old contents, now under @tmp, are removed: @path never goes missing, as
 * with rename(), but ext4 does not start writing the new file back before
 * the call returns, which it does for a rename() over an existing file
 * (auto_da_alloc; 10-15 ms for a 10 MB output).  Elsewhere, or where the
 * file system cannot exchange, plain rename().
 */
static int replace_output(const char *tmp, const char *path)
{
#ifdef RENAME_EXCHANGE
	struct stat st;

	if (!lstat(path, &st) && S_ISREG(st.st_mode) &&
	    !renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE)) {
		unlink(tmp);
		return 0;
	}
#endif
	return rename(tmp, path);
}

/* finish (ok) or abandon (!ok) the output; returns -1 on a write error */
static int sink_close(struct sink *k, bool ok)
{
	struct srcpos pos = { k->path ? k->path : "-", 0, 0 };
	int ret = 0;

	if (!k->f)
		return ok ? -1 : 0;
	if (ok && (k->failed || fflush(k->f) || ferror(k->f)))
		ret = -1;
	if (k->f != stdout && fclose(k->f))
		ret = -1;
	if (ok && !ret && k->tmp && replace_output(k->tmp, k->path) < 0)
		ret = -1;
	if (ok && ret)
		diag_error(&pos, "cannot write: %s", strerror(errno));
	if (k->tmp && (!ok || ret))
		unlink(k->tmp);
	free(k->tmp);
	k->tmp = NULL;
	k->f = NULL;
	return ret;
}

static int check_output(const char *path, const struct strbuf *out)
{
	struct srcpos pos = { path, 0, 0 };
	size_t len, i;
	char *old = read_file(path, &len);
	int line = 1;

	if (!old)
		return -1;
	for (i = 0; i < len && i < out->len && old[i] == out->buf[i]; i++)
		if (old[i] == '\n')
			line++;
	free(old);
	if (i == len && len == out->len)
		return 0;
	pos.line = line;
	pos.col = 1;
	diag_error(&pos, "differs from what cowrap-gen would generate now");
	return -1;
}

/* like a compiler: a failed run leaves no (old) output file behind */
static void remove_stale(const char *path)
{
	struct stat st;

	if (path && strcmp(path, "-") && !stat(path, &st) && S_ISREG(st.st_mode))
		unlink(path);
}

/* parse every input; @after (if set) is called after each */
static void parse_all(struct model *m, void (*after)(struct model *m))
{
	int i;

	for (i = 0; i < m->ninputs; i++) {
		struct input in;

		if (!open_input(m->inputs[i], &in))
			continue;
		parse_input(m, i, &in);
		close_input(&in);
		if (after)
			after(m);
	}
}

/*
 * Streaming: with --flavor=qemu and -o FILE, each declaration is resolved
 * and its output written as soon as it is parsed, and its memory is
 * reused for the next one, so that memory does not grow with the number
 * of declarations (QEMU's naming rule looks nothing up; the cowrap
 * flavor's needs every function of every input first).  What the run
 * reports and writes is what the other path would: a declaration that
 * breaks a rule is kept and reported by model_resolve() at the end, once
 * no other error is known, and wherever the result could differ the run
 * starts over the other way, from the first input:
 *   - a declaration was written under the first group of a file taken
 *     for its include guard (not reproduced), and the group turned out
 *     not to be one (code after its #endif);
 *   - the output file could not be created (the error is reported
 *     where the other path reports it).
 */
struct stream {
	struct sink sink;
	struct strbuf out;
	struct emit_state es;
	const struct cond *guessed;	/* guard written as one */
	struct decl *pending;	/* parsed, to be written */
	bool opened, again;
};

static bool can_stream(const struct model *m, const struct options *o)
{
	return m->flavor == FLAVOR_QEMU && o->output && strcmp(o->output, "-");
}

/* a declaration model_resolve() must report: keep it in the model */
static void stream_keep(struct model *m, struct decl *d)
{
	arena_adopt(&m->arena, &m->decls);
	if (m->last)
		m->last->next = d;
	else
		m->first = d;
	m->last = d;
	m->ndecls++;
}

/*
 * model->stream: a declaration was just parsed; it is written once the
 * tokens of its item are freed (@d NULL: an item ended).
 */
static void stream_decl(struct model *m, struct decl *d)
{
	struct stream *st = m->stream_arg;

	if (d) {
		if (diag_error_count() || st->again)
			return;		/* the run fails or starts over */
		if (!model_resolve_one(m, d, &m->decls))
			stream_keep(m, d);
		else
			st->pending = d;
		return;
	}
	d = st->pending;
	st->pending = NULL;
	if (d && !m->first && !diag_error_count() && !st->again) {
		if (cond_in_guard(&d->cond))
			st->guessed = d->cond.guard;
		emit_next(&st->es, &st->out, m, d);
	}
	arena_reset(&m->decls);
}

/* after each input: was a group taken for its guard wrongly? */
static void stream_input_done(struct model *m)
{
	struct stream *st = m->stream_arg;

	if (st->guessed && !(st->guessed->flags & COND_GUARD))
		st->again = true;
	st->guessed = NULL;
}

/*
 * Generate the output to @path while parsing.  Returns 0 on success, -1
 * (run failed, reported), or 1: start over the other way (nothing was
 * reported, the model must be forgotten).
 */
static int stream_run(struct model *m, const char *path)
{
	struct stream st = { 0 };
	int ret = -1;

	st.opened = sink_open(&st.sink, path, true) == 0;
	if (st.opened && !st.sink.tmp) {	/* a device or FIFO */
		sink_close(&st.sink, false);
		return 1;
	}
	st.again = !st.opened;
	if (st.opened)
		emit_begin(&st.es, &st.out, m, sink_flush, &st.sink);
	m->stream = stream_decl;
	m->stream_arg = &st;
	parse_all(m, stream_input_done);
	m->stream = NULL;
	if (diag_error_count()) {
		ret = -1;
	} else if (st.again) {
		ret = 1;
	} else if (m->first) {
		model_resolve(m);	/* reports the kept declarations */
		ret = -1;
	} else {
		emit_end(&st.es, &st.out, m);
		sink_flush(&st.out, &st.sink);
		ret = sink_close(&st.sink, true) < 0 ? -1 : 0;
	}
	if (ret)
		sink_close(&st.sink, false);
	if (st.opened && ret)
		free(st.es.st.v);
	sb_free(&st.out);
	return ret;
}

/* forget what a stream_run() that must start over has read */
static void model_forget(struct model *m)
{
	m->first = NULL;
	m->last = NULL;
	m->ndecls = 0;
	name_set_free(&m->functions);
	wrapper_set_free(&m->wrappers);
	arena_free(&m->decls);
}

static void list_decls(const struct model *m)
{
	const struct decl *d;

	for (d = m->first; d; d = d->next)
		printf("%s:%d:%d: %s %s\n", d->marker_pos.file, d->name_pos.line,
		       d->name_pos.col, marker_name(d->marker), d->name);
}

int main(int argc, char **argv)
{
	struct model m = { 0 };
	struct options o = { 0 };
	struct strbuf out = { 0 };
	struct sink sink = { 0 };
	int i, ret = 1;

	m.default_ctx = "cowrap_default_ctx()";
	parse_args(argc, argv, &m, &o);
	catch_sigbus();
	if (can_stream(&m, &o)) {
		i = stream_run(&m, o.output);
		if (i <= 0) {
			ret = -i;
			goto out;
		}
		model_forget(&m);	/* and start over as below */
	}
	parse_all(&m, NULL);
	if (diag_error_count() || model_resolve(&m) < 0)
		goto out;
	if (o.list) {
		list_decls(&m);
		ret = fflush(stdout) ? 1 : 0;
		goto out;
	}
	if (o.check) {
		emit_model(&out, &m, NULL, NULL);
		ret = check_output(o.check, &out) < 0;
		goto out;
	}
	if (sink_open(&sink, o.output, false) < 0)
		goto out;
	emit_model(&out, &m, sink_flush, &sink);
	sink_flush(&out, &sink);
	ret = sink_close(&sink, true) < 0;
out:
	if (ret)
		remove_stale(o.output);
	sb_free(&out);
	name_set_free(&m.functions);
	wrapper_set_free(&m.wrappers);
	free(o.shifted ? m.inputs - 1 : m.inputs);
	free(m.includes);
	free(m.rules);
	free(m.prefixes);
	free(m.attr_macros);
	arena_free(&m.decls);
	arena_free(&m.arena);
	return ret;
}
