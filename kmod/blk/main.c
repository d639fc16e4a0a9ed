// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap_blk: QEMU-style coroutines for Linux block drivers.
 *
 * Module entry and exit: bring up the layers in order, tear them down in
 * reverse.
 */
#include <linux/module.h>

#include "../co/co_layer.h"
#include "ctl.h"
#include "dev.h"
#include "version.h"

static int __init cowrap_init(void)
{
	int ret;

	ret = cowrap_co_layer_init();
	if (ret)
		return ret;
	ret = cowrap_dev_init();
	if (ret)
		goto err_co;
	ret = cowrap_ctl_init();
	if (ret)
		goto err_dev;
	/*
	 * Last: a device can be opened as soon as it exists, and the
	 * unwinding below would free it under its opener (issue 16, item 7).
	 */
	cowrap_dev_create_param_devices();
	pr_info("cowrap: version %s loaded\n", COWRAP_MODULE_VERSION);
	return 0;

err_dev:
	cowrap_dev_exit();
err_co:
	cowrap_co_layer_exit();
	return ret;
}

static void __exit cowrap_exit(void)
{
	cowrap_ctl_exit();
	cowrap_dev_exit();
	cowrap_co_layer_exit();
	pr_info("cowrap: unloaded\n");
}

module_init(cowrap_init);
module_exit(cowrap_exit);

MODULE_DESCRIPTION("cowrap: coroutine-based virtual block device");
MODULE_AUTHOR("The cowrap developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(COWRAP_MODULE_VERSION);
