/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in of <linux/spinlock.h> for check-tsa.sh: the kernel's
 * spinlocks carry no clang capability attributes in 6.1 and 6.12 either.
 */
#ifndef _COWRAP_TSA_SPINLOCK_H
#define _COWRAP_TSA_SPINLOCK_H

typedef struct {
	int locked;
} spinlock_t;
#define DEFINE_SPINLOCK(x)	spinlock_t x = { 0 }
void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);

#endif /* _COWRAP_TSA_SPINLOCK_H */
