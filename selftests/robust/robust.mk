# SPDX-License-Identifier: GPL-2.0
# Robustness of the control plane and the I/O path (issue 16), run in the
# VM (selftests/robust/robust_test.c).

ROBUST_TEST_DIR := $(BUILD)/selftests/robust

$(ROBUST_TEST_DIR)/robust_test: $(SRCTREE)/selftests/robust/robust_test.c \
		$(SRCTREE)/selftests/harness.h $(SRCTREE)/selftests/blk/blk_util.h \
		$(SRCTREE)/include/uapi/linux/cowrap.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(UAPI_CFLAGS) -pthread -static -o $@ $<

VM_TESTS += $(ROBUST_TEST_DIR)/robust_test
