/* SPDX-License-Identifier: GPL-2.0 */
/* QEMU 7.2 spelled the marker generated_co_wrapper */
int coroutine_fn bdrv_co_pread(BdrvChild *child, int64_t offset);
int generated_co_wrapper bdrv_pread(BdrvChild *child, int64_t offset);
