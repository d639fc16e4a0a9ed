// SPDX-License-Identifier: GPL-2.0
/*
 * Correct: the shape of a generated co_wrapper_mixed (issue 4): call the
 * _co_ function directly in the checked branch, otherwise start a
 * coroutine and poll.  Also the negated form of the check.
 *
 * expect-objcheck: none
 */
#include "corpus.h"

struct ok_mixed_args {
	struct cowrap_poll_co poll;
	int n;
	int ret;
};

int co_wrapper_mixed ok_dev_mixed(int n);
int co_wrapper_mixed ok_dev_mixed_neg(int n);
static void coroutine_fn ok_dev_mixed_entry(void *opaque);

static void coroutine_fn ok_dev_mixed_entry(void *opaque)
{
	struct ok_mixed_args *a = opaque;

	a->ret = corpus_dev_co_sync(a->n);
}

int co_wrapper_mixed ok_dev_mixed(int n)
{
	struct ok_mixed_args a = { .n = n };
	int ret;

	if (cowrap_mixed_in_coroutine()) {
		ret = corpus_dev_co_sync(n);
		cowrap_mixed_co_end();
		return ret;
	}
	ret = cowrap_poll_co(&a.poll, cowrap_default_ctx(),
			     ok_dev_mixed_entry, &a);
	return ret ? ret : a.ret;
}

int co_wrapper_mixed ok_dev_mixed_neg(int n)
{
	int ret;

	if (!cowrap_mixed_in_coroutine())
		return corpus_dev_sync(n);
	ret = corpus_dev_co_sync(n);
	cowrap_mixed_co_end();
	return ret;
}
