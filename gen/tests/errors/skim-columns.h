/* SPDX-License-Identifier: GPL-2.0 */
/* tabs and UTF-8 before an error on the same line: columns as gcc counts */
	int	x; /* é ü */	static int f(void) { return 0; } int g(void) ] ;
