/* SPDX-License-Identifier: GPL-2.0 */
/* CR LF and lone CR line ends before an error: the fast path counts them */
struct s {
	int x; /* a
		  comment */
};#define A(x) \
	((x) + 1)static inline int f(void)
{
	return A(1);
}
	int g(int a) );
