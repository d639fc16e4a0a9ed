/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrap-gen golden test: declarations spanning lines, comments anywhere
 * (inside the parameter list too), indentation, unmarked code around them.
 */
#ifndef LAYOUT_H
#define LAYOUT_H

struct lay_dev;

/* the coroutine functions the wrappers run */
int coroutine_fn lay_co_read(struct lay_dev *dev, u64 off, u64 len);
int coroutine_fn lay_co_write(struct lay_dev *dev,
			      const void *buf, u64 len);
void coroutine_fn lay_co_sync(void);

/* co_wrapper here in a comment is not a declaration; neither is this: */
static inline int lay_helper(int x)
{
	const char *s = "int co_wrapper lay_fake(int x);";

	return x + (s[0] == 'i');
}

struct lay_ops {
	int (*read)(struct lay_dev *dev, u64 off, u64 len);
	int flags;
};

int
co_wrapper
lay_read(struct lay_dev *dev,	/* device */
	 u64 off /* offset */,
	 // length in bytes
	 u64 len);

	int co_wrapper lay_write(struct lay_dev *dev, const void *buf,
				 u64 len); /* trailing comment */

    void /* nothing */ co_wrapper /* between */ lay_sync(/* none */ void);

#endif /* LAYOUT_H */
