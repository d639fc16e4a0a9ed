# SPDX-License-Identifier: GPL-2.0
# Control device basics and module load/unload, run in the VM.

CTL_TEST_DIR := $(BUILD)/selftests/ctl

$(CTL_TEST_DIR)/ctl_test: $(SRCTREE)/selftests/ctl/ctl_test.c \
		$(SRCTREE)/selftests/harness.h $(SRCTREE)/include/uapi/linux/cowrap.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(UAPI_CFLAGS) -static -o $@ $<

$(CTL_TEST_DIR)/load_unload.sh: $(SRCTREE)/selftests/ctl/load_unload.sh
	@mkdir -p $(dir $@)
	cp $< $@

VM_TESTS += $(CTL_TEST_DIR)/ctl_test $(CTL_TEST_DIR)/load_unload.sh

# cowrapctl's output: its JSON is parsed with python3 and jq in the guest.
$(CTL_TEST_DIR)/ctl_output.sh: $(SRCTREE)/selftests/ctl/ctl_output.sh
	@mkdir -p $(dir $@)
	cp $< $@

VM_TESTS += $(CTL_TEST_DIR)/ctl_output.sh
VM_FILES += $(SRCTREE)/selftests/tap.sh
VM_BINS += jq
VM_PYTHON += json.tool
