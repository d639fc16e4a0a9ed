// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap coroutine layer: fair mutex (CoMutex).
 *
 * Unlock hands ownership straight to the oldest waiter before waking it,
 * so a coroutine that unlocks and locks again queues behind every waiter:
 * strict FIFO, no barging.  Waiting is not cancellable: a mutex owner
 * always makes progress towards its unlock.  A coroutine running inline
 * takes a free mutex and refuses to wait for a held one.
 */
#include <linux/module.h>

#include "co_internal.h"

void cowrap_co_mutex_init(struct cowrap_co_mutex *m)
{
	spin_lock_init(&m->lock);
	m->owner = NULL;
	INIT_LIST_HEAD(&m->waiters);
}
EXPORT_SYMBOL_GPL(cowrap_co_mutex_init);

int coroutine_fn cowrap_co_mutex_lock(struct cowrap_co_mutex *m)
{
	struct cowrap_co *co = cowrap_co_self();
	unsigned long flags;
	int ret = 0;

	if (!co) {
		WARN_ONCE(1, "cowrap: cowrap_co_mutex_lock() called outside a coroutine\n");
		return -EPERM;
	}
	/* irqsave: an inline coroutine may run in interrupt context */
	spin_lock_irqsave(&m->lock, flags);
	if (!m->owner) {
		WRITE_ONCE(m->owner, co);
		goto out;
	}
	if (WARN_ONCE(m->owner == co, "cowrap: CoMutex locked recursively\n"))
		goto out;
	ret = cowrap_co_may_park(co);
	if (ret)
		goto out;
	list_add_tail(&co->node, &m->waiters);
	spin_unlock_irqrestore(&m->lock, flags);

	/* only the unlock that made us owner wakes us */
	cowrap_co_park(co, false);
	WARN_ON_ONCE(READ_ONCE(m->owner) != co);
	return 0;

out:
	spin_unlock_irqrestore(&m->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(cowrap_co_mutex_lock);

void coroutine_fn cowrap_co_mutex_unlock(struct cowrap_co_mutex *m)
{
	struct cowrap_co *co = cowrap_co_self();
	struct cowrap_co *next;
	unsigned long flags;

	spin_lock_irqsave(&m->lock, flags);
	if (WARN_ONCE(!co || m->owner != co,
		      "cowrap: CoMutex unlocked by a non-owner\n")) {
		spin_unlock_irqrestore(&m->lock, flags);
		return;
	}
	next = list_first_entry_or_null(&m->waiters, struct cowrap_co, node);
	if (next)
		list_del_init(&next->node);
	WRITE_ONCE(m->owner, next);
	spin_unlock_irqrestore(&m->lock, flags);
	if (next)
		cowrap_co_wake(next);
}
EXPORT_SYMBOL_GPL(cowrap_co_mutex_unlock);
