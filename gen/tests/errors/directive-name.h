/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A directive's name is an identifier: "#if!A" is an #if, and "#if$A"
 * is not (gcc: invalid preprocessing directive), so its #endif has none.
 */
#if!defined(DN_A)
int co_wrapper dn_a(int a);
#endif
#if$DN_B
int co_wrapper dn_b(int a);
#endif
