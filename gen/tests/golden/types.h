/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrap-gen golden test: return and parameter types as written: multi-word
 * and qualified types, typedefs, sparse address spaces, arrays,
 * function pointers, void and zero-argument wrappers, uppercase names.
 */
struct ty_foo;
enum ty_mode { TY_A, TY_B };
typedef void (*ty_cb_t)(void *opaque);

unsigned long long coroutine_fn ty_co_ull(unsigned long long a, unsigned b);
const struct ty_foo *coroutine_fn ty_co_cptr(const struct ty_foo *const f,
					     struct ty_foo **pp);
enum ty_mode coroutine_fn ty_co_mode(enum ty_mode m, sector_t s, bool b);
ssize_t coroutine_fn ty_co_user(void __user *buf, const char __user *const *argv,
				size_t len);
int coroutine_fn ty_co_arrays(u8 key[16], const u8 iv[static 8],
			      int m[3][4], char *names[2]);
void coroutine_fn ty_co_fnptr(void (*done)(void *opaque, int ret),
			      ty_cb_t cb, void *opaque, int (*pick[2])(int));
void coroutine_fn ty_co_none(void);
bool coroutine_fn TY_co_Upper(int Value);
char *coroutine_fn ty_co_str(int n);
u64 coroutine_fn ty_co_u64(u64 v);

unsigned long long co_wrapper ty_ull(unsigned long long a, unsigned b);
const struct ty_foo *co_wrapper ty_cptr(const struct ty_foo *const f,
					struct ty_foo **pp);
enum ty_mode co_wrapper ty_mode(enum ty_mode m, sector_t s, bool b);
ssize_t co_wrapper ty_user(void __user *buf, const char __user *const *argv,
			   size_t len);
int co_wrapper ty_arrays(u8 key[16], const u8 iv[static 8], int m[3][4],
			 char *names[2]);
void co_wrapper ty_fnptr(void (*done)(void *opaque, int ret), ty_cb_t cb,
			 void *opaque, int (*pick[2])(int));
void co_wrapper ty_none(void);
bool co_wrapper TY_Upper(int Value);
char *co_wrapper ty_str(int n);
u64 co_wrapper ty_u64(u64 v);
