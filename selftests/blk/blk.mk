# SPDX-License-Identifier: GPL-2.0
# cowrap block device tests, run in the VM: the data path (blk_io_test),
# the control ABI and lifecycle (blk_abi_test) and the execution engine
# (blk_engine_test).

BLK_TEST_DIR := $(BUILD)/selftests/blk
BLK_TEST_DEPS := $(SRCTREE)/selftests/harness.h $(SRCTREE)/selftests/blk/blk_util.h \
	$(SRCTREE)/include/uapi/linux/cowrap.h

$(BLK_TEST_DIR)/%: $(SRCTREE)/selftests/blk/%.c $(BLK_TEST_DEPS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(UAPI_CFLAGS) -pthread -static -o $@ $<

VM_TESTS += $(BLK_TEST_DIR)/blk_io_test $(BLK_TEST_DIR)/blk_abi_test \
	    $(BLK_TEST_DIR)/blk_engine_test

# make bench: fio on cowrap vs null_blk vs brd in one guest
$(BLK_TEST_DIR)/blk_bench.sh: $(SRCTREE)/selftests/blk/blk_bench.sh
	@mkdir -p $(dir $@)
	cp $< $@

VM_BENCHES += $(BLK_TEST_DIR)/blk_bench.sh
# fio and its libraries make the initramfs ~85 MiB: only for benchmarks
ifneq ($(filter bench _bench,$(MAKECMDGOALS)),)
VM_BINS += fio
endif
