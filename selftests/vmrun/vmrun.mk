# SPDX-License-Identifier: GPL-2.0
# The VM runner's verdicts, checked on synthetic console logs.

CHECK_HOST += vmrun

check-host-vmrun:
	@$(SRCTREE)/selftests/vmrun/vmrun-test.sh $(SRCTREE)/tools/vm/report.sh \
		$(BUILD)/selftests/vmrun
