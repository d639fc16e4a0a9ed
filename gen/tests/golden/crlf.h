/* SPDX-License-Identifier: GPL-2.0 */
/* cowrap-gen golden test: CRLF line endings */
int coroutine_fn crlf_co_read(int fd,
				 unsigned len);
int co_wrapper crlf_read(int fd, /* comment
 spanning */ unsigned len);
#ifdef CRLF_EXTRA
void coroutine_fn crlf_co_extra(void);
void co_wrapper_mixed crlf_extra(void);
#endif
