/* SPDX-License-Identifier: GPL-2.0 */
/* conditionals the fast path reads: positions and texts as the lexer gives them */
#ifndef  GUARD_H
#define GUARD_H  1
int x;
	 #  if   A  &&	B
int y;
  #	else
int z;
 #else  
#endif
#endif
