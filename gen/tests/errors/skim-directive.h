/* SPDX-License-Identifier: GPL-2.0 */
/* directives the fast path passes over, then a spliced #endif it must not */
#define A /* a comment
   that spans lines */ 1
#  define B "/*" \
  2
#include <x.h> // "
int x;
#en\
dif
