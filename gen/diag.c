// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-gen: diagnostics in the compiler's "file:line:col: error: ..." form.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cowrap-gen.h"

static int error_count;
static struct srcpos first_pos;	/* of the first error */
static bool quiet;

/**
 * diag_set_quiet() - suppress printing (the fuzzer uses it); errors still count
 * @q: true to suppress
 */
void diag_set_quiet(bool q)
{
	quiet = q;
}

static void vreport(const struct srcpos *pos, const char *kind,
		    const char *fmt, va_list ap)
{
	if (quiet)
		return;
	if (pos && pos->line)
		fprintf(stderr, "%s:%d:%d: %s: ", pos->file, pos->line,
			pos->col, kind);
	else if (pos)
		fprintf(stderr, "%s: %s: ", pos->file, kind);
	else
		fprintf(stderr, "cowrap-gen: %s: ", kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/**
 * diag_error() - report an error at @pos and count it
 * @pos: location (line 0 means the whole file; NULL means no file)
 * @fmt: printf format of the message
 */
void diag_error(const struct srcpos *pos, const char *fmt, ...)
{
	va_list ap;

	if (!error_count++ && pos)
		first_pos = *pos;
	va_start(ap, fmt);
	vreport(pos, "error", fmt, ap);
	va_end(ap);
}

/**
 * diag_note() - attach a note (e.g. the previous declaration) to an error
 * @pos: location
 * @fmt: printf format of the message
 */
void diag_note(const struct srcpos *pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(pos, "note", fmt, ap);
	va_end(ap);
}

/**
 * diag_fatal() - report an unrecoverable error (e.g. out of memory) and exit 1
 * @fmt: printf format of the message
 */
void diag_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	quiet = false;
	vreport(NULL, "error", fmt, ap);
	va_end(ap);
	exit(1);
}

/**
 * diag_error_count() - errors reported since the last diag_reset()
 *
 * Return: the count.
 */
int diag_error_count(void)
{
	return error_count;
}

/**
 * diag_first_error() - where the first error since diag_reset() was
 *
 * Return: its position (line 0 if it had none, or there was no error).
 */
struct srcpos diag_first_error(void)
{
	return first_pos;
}

/**
 * diag_reset() - forget earlier errors
 */
void diag_reset(void)
{
	error_count = 0;
	memset(&first_pos, 0, sizeof(first_pos));
}
