// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection (COWRAP_IOC_SET_FAULT): one rule per device that fails
 * the nth matching request once, every nth one, or delays every nth one.
 */
#include <linux/spinlock.h>

#include "dev.h"

/**
 * cowrap_fault_set() - replace the fault rule of a device
 * @dev: device
 * @f: validated rule (cowrap_fault_check_args()); mode NONE clears it
 *
 * Counting starts again from zero.  Any context that may take a spinlock.
 */
void cowrap_fault_set(struct cowrap_dev *dev, const struct cowrap_fault *f)
{
	struct cowrap_fault_rule *r = &dev->fault;

	spin_lock(&r->lock);
	r->mode = f->mode;
	r->ops = f->ops;
	r->nth = f->nth;
	r->error = f->error;
	r->latency_ns = f->latency_ns;
	r->seen = 0;
	spin_unlock(&r->lock);
}

/**
 * cowrap_fault_hit() - apply the fault rule to one request
 * @dev: device
 * @op: COWRAP_OP_* of the request
 * @delay_ns: set to the latency to add (0 for none)
 *
 * Called once per request or synchronous call, before it reaches the
 * backend.  Counts faults in the device statistics.
 *
 * Return: 0, or the negative errno the request must fail with.
 */
int cowrap_fault_hit(struct cowrap_dev *dev, unsigned int op, u64 *delay_ns)
{
	struct cowrap_fault_rule *r = &dev->fault;
	bool hit = false;
	int err = 0;

	*delay_ns = 0;
	if (!READ_ONCE(r->mode))
		return 0;
	spin_lock(&r->lock);
	if (r->mode && (r->ops & COWRAP_OP_BIT(op))) {
		r->seen++;
		switch (r->mode) {
		case COWRAP_FAULT_FAIL_NTH:
			hit = r->seen == r->nth;
			err = -(int)r->error;
			break;
		case COWRAP_FAULT_FAIL_EVERY:
			hit = r->seen % r->nth == 0;
			err = -(int)r->error;
			break;
		case COWRAP_FAULT_DELAY:
			hit = r->seen % r->nth == 0;
			*delay_ns = hit ? r->latency_ns : 0;
			break;
		}
	}
	spin_unlock(&r->lock);
	if (!hit)
		return 0;
	cowrap_dev_stat_inc(dev, faults_injected);
	return *delay_ns ? 0 : err;
}
