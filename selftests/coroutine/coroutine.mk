# SPDX-License-Identifier: GPL-2.0
# Coroutine layer: in-VM tests and benchmark, both driving cowrap_test.ko.

CO_SELFTEST_DIR := $(BUILD)/selftests/coroutine
CO_SELFTEST_SRC := $(SRCTREE)/selftests/coroutine

VM_TESTS += $(CO_SELFTEST_DIR)/coroutine_test
VM_BENCHES += $(CO_SELFTEST_DIR)/coroutine_bench
VM_FILES += $(KMOD_DIR)/cowrap_test.ko

$(CO_SELFTEST_DIR)/%: $(CO_SELFTEST_SRC)/%.c $(CO_SELFTEST_SRC)/co_common.h \
		$(SRCTREE)/selftests/harness.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -static -o $@ $<
