# SPDX-License-Identifier: GPL-2.0
# The VM runner's verdicts and the closing summary, checked on synthetic
# console logs and TAP files.

CHECK_HOST += vmrun

check-host-vmrun:
	@$(SRCTREE)/selftests/vmrun/vmrun-test.sh $(SRCTREE)/tools/vm/report.sh \
		$(BUILD)/selftests/vmrun $(SRCTREE)/tools/tap-summary.sh
