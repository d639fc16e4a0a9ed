// SPDX-License-Identifier: GPL-2.0
/*
 * The coroutine layer's API version, exported for consumer modules
 * (include/cowrap/version.h, cowrap_api_check()).
 */
#include <linux/export.h>

#include <cowrap/version.h>

const unsigned int cowrap_api_version = COWRAP_API_VERSION;
EXPORT_SYMBOL_GPL(cowrap_api_version);
