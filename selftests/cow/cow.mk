# SPDX-License-Identifier: GPL-2.0
# The cow backend's VM tests (cow_test): refused configurations, data
# against a model, persistence, concurrency, crash consistency and ext4
# over null_blk devices, with cowrapctl's --format and cow-check.

COW_TEST_DIR := $(BUILD)/selftests/cow
COW_TEST_DEPS := $(SRCTREE)/selftests/harness.h $(SRCTREE)/selftests/blk/blk_util.h \
	$(SRCTREE)/selftests/blk/nullb_util.h $(SRCTREE)/selftests/cow/cow_util.h \
	$(SRCTREE)/include/uapi/linux/cowrap.h

$(COW_TEST_DIR)/%: $(SRCTREE)/selftests/cow/%.c $(COW_TEST_DEPS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(UAPI_CFLAGS) -pthread -static -o $@ $<

VM_TESTS += $(COW_TEST_DIR)/cow_test
# cow_ext4: mkfs and fsck in the guest (ext4 and its modules: vm-run.sh)
VM_BINS += mkfs.ext4 e2fsck
