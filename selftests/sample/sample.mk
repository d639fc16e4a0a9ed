# SPDX-License-Identifier: GPL-2.0
#
# samples/cowsample, built outside the tree against the kit installed into
# build/kit (a DESTDIR with PREFIX=/usr), as a user of the kit would:
#
# - host check "sample" (sample-check.sh): every supported kernel, C=1 with
#   no warning, cowrap-objcheck clean, a planted wrong-context call
#   reported by both checkers;
# - VM test sample_test: the module built for KVER, loaded after
#   cowrap_blk.ko.

SAMPLE_SRC := $(SRCTREE)/samples/cowsample
SAMPLE_TEST_SRC := $(SRCTREE)/selftests/sample
SAMPLE_KIT := $(BUILD)/kit
SAMPLE_OUT := $(BUILD)/sample
SAMPLE_KVERS = $(or $(KVERS_SUPPORTED),$(KVER))
SAMPLE_TEST := $(BUILD)/selftests/sample/sample_test

CHECK_HOST += sample
VM_TESTS += $(SAMPLE_TEST)
VM_FILES += $(SAMPLE_OUT)/$(KVER)/vm/cowsample.ko \
	    $(SAMPLE_OUT)/$(KVER)/cowsample-api-newer.ko

.PHONY: _sample-kit _sample-ko check-host-sample

# The kit for KVER into build/kit, by the recipe "make install" uses.
_sample-kit: KIT_ROOT = $(SAMPLE_KIT)/usr
# (tools/*/*.mk are read after this file: the checker's path, spelt out.)
_sample-kit: _module $(COWRAP_GEN) $(BUILD)/tools/cowrap-objcheck
	$(kit_install_cmds)

# The module the VM loads, rebuilt as Kbuild sees fit; and the same built
# against a kit that claims API 1.99, which the loaded cowrap_blk (1.1)
# cannot serve: its init must refuse to load.
_sample-ko: _sample-kit
	@$(SAMPLE_TEST_SRC)/sample-build.sh $(SAMPLE_SRC) $(SAMPLE_OUT)/$(KVER)/vm \
		$(KDIR) $(SAMPLE_KIT)/usr/bin/cowrap-config || \
		{ cat $(SAMPLE_OUT)/$(KVER)/vm.log; exit 1; }
	@$(SAMPLE_TEST_SRC)/kit-variant.sh $(SAMPLE_KIT) $(SAMPLE_OUT)/$(KVER)/kit-newer 1 99
	@$(SAMPLE_TEST_SRC)/sample-build.sh $(SAMPLE_SRC) $(SAMPLE_OUT)/$(KVER)/vm-newer \
		$(KDIR) $(SAMPLE_OUT)/$(KVER)/kit-newer/usr/bin/cowrap-config || \
		{ cat $(SAMPLE_OUT)/$(KVER)/vm-newer.log; exit 1; }
	@cp $(SAMPLE_OUT)/$(KVER)/vm-newer/cowsample.ko $(SAMPLE_OUT)/$(KVER)/cowsample-api-newer.ko

$(SAMPLE_TEST): $(SAMPLE_TEST_SRC)/sample_test.c $(SRCTREE)/selftests/harness.h \
		| _sample-ko
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -static -o $@ $<

# A kit for every supported kernel first; a kernel whose kit failed shows
# as failures of its cases.
check-host-sample: $(COWRAP_GEN) $(BUILD)/tools/cowrap-objcheck
	@mkdir -p $(SAMPLE_OUT)
	@for v in $(SAMPLE_KVERS); do \
		$(MAKE) --no-print-directory -s _sample-kit KVER=$$v \
			>$(SAMPLE_OUT)/kit-$$v.log 2>&1 || \
			sed 's/^/# /' $(SAMPLE_OUT)/kit-$$v.log; \
	done
	@$(SAMPLE_TEST_SRC)/sample-check.sh $(SRCTREE) $(SAMPLE_OUT)/check \
		$(SAMPLE_KIT) $(SAMPLE_KVERS)
