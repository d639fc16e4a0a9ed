# SPDX-License-Identifier: GPL-2.0
# Memory and live objects across add / I/O / del cycles, run in the VM
# (selftests/mem/mem_test.c; COWRAP_MEM_CYCLES for longer runs).

MEM_TEST_DIR := $(BUILD)/selftests/mem

$(MEM_TEST_DIR)/mem_test: $(SRCTREE)/selftests/mem/mem_test.c \
		$(SRCTREE)/selftests/harness.h $(SRCTREE)/selftests/blk/blk_util.h \
		$(SRCTREE)/include/uapi/linux/cowrap.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(UAPI_CFLAGS) -static -o $@ $<

VM_TESTS += $(MEM_TEST_DIR)/mem_test
