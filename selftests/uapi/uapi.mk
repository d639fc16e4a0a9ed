# SPDX-License-Identifier: GPL-2.0
# The UAPI header must compile on its own in userspace, as C99 and as C++,
# and keep the layout it documents.

CHECK_HOST += uapi

UAPI_HDR := $(SRCTREE)/include/uapi/linux/cowrap.h

check-host-uapi:
	@$(SRCTREE)/selftests/uapi/uapi-test.sh $(UAPI_HDR) $(BUILD)/selftests/uapi
