// SPDX-License-Identifier: GPL-2.0
/*
 * cowrapctl output: every table, record and JSON value goes through
 * libsmartcols, as in lsblk and losetup.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libsmartcols/libsmartcols.h>

#include "output.h"

#define OUT_MAX_COLS	64
#define OUT_CELL_LEN	8192

struct out_opts out_opts;

struct out {
	const struct out_table *t;
	struct libscols_table *tb;
	int record;
	int sel[OUT_MAX_COLS];
	size_t nsel;
};

static int col_id(const struct out_table *t, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (strlen(t->cols[i].name) == len &&
		    !strncasecmp(t->cols[i].name, name, len))
			return i;
	return -1;
}

/* Add the comma-separated column names of @list to the selection. */
static int select_list(const struct out_table *t, const char *list,
		       int *sel, size_t *nsel)
{
	const char *p = list;

	while (*p) {
		size_t len = strcspn(p, ",");
		int id = col_id(t, p, len);

		if (id < 0) {
			fprintf(stderr, "cowrapctl: unknown column '%.*s' "
				"(see 'cowrapctl COMMAND --help')\n",
				(int)len, p);
			return -1;
		}
		if (*nsel == OUT_MAX_COLS) {
			fprintf(stderr, "cowrapctl: too many columns\n");
			return -1;
		}
		sel[(*nsel)++] = id;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/*
 * The columns to print: -o COLUMNS, or "+COLUMNS" after the defaults (as
 * lsblk reads it), or the defaults.
 */
static int select_columns(const struct out_table *t, int *sel, size_t *nsel)
{
	const char *cols = out_opts.columns;

	*nsel = 0;
	if (!cols || *cols == '+') {
		if (select_list(t, t->defaults, sel, nsel))
			return -1;
		if (cols)
			cols++;
	}
	if (cols && select_list(t, cols, sel, nsel))
		return -1;
	if (!*nsel) {
		fprintf(stderr, "cowrapctl: no columns to print\n");
		return -1;
	}
	return 0;
}

/**
 * out_check_columns() - check -o against the columns of @t
 * @t: the table the command prints
 *
 * Return: 0, or 2 (a usage error, already reported).
 */
int out_check_columns(const struct out_table *t)
{
	int sel[OUT_MAX_COLS];
	size_t nsel;

	return select_columns(t, sel, &nsel) ? 2 : 0;
}

/**
 * out_want_table() - whether the user asked for the table form
 *
 * Return: non-zero with -J, -r or -l: a command whose human output is a
 * record or a message prints its table instead.
 */
int out_want_table(void)
{
	return out_opts.json || out_opts.raw || out_opts.list;
}

/**
 * out_any() - whether the user asked for any table or column output
 *
 * Return: non-zero with -J, -r, -l or -o.
 */
int out_any(void)
{
	return out_want_table() || out_opts.columns;
}

/**
 * out_list_sep() - the separator of the items of an OUT_LIST cell
 *
 * Return: "\n" for JSON (libsmartcols splits the cell into an array
 * there), "," otherwise.
 */
const char *out_list_sep(void)
{
	return out_opts.json ? "\n" : ",";
}

static int json_type(enum out_kind k)
{
	switch (k) {
	case OUT_NUM: return SCOLS_JSON_NUMBER;
	case OUT_BOOL: return SCOLS_JSON_BOOLEAN;
	case OUT_LIST: return SCOLS_JSON_ARRAY_STRING;
	default: return SCOLS_JSON_STRING;
	}
}

static int add_table_column(struct out *o, const struct out_col *c)
{
	struct libscols_column *cl;

	int fl = c->kind == OUT_NUM ? SCOLS_FL_RIGHT : 0;

	/* a list cell wraps at its "\n"s: libsmartcols' JSON array */
	if (out_opts.json && c->kind == OUT_LIST)
		fl |= SCOLS_FL_WRAP;
	cl = scols_table_new_column(o->tb, c->name, 0, fl);
	if (!cl)
		return -1;
	if (!out_opts.json)
		return 0;
	if (scols_column_set_json_type(cl, json_type(c->kind)))
		return -1;
	if (c->kind == OUT_LIST)
		return scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize,
						 scols_wrapnl_nextchunk, NULL);
	return 0;
}

static int setup_table(struct out *o)
{
	size_t i;

	if (scols_table_set_name(o->tb, o->t->name) ||
	    scols_table_enable_json(o->tb, out_opts.json) ||
	    scols_table_enable_raw(o->tb, out_opts.raw) ||
	    scols_table_enable_noheadings(o->tb, out_opts.noheadings))
		return -1;
	for (i = 0; i < o->nsel; i++)
		if (add_table_column(o, &o->t->cols[o->sel[i]]))
			return -1;
	return 0;
}

/* The record form: "label: value" lines, the values aligned (as lscpu). */
static int setup_record(struct out *o)
{
	if (scols_table_enable_noheadings(o->tb, 1))
		return -1;
	if (!out_opts.noheadings &&
	    !scols_table_new_column(o->tb, "FIELD", 0, 0))
		return -1;
	if (!scols_table_new_column(o->tb, "VALUE", 0, 0))
		return -1;
	return 0;
}

/**
 * out_begin() - start printing rows of @t
 * @t: the table
 * @record: print each row as "label: value" lines unless the user asked
 *	for a table (out_want_table()); 0 for a plain table
 *
 * Return: the output, or NULL after an error message (an unknown column
 * is reported too: check columns with out_check_columns() first to give
 * it the usage status).
 */
struct out *out_begin(const struct out_table *t, int record)
{
	struct out *o = calloc(1, sizeof(*o));

	if (!o)
		goto nomem;
	o->t = t;
	o->record = record && !out_want_table();
	if (select_columns(t, o->sel, &o->nsel)) {
		free(o);
		return NULL;
	}
	o->tb = scols_new_table();
	if (!o->tb)
		goto nomem;
	if (o->record ? setup_record(o) : setup_table(o))
		goto nomem;
	return o;
nomem:
	fprintf(stderr, "cowrapctl: cannot set up the output: %s\n",
		strerror(ENOMEM));
	if (o && o->tb)
		scols_unref_table(o->tb);
	free(o);
	return NULL;
}

static int record_line(struct out *o, const struct out_col *c,
		       const char *val)
{
	struct libscols_line *ln = scols_table_new_line(o->tb, NULL);
	char label[128];
	size_t n = 0;

	if (!ln)
		return -1;
	if (!out_opts.noheadings) {
		snprintf(label, sizeof(label), "%s:", c->label);
		if (scols_line_set_data(ln, n++, label))
			return -1;
	}
	if (c->kind == OUT_BOOL)
		val = strcmp(val, "0") ? "yes" : "no";
	return scols_line_set_data(ln, n, *val ? val : "-");
}

/**
 * out_row() - add the row (or, in the record form, the lines) of @obj
 * @o: from out_begin()
 * @obj: what the table's cell() function reads
 *
 * Return: 0, or -1 without memory.
 */
int out_row(struct out *o, const void *obj)
{
	struct libscols_line *ln = NULL;
	char *buf = malloc(OUT_CELL_LEN);
	size_t i;
	int ret = -1;

	if (!buf)
		return -1;
	if (!o->record) {
		ln = scols_table_new_line(o->tb, NULL);
		if (!ln)
			goto out;
	}
	for (i = 0; i < o->nsel; i++) {
		buf[0] = '\0';
		o->t->cell(obj, o->sel[i], buf, OUT_CELL_LEN);
		if (o->record ? record_line(o, &o->t->cols[o->sel[i]], buf) :
		    (*buf && scols_line_set_data(ln, i, buf)))
			goto out;
	}
	ret = 0;
out:
	free(buf);
	return ret;
}

/**
 * out_end() - print what out_row() collected and free @o
 * @o: from out_begin()
 *
 * Return: 0, or 1 after an error message.
 */
int out_end(struct out *o)
{
	int ret = scols_print_table(o->tb);

	scols_unref_table(o->tb);
	free(o);
	if (ret) {
		fprintf(stderr, "cowrapctl: output failed: %s\n",
			strerror(ret < 0 ? -ret : EIO));
		return 1;
	}
	return fflush(stdout) ? 1 : 0;
}

/**
 * out_help_columns() - list the columns of @t for a command's --help
 * @t: the table
 */
void out_help_columns(const struct out_table *t)
{
	size_t i;

	printf("\noutput columns (default %s):\n", t->defaults);
	for (i = 0; i < t->ncols; i++)
		printf("  %-16s %s\n", t->cols[i].name, t->cols[i].help);
}
