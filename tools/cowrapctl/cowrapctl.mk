# SPDX-License-Identifier: GPL-2.0
# cowrapctl. Its output goes through libsmartcols, which Debian ships as a
# shared library only: the VM runner copies the libraries of every file it
# puts into the guest (tools/vm/vm-run.sh).

COWRAPCTL := $(BUILD)/tools/cowrapctl
SMARTCOLS_CFLAGS := $(shell pkg-config --cflags smartcols 2>/dev/null)
SMARTCOLS_LIBS := $(or $(shell pkg-config --libs smartcols 2>/dev/null),-lsmartcols)

$(COWRAPCTL): $(wildcard $(SRCTREE)/tools/cowrapctl/*.c $(SRCTREE)/tools/cowrapctl/*.h) \
		$(SRCTREE)/include/uapi/linux/cowrap.h \
		$(SRCTREE)/include/uapi/linux/cowrap_cow.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(UAPI_CFLAGS) $(SMARTCOLS_CFLAGS) -o $@ \
		$(filter %.c,$^) $(SMARTCOLS_LIBS)

HOST_PROGS += $(COWRAPCTL)
VM_FILES += $(COWRAPCTL)
