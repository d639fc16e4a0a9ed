# SPDX-License-Identifier: GPL-2.0
# Fault tolerance under SET_FAULT and lower-device removal, run in the VM
# (selftests/fault/fault_test.c).

FAULT_TEST_DIR := $(BUILD)/selftests/fault

$(FAULT_TEST_DIR)/fault_test: $(SRCTREE)/selftests/fault/fault_test.c \
		$(SRCTREE)/selftests/harness.h $(SRCTREE)/selftests/blk/blk_util.h \
		$(SRCTREE)/include/uapi/linux/cowrap.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(UAPI_CFLAGS) -pthread -static -o $@ $<

VM_TESTS += $(FAULT_TEST_DIR)/fault_test
