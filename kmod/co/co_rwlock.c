// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap coroutine layer: read-write lock (CoRwlock).
 *
 * Waiters queue in arrival order, readers and writers alike, and a
 * coroutine that asks for the lock while others wait queues behind them:
 * a waiting writer stops new readers, so writers are not starved.
 * Whoever releases the lock hands it to the head of the queue before
 * waking it (as the CoMutex does): a writer, or every reader up to the
 * next writer.  An upgrade queues at the head.  Waits are not
 * cancellable.  A coroutine running inline takes a free lock and refuses
 * to wait for a held one (-EAGAIN).
 */
#include <linux/module.h>

#include "co_internal.h"

/**
 * struct cowrap_co_rwlock_waiter - a coroutine queued on a CoRwlock
 * @node: in the lock's waiters
 * @co: the coroutine, parked until it holds the lock
 * @write: it waits for the write lock
 *
 * Lives in the waiting coroutine's frame, which stays until its wake.
 */
struct cowrap_co_rwlock_waiter {
	struct list_head node;
	struct cowrap_co *co;
	bool write;
};

void cowrap_co_rwlock_init(struct cowrap_co_rwlock *l)
{
	spin_lock_init(&l->lock);
	l->readers = 0;
	l->owner = NULL;
	INIT_LIST_HEAD(&l->waiters);
}
EXPORT_SYMBOL_GPL(cowrap_co_rwlock_init);

/*
 * Hand the lock to the head of the queue as far as it is free: one
 * writer, or the readers before the first writer.  Called with l->lock
 * held; a waiter's frame may go as soon as it is woken, so it is
 * unlinked first and not touched after the wake.
 */
static void cowrap_co_rwlock_grant(struct cowrap_co_rwlock *l)
{
	struct cowrap_co_rwlock_waiter *w;
	struct cowrap_co *co;

	while ((w = list_first_entry_or_null(&l->waiters,
					     struct cowrap_co_rwlock_waiter,
					     node))) {
		if (l->owner || (w->write && l->readers))
			return;
		list_del_init(&w->node);
		co = w->co;
		if (w->write)
			WRITE_ONCE(l->owner, co);
		else
			l->readers++;
		cowrap_co_wake(co);
		if (l->owner)
			return;
	}
}

/* Queue @co (head or tail), drop l->lock and park until granted. */
static void coroutine_fn cowrap_co_rwlock_wait(struct cowrap_co_rwlock *l,
					       struct cowrap_co *co, bool write,
					       bool head, unsigned long flags)
	__releases(&l->lock)
{
	struct cowrap_co_rwlock_waiter w = { .co = co, .write = write };

	if (head)
		list_add(&w.node, &l->waiters);
	else
		list_add_tail(&w.node, &l->waiters);
	cowrap_co_rwlock_grant(l);	/* an upgrade may have freed it */
	spin_unlock_irqrestore(&l->lock, flags);
	/* only the grant that made us a holder wakes us */
	cowrap_co_park(co, false);
}

static int coroutine_fn cowrap_co_rwlock_lock(struct cowrap_co_rwlock *l,
					      bool write)
{
	struct cowrap_co *co = cowrap_co_self();
	unsigned long flags;
	bool free;
	int ret;

	if (!co) {
		WARN_ONCE(1, "cowrap: CoRwlock locked outside a coroutine\n");
		return -EPERM;
	}
	/* irqsave: an inline coroutine may run in interrupt context */
	spin_lock_irqsave(&l->lock, flags);
	if (WARN_ONCE(l->owner == co, "cowrap: CoRwlock locked recursively\n")) {
		spin_unlock_irqrestore(&l->lock, flags);
		return -EDEADLK;
	}
	free = !l->owner && list_empty(&l->waiters) && (!write || !l->readers);
	if (free) {
		if (write)
			WRITE_ONCE(l->owner, co);
		else
			l->readers++;
		spin_unlock_irqrestore(&l->lock, flags);
		return 0;
	}
	ret = cowrap_co_may_park(co);
	if (ret) {
		spin_unlock_irqrestore(&l->lock, flags);
		return ret;
	}
	cowrap_co_rwlock_wait(l, co, write, false, flags);
	return 0;
}

int coroutine_fn cowrap_co_rwlock_rdlock(struct cowrap_co_rwlock *l)
{
	return cowrap_co_rwlock_lock(l, false);
}
EXPORT_SYMBOL_GPL(cowrap_co_rwlock_rdlock);

int coroutine_fn cowrap_co_rwlock_wrlock(struct cowrap_co_rwlock *l)
{
	return cowrap_co_rwlock_lock(l, true);
}
EXPORT_SYMBOL_GPL(cowrap_co_rwlock_wrlock);

int coroutine_fn cowrap_co_rwlock_upgrade(struct cowrap_co_rwlock *l)
{
	struct cowrap_co *co = cowrap_co_self();
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&l->lock, flags);
	if (WARN_ONCE(!co || l->owner || !l->readers,
		      "cowrap: CoRwlock upgraded without the read lock\n")) {
		spin_unlock_irqrestore(&l->lock, flags);
		return -EPERM;
	}
	if (l->readers == 1) {
		/* the only holder: atomic, whoever waits */
		l->readers = 0;
		WRITE_ONCE(l->owner, co);
		spin_unlock_irqrestore(&l->lock, flags);
		return 0;
	}
	ret = cowrap_co_may_park(co);
	if (ret) {	/* inline: still a reader */
		spin_unlock_irqrestore(&l->lock, flags);
		return ret;
	}
	l->readers--;
	cowrap_co_rwlock_wait(l, co, true, true, flags);
	return 0;
}
EXPORT_SYMBOL_GPL(cowrap_co_rwlock_upgrade);

void coroutine_fn cowrap_co_rwlock_downgrade(struct cowrap_co_rwlock *l)
{
	struct cowrap_co *co = cowrap_co_self();
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	if (!WARN_ONCE(!co || l->owner != co,
		       "cowrap: CoRwlock downgraded by a non-owner\n")) {
		WRITE_ONCE(l->owner, NULL);
		l->readers = 1;
		cowrap_co_rwlock_grant(l);	/* the readers at the head */
	}
	spin_unlock_irqrestore(&l->lock, flags);
}
EXPORT_SYMBOL_GPL(cowrap_co_rwlock_downgrade);

void coroutine_fn cowrap_co_rwlock_unlock(struct cowrap_co_rwlock *l)
{
	struct cowrap_co *co = cowrap_co_self();
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	if (co && l->owner == co) {
		WRITE_ONCE(l->owner, NULL);
	} else if (WARN_ONCE(!co || l->owner || !l->readers,
			     "cowrap: CoRwlock unlocked by a non-holder\n")) {
		spin_unlock_irqrestore(&l->lock, flags);
		return;
	} else {
		l->readers--;
	}
	cowrap_co_rwlock_grant(l);
	spin_unlock_irqrestore(&l->lock, flags);
}
EXPORT_SYMBOL_GPL(cowrap_co_rwlock_unlock);
