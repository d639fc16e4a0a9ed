# SPDX-License-Identifier: GPL-2.0
# cowrap under allocation failure (failslab, fail_page_alloc), run in the
# VM; needs a kernel with fault injection ("make check-debug") and skips
# elsewhere (selftests/faultinj/faultinj_test.c).

FAULTINJ_TEST_DIR := $(BUILD)/selftests/faultinj

$(FAULTINJ_TEST_DIR)/faultinj_test: $(SRCTREE)/selftests/faultinj/faultinj_test.c \
		$(SRCTREE)/selftests/harness.h $(SRCTREE)/selftests/blk/blk_util.h \
		$(SRCTREE)/selftests/coroutine/co_common.h \
		$(SRCTREE)/include/uapi/linux/cowrap.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(UAPI_CFLAGS) -static -o $@ $<

VM_TESTS += $(FAULTINJ_TEST_DIR)/faultinj_test
