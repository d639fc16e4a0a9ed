// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap_test.ko: runs coroutine-layer test cases on request.
 *
 * /sys/kernel/debug/cowrap_test/run: write a case name, then read the
 * result from the same open file: "PASS <message>\n" or "FAIL <message>\n".
 * Writing an unknown name fails with -ENOENT.  Reading "cases" lists the
 * case names, one per line.  Cases run one at a time, in the writer's
 * process context.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "cowrap_test.h"

struct ct_case {
	const char *name;
	ct_case_fn fn;
};

#define CT_CASE(n) { #n, ct_##n }

static const struct ct_case ct_cases[] = {
	CT_CASE(lifecycle),
	CT_CASE(embedded_reuse),
	CT_CASE(nested_enter),
	CT_CASE(yield_wake_order),
	CT_CASE(wake_before_yield),
	CT_CASE(wake_before_enter),
	CT_CASE(in_coroutine_process),
	CT_CASE(in_coroutine_coroutine),
	CT_CASE(in_coroutine_hardirq),
	CT_CASE(in_coroutine_softirq),
	CT_CASE(in_coroutine_workqueue),
	CT_CASE(wake_from_hardirq),
	CT_CASE(wake_from_softirq),
	CT_CASE(queue_fifo),
	CT_CASE(queue_restart_all),
	CT_CASE(mutex_fifo_handoff),
	CT_CASE(mutex_exclusion_fairness),
	CT_CASE(rwlock_fifo),
	CT_CASE(rwlock_upgrade_downgrade),
	CT_CASE(rwlock_exclusion),
	CT_CASE(sleep_accuracy),
	CT_CASE(park_10000),
	CT_CASE(ctx_destroy_parked),
	CT_CASE(poll_co),
	CT_CASE(call_noco),
	CT_CASE(wrong_context_yield),
	CT_CASE(wrong_context_poll_co),
	CT_CASE(wrong_context_call_noco),
	CT_CASE(bio_submit_wait),
	CT_CASE(bio_batch),
	CT_CASE(bio_batch_finish),
	CT_CASE(inline_path),
	CT_CASE(worker_path),
	CT_CASE(deferred_restart),
	CT_CASE(inline_hardirq),
	CT_CASE(continue_cpu),
	CT_CASE(reap_idle),
	CT_CASE(spawn_failure),
	CT_CASE(bench),
};

struct ct_file {
	struct ct_result res;
	size_t len;
	char out[CT_MSG_LEN + 8];
};

static DEFINE_MUTEX(ct_run_lock);
static struct dentry *ct_dir;

int ct_fail(struct ct_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void ct_note(struct ct_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
}

unsigned int ct_live(struct cowrap_ctx *ctx)
{
	struct cowrap_ctx_stats st;

	cowrap_ctx_get_stats(ctx, &st);
	return st.nr_live;
}

bool ct_wait_idle(struct cowrap_ctx *ctx, unsigned int ms)
{
	return ct_wait_until(ct_live(ctx) == 0, ms);
}

static const struct ct_case *ct_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ct_cases); i++)
		if (!strcmp(ct_cases[i].name, name))
			return &ct_cases[i];
	return NULL;
}

static int ct_open(struct inode *inode, struct file *file)
{
	struct ct_file *f = kzalloc(sizeof(*f), GFP_KERNEL);
	size_t i, n = 0;

	if (!f)
		return -ENOMEM;
	/* until a case runs, reading lists the cases */
	for (i = 0; i < ARRAY_SIZE(ct_cases) && n < sizeof(f->out); i++)
		n += scnprintf(f->out + n, sizeof(f->out) - n, "%s\n",
			       ct_cases[i].name);
	f->len = n;
	file->private_data = f;
	return 0;
}

static int ct_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static ssize_t ct_write(struct file *file, const char __user *buf,
			size_t count, loff_t *ppos)
{
	struct ct_file *f = file->private_data;
	const struct ct_case *c;
	char name[48];
	int ret;

	if (!count || count >= sizeof(name))
		return -EINVAL;
	if (copy_from_user(name, buf, count))
		return -EFAULT;
	name[count] = '\0';
	strim(name);
	c = ct_find(strim(name));
	if (!c)
		return -ENOENT;

	mutex_lock(&ct_run_lock);
	memset(&f->res, 0, sizeof(f->res));
	pr_info("cowrap_test: running %s\n", c->name);
	ret = c->fn(&f->res);
	pr_info("cowrap_test: %s %s: %s\n", c->name, ret ? "FAIL" : "PASS",
		f->res.msg);
	mutex_unlock(&ct_run_lock);

	f->len = scnprintf(f->out, sizeof(f->out), "%s %s\n",
			   ret ? "FAIL" : "PASS", f->res.msg);
	*ppos = 0;
	return count;
}

static ssize_t ct_read(struct file *file, char __user *buf, size_t count,
		       loff_t *ppos)
{
	struct ct_file *f = file->private_data;

	return simple_read_from_buffer(buf, count, ppos, f->out, f->len);
}

static const struct file_operations ct_fops = {
	.owner = THIS_MODULE,
	.open = ct_open,
	.release = ct_release,
	.read = ct_read,
	.write = ct_write,
	.llseek = default_llseek,
};

static int __init ct_init(void)
{
	ct_dir = debugfs_create_dir("cowrap_test", NULL);
	if (IS_ERR(ct_dir))
		return PTR_ERR(ct_dir);
	debugfs_create_file("run", 0600, ct_dir, NULL, &ct_fops);
	return 0;
}

static void __exit ct_exit(void)
{
	debugfs_remove_recursive(ct_dir);
}

module_init(ct_init);
module_exit(ct_exit);

MODULE_DESCRIPTION("cowrap: coroutine layer test cases");
MODULE_AUTHOR("The cowrap developers");
MODULE_LICENSE("GPL");
