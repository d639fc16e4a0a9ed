# SPDX-License-Identifier: GPL-2.0
# cowrapctl, built static so that it also runs in the test guest.

COWRAPCTL := $(BUILD)/tools/cowrapctl

$(COWRAPCTL): $(wildcard $(SRCTREE)/tools/cowrapctl/*.c $(SRCTREE)/tools/cowrapctl/*.h) \
		$(SRCTREE)/include/uapi/linux/cowrap.h \
		$(SRCTREE)/include/uapi/linux/cowrap_cow.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(UAPI_CFLAGS) -static -o $@ \
		$(filter %.c,$^)

HOST_PROGS += $(COWRAPCTL)
VM_FILES += $(COWRAPCTL)
