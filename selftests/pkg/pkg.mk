# SPDX-License-Identifier: GPL-2.0
# make install / uninstall into a scratch DESTDIR, and modinfo fields.

CHECK_HOST += pkg

check-host-pkg: _module
	@$(SRCTREE)/selftests/pkg/pkg-test.sh $(SRCTREE) $(BUILD)/pkg-test \
		$(KVER) $(KMOD_DIR)/cowrap_blk.ko

# The man pages against the programs' --help.
CHECK_HOST += man

check-host-man: $(COWRAP_GEN) $(BUILD)/tools/cowrapctl \
		$(BUILD)/tools/cowrap-objcheck
	@$(SRCTREE)/selftests/pkg/man-test.sh $(SRCTREE) $(COWRAP_GEN) \
		$(BUILD)/tools/cowrapctl $(BUILD)/tools/cowrap-objcheck
