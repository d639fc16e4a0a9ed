# SPDX-License-Identifier: GPL-2.0
# Teardown races: rmmod, DEL, opens and I/O in several threads, run in the
# VM (selftests/teardown/teardown_test.c; COWRAP_TEARDOWN_OPS for longer).

TEARDOWN_TEST_DIR := $(BUILD)/selftests/teardown

$(TEARDOWN_TEST_DIR)/teardown_test: $(SRCTREE)/selftests/teardown/teardown_test.c \
		$(SRCTREE)/selftests/harness.h $(SRCTREE)/selftests/blk/blk_util.h \
		$(SRCTREE)/include/uapi/linux/cowrap.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(UAPI_CFLAGS) -pthread -static -o $@ $<

VM_TESTS += $(TEARDOWN_TEST_DIR)/teardown_test
