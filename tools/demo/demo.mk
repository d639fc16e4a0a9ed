# SPDX-License-Identifier: GPL-2.0
# "make demo": the guest-side script.

$(BUILD)/demo/demo.sh: $(SRCTREE)/tools/demo/demo.sh
	@mkdir -p $(dir $@)
	cp $< $@

VM_DEMO += $(BUILD)/demo/demo.sh
# it reads cowrapctl's JSON with jq
VM_BINS += jq
