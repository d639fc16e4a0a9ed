// SPDX-License-Identifier: GPL-2.0
/*
 * Correct: a coroutine_fn passed straight to cowrap_co_init() (entry in
 * the third argument register), with argument setup around it.
 *
 * expect-objcheck: none
 */
#include "corpus.h"

struct ok_job {
	struct cowrap_co *co;
	int n;
};

int ok_job_start(struct ok_job *job, struct cowrap_ctx *ctx);
void coroutine_fn ok_job_entry(void *opaque);

void coroutine_fn ok_job_entry(void *opaque)
{
	struct ok_job *job = opaque;

	job->n = corpus_co_read(job->n);
}

int ok_job_start(struct ok_job *job, struct cowrap_ctx *ctx)
{
	if (!ctx)
		ctx = cowrap_default_ctx();
	cowrap_co_init(job->co, ctx, ok_job_entry, job);
	cowrap_co_enter(job->co);
	return 0;
}
