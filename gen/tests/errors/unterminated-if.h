/* SPDX-License-Identifier: GPL-2.0 */
#ifdef A
  #if B
int co_wrapper x_y(int a);
#endif
