# SPDX-License-Identifier: GPL-2.0
#
# cowrap-objcheck: libelf checker of calling contexts in built objects,
# its libFuzzer harness (clang, ASan + UBSan) and its tests.

OBJCHECK_DIR := $(SRCTREE)/tools/objcheck
OBJCHECK := $(BUILD)/tools/cowrap-objcheck
OBJCHECK_FUZZ := $(BUILD)/objcheck/objcheck-fuzz
OBJCHECK_LIB_SRCS := $(addprefix $(OBJCHECK_DIR)/,elfobj.c records.c \
			check.c argsetup.c)
OBJCHECK_HDRS := $(OBJCHECK_DIR)/objcheck.h

HOST_PROGS += $(OBJCHECK)
CHECK_HOST += objcheck

$(OBJCHECK): $(OBJCHECK_DIR)/main.c $(OBJCHECK_LIB_SRCS) $(OBJCHECK_HDRS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $(OBJCHECK_DIR)/main.c \
		$(OBJCHECK_LIB_SRCS) -lelf

$(OBJCHECK_FUZZ): $(OBJCHECK_DIR)/fuzz.c $(OBJCHECK_LIB_SRCS) $(OBJCHECK_HDRS)
	@mkdir -p $(dir $@)
	clang -g -O1 -Wall -Wextra -Werror -std=gnu11 \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $(OBJCHECK_DIR)/fuzz.c $(OBJCHECK_LIB_SRCS) -lelf

# The module case must report "not ok" when the module does not build:
# build it here and hand the status to the test instead of depending on
# the target.
.PHONY: check-host-objcheck
check-host-objcheck: $(OBJCHECK) $(OBJCHECK_FUZZ) \
		$(addsuffix /build.status,$(CONTEXT_OUTS))
	@$(MAKE) --no-print-directory _module >$(BUILD)/objcheck-module.log 2>&1; \
	$(OBJCHECK_DIR)/check-objcheck.sh $(OBJCHECK) $(OBJCHECK_FUZZ) \
		$(CONTEXT_SRC) $(BUILD)/objcheck $$? \
		$(KMOD_DIR)/cowrap_blk.ko $(CONTEXT_OUTS)
