/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrap-gen golden test: storage, attributes and macros before and after
 * the marker and after the parameter list.
 */
#define ATTR_MACRO
#define ATTR_ARGS(x)

int coroutine_fn attr_co_extern(int a);
int coroutine_fn attr_co_checked(int a);
int coroutine_fn attr_co_gnu(int a, const char *name);
int coroutine_fn attr_co_macro(int a);
int coroutine_fn attr_co_after(int a, const char *fmt);
int coroutine_fn attr_co_typedef(int a);

extern int co_wrapper attr_extern(int a);
int __must_check co_wrapper attr_checked(int a);
__attribute__((warn_unused_result)) int co_wrapper
__attribute__((nonnull(2)))
attr_gnu(int a, const char *name);
int ATTR_MACRO co_wrapper ATTR_ARGS(1) attr_macro(int a);
int co_wrapper attr_after(int a, const char *fmt) __printf(2, 0)
	__attribute__((nonnull(2)));
s64 ATTR_MACRO co_wrapper __must_check attr_typedef(int a);
