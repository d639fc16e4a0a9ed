# SPDX-License-Identifier: GPL-2.0
# ioctl fuzzer of /dev/cowrap-ctl, run in the VM (selftests/fuzz/fuzz_test.c).
# Longer runs: fuzz_test -n OPS -t THREADS -s SEED in the guest, or
# COWRAP_FUZZ_OPS / COWRAP_FUZZ_SEED / COWRAP_FUZZ_THREADS.

FUZZ_TEST_DIR := $(BUILD)/selftests/fuzz

$(FUZZ_TEST_DIR)/fuzz_test: $(SRCTREE)/selftests/fuzz/fuzz_test.c \
		$(SRCTREE)/selftests/blk/blk_util.h $(SRCTREE)/include/uapi/linux/cowrap.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(UAPI_CFLAGS) -pthread -static -o $@ $<

VM_TESTS += $(FUZZ_TEST_DIR)/fuzz_test
