# SPDX-License-Identifier: GPL-2.0
# make install / uninstall into a scratch DESTDIR, and modinfo fields.

CHECK_HOST += pkg

check-host-pkg: _module
	@$(SRCTREE)/selftests/pkg/pkg-test.sh $(SRCTREE) $(BUILD)/pkg-test \
		$(KVER) $(KMOD_DIR)/cowrap_blk.ko
