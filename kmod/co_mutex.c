// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap coroutine layer: fair mutex (CoMutex).
 *
 * Unlock hands ownership straight to the oldest waiter before waking it,
 * so a coroutine that unlocks and locks again queues behind every waiter:
 * strict FIFO, no barging.  Waiting is not cancellable: a mutex owner
 * always makes progress towards its unlock.
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

void coroutine_fn cowrap_co_mutex_lock(struct cowrap_co_mutex *m)
{
	struct cowrap_co *co = cowrap_co_self();

	if (!co) {
		WARN_ONCE(1, "cowrap: cowrap_co_mutex_lock() called outside a coroutine\n");
		return;
	}
	spin_lock(&m->lock);
	if (!m->owner) {
		WRITE_ONCE(m->owner, co);
		spin_unlock(&m->lock);
		return;
	}
	if (WARN_ONCE(m->owner == co, "cowrap: CoMutex locked recursively\n")) {
		spin_unlock(&m->lock);
		return;
	}
	list_add_tail(&co->node, &m->waiters);
	spin_unlock(&m->lock);

	/* only the unlock that made us owner wakes us */
	cowrap_co_park(co, false);
	WARN_ON_ONCE(READ_ONCE(m->owner) != co);
}
EXPORT_SYMBOL_GPL(cowrap_co_mutex_lock);

void coroutine_fn cowrap_co_mutex_unlock(struct cowrap_co_mutex *m)
{
	struct cowrap_co *co = cowrap_co_self();
	struct cowrap_co *next;

	spin_lock(&m->lock);
	if (WARN_ONCE(!co || m->owner != co,
		      "cowrap: CoMutex unlocked by a non-owner\n")) {
		spin_unlock(&m->lock);
		return;
	}
	next = list_first_entry_or_null(&m->waiters, struct cowrap_co, node);
	if (next)
		list_del_init(&next->node);
	WRITE_ONCE(m->owner, next);
	spin_unlock(&m->lock);
	if (next)
		cowrap_co_wake(next);
}
EXPORT_SYMBOL_GPL(cowrap_co_mutex_unlock);
