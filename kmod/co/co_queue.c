// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap coroutine layer: FIFO wait queue (CoQueue).
 *
 * A waiter is linked through co->node and marks co->wait_on with the queue
 * while it is queued.  Wakers unlink it (clearing wait_on) under the queue
 * lock and wake it after dropping the lock; a waiter that was cancelled
 * checks wait_on under the lock to learn whether a wake is on its way.
 */
#include <linux/module.h>

#include "co_internal.h"

void cowrap_co_queue_init(struct cowrap_co_queue *q)
{
	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->waiters);
}
EXPORT_SYMBOL_GPL(cowrap_co_queue_init);

/* Leave @q after a cancelled park; true if still queued (no wake coming). */
static bool cowrap_co_queue_leave(struct cowrap_co_queue *q,
				  struct cowrap_co *co)
{
	bool queued;

	spin_lock_irq(&q->lock);
	queued = co->wait_on == q;
	if (queued) {
		list_del_init(&co->node);
		co->wait_on = NULL;
	}
	spin_unlock_irq(&q->lock);
	return queued;
}

int coroutine_fn cowrap_co_queue_wait_mutex(struct cowrap_co_queue *q,
					    struct cowrap_co_mutex *m)
{
	struct cowrap_co *co = cowrap_co_self();
	int ret;

	if (!co) {
		WARN_ONCE(1, "cowrap: cowrap_co_queue_wait() called outside a coroutine\n");
		return -EPERM;
	}
	ret = cowrap_co_may_park(co);
	if (ret)
		return ret;	/* inline: not queued, @m still held */
	spin_lock_irq(&q->lock);
	list_add_tail(&co->node, &q->waiters);
	co->wait_on = q;
	spin_unlock_irq(&q->lock);
	if (m)
		cowrap_co_mutex_unlock(m);

	ret = cowrap_co_park(co, true);
	if (ret == -ECANCELED && !cowrap_co_queue_leave(q, co)) {
		/* a waker already took us off the queue: take its wake */
		cowrap_co_park(co, false);
		ret = 0;
	}
	if (m)
		cowrap_co_mutex_lock(m);
	return ret;
}
EXPORT_SYMBOL_GPL(cowrap_co_queue_wait_mutex);

int coroutine_fn cowrap_co_queue_wait(struct cowrap_co_queue *q)
{
	return cowrap_co_queue_wait_mutex(q, NULL);
}
EXPORT_SYMBOL_GPL(cowrap_co_queue_wait);

/* Unlink the oldest waiter; called with q->lock held. */
static struct cowrap_co *cowrap_co_queue_pop(struct cowrap_co_queue *q)
{
	struct cowrap_co *co;

	co = list_first_entry_or_null(&q->waiters, struct cowrap_co, node);
	if (co) {
		list_del_init(&co->node);
		co->wait_on = NULL;
	}
	return co;
}

bool cowrap_co_queue_next(struct cowrap_co_queue *q)
{
	struct cowrap_co *co;
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	co = cowrap_co_queue_pop(q);
	spin_unlock_irqrestore(&q->lock, flags);
	/* @co cannot go away before this wake: it waits for it */
	if (co)
		cowrap_co_wake(co);
	return co != NULL;
}
EXPORT_SYMBOL_GPL(cowrap_co_queue_next);

unsigned int cowrap_co_queue_restart_all(struct cowrap_co_queue *q)
{
	unsigned int n = 0, todo;
	struct cowrap_co *co;
	unsigned long flags;

	/*
	 * Wake only those queued on entry, one at a time, so that a woken
	 * coroutine that waits again at once is not woken a second time.
	 */
	spin_lock_irqsave(&q->lock, flags);
	todo = list_count_nodes(&q->waiters);
	spin_unlock_irqrestore(&q->lock, flags);

	while (n < todo) {
		spin_lock_irqsave(&q->lock, flags);
		co = cowrap_co_queue_pop(q);
		spin_unlock_irqrestore(&q->lock, flags);
		if (!co)
			break;
		cowrap_co_wake(co);
		n++;
	}
	return n;
}
EXPORT_SYMBOL_GPL(cowrap_co_queue_restart_all);

bool cowrap_co_queue_empty(struct cowrap_co_queue *q)
{
	unsigned long flags;
	bool empty;

	spin_lock_irqsave(&q->lock, flags);
	empty = list_empty(&q->waiters);
	spin_unlock_irqrestore(&q->lock, flags);
	return empty;
}
EXPORT_SYMBOL_GPL(cowrap_co_queue_empty);
