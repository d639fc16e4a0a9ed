/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrapctl output through libsmartcols: tables, raw, JSON and the
 * "label: value" record form. Documentation/cowrapctl.rst lists the
 * columns of every table; the JSON key of a column is its name in lower
 * case, as lsblk and losetup print it.
 */
#ifndef COWRAPCTL_OUTPUT_H
#define COWRAPCTL_OUTPUT_H

#include <stddef.h>

/* Options shared by every command that prints a table. */
struct out_opts {
	int json;		/* -J, --json */
	int raw;		/* -r, --raw */
	int noheadings;		/* -n, --noheadings */
	int list;		/* -l, --list: a table even for one record */
	const char *columns;	/* -o, --output */
};

extern struct out_opts out_opts;

/* Column kinds: how a cell prints in JSON. */
enum out_kind {
	OUT_STR,
	OUT_NUM,
	OUT_BOOL,
	OUT_LIST,	/* a list: "a,b" in a table, ["a", "b"] in JSON */
};

/**
 * struct out_col - one column of a table
 * @name: header in upper case, e.g. "LOG-SEC"; JSON key in lower case
 * @label: the line's label in the record form
 * @kind: enum out_kind
 * @help: one line for --help and the documentation
 */
struct out_col {
	const char *name;
	const char *label;
	enum out_kind kind;
	const char *help;
};

/**
 * struct out_table - a table a command prints
 * @name: the JSON key of the array of rows, e.g. "devices"
 * @cols: its columns; a column's index is its id in @cell
 * @ncols: number of @cols
 * @defaults: the columns printed without -o, comma-separated
 * @cell: write the text of column @col of the row @obj into @buf; an
 *	empty string is an empty cell (null in JSON)
 */
struct out_table {
	const char *name;
	const struct out_col *cols;
	size_t ncols;
	const char *defaults;
	void (*cell)(const void *obj, int col, char *buf, size_t len);
};

struct out;

/* Start a table of @t in table form (@record = 0) or record form. */
struct out *out_begin(const struct out_table *t, int record);
int out_row(struct out *o, const void *obj);
int out_end(struct out *o);

int out_check_columns(const struct out_table *t);
int out_want_table(void);
int out_any(void);
const char *out_list_sep(void);
void out_help_columns(const struct out_table *t);

#endif
