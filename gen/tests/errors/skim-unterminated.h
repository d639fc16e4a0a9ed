/* SPDX-License-Identifier: GPL-2.0 */
/* an #if the fast path opened is still open at the end */
int a;
   #  ifdef  A
int b;
#if B
#endif
