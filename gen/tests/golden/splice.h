/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Line splices (backslash-newline) inside tokens join them, as the
 * compiler's translation phase 2 does.
 */
#include <linux/types.h>

int coroutine_fn sp_co_read(int fd, u64 len);
int coroutine_fn sp_co_write(int fd, u64 len);
int coroutine_fn sp_co_sync(int fd);

/* the marker split in two */
int co_wrap\
per sp_read(int fd, u64 len);

/* the name and a parameter type split, with CR LF */
int co_wrapper sp_wr\
ite(int f\
d, u\
64 len);

/* a splice in a comment line continues the comment \
int co_wrapper sp_hidden(int fd);
*/
#if defined(CONFIG_SP_SY\
NC)
int co_wrapper sp_sync(int fd);
#endif
