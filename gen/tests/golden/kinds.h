/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrap-gen golden test: the three kinds of wrapper, context rules and
 * the naming rule (prefix chosen from the declared coroutine function).
 */
struct kd_dev;
struct kd_other;
struct cowrap_ctx *kd_dev_ctx(struct kd_dev *dev);
struct cowrap_ctx *kd_default(void);

int coroutine_fn kd_dev_co_pread(struct kd_dev *dev, void *buf, u64 len);
int coroutine_fn kd_dev_co_flush(struct kd_dev *dev);
int coroutine_fn kd_co_stat(const struct kd_dev *dev, u64 *size);
void coroutine_fn kd_co_poke(struct kd_other *o);
int kd_open(const char *path, int flags);
void kd_close(struct kd_dev *dev);

/* context from the first parameter (rule for "struct kd_dev *") */
int co_wrapper kd_dev_pread(struct kd_dev *dev, void *buf, u64 len);
int co_wrapper_mixed kd_dev_flush(struct kd_dev *dev);
/* not the exact type: the default context */
int co_wrapper kd_stat(const struct kd_dev *dev, u64 *size);
void co_wrapper_mixed kd_poke(struct kd_other *o);

/* the reverse direction */
int no_co_wrapper kd_co_open(const char *path, int flags);
void no_co_wrapper kd_co_close(struct kd_dev *dev);
