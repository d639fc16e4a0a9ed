/* SPDX-License-Identifier: GPL-2.0 */
#ifdef A
#else
#elif B
#endif
