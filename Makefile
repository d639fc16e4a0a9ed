# SPDX-License-Identifier: GPL-2.0
#
# cowrap top-level build. Public targets install what they need first
# ("make deps") and then run the real work in a sub-make, so that kernel
# versions are discovered after the packages are in place.
#
#   make              generator, module (for KVER), tools, selftests
#   make check        host tests, then VM tests on every supported kernel
#   make check-host   host tests only
#   make check-vm     VM tests on one kernel (KVER=..., VM_ONLY=name[,name...])
#   make check-debug  build a debug kernel (KASAN, lockdep, kmemleak, fault
#                     injection) from linux-source-6.12, VM tests on it
#   make demo         boot a VM and show cowrap at work
#   make bench        benchmarks: host, then a VM run on every supported
#                     kernel; ends with every kernel's goal lines
#                     (BLK_BENCH_RUNTIME, BLK_BENCH_ROUNDS: selftests/blk)
#   make C=1|C=2      sparse over the module (passed through to Kbuild)
#   make install      module (updates/), tools, man pages, udev rule and
#                     the development kit (tools/kit/kit.mk);
#                     PREFIX, DESTDIR and INSTALL_MOD_DIR are honoured
#   make uninstall    remove what install put there
#   make clean        remove build/

SRCTREE := $(CURDIR)
BUILD := $(SRCTREE)/build

KVER ?= $(shell $(SRCTREE)/tools/kver.sh default)
KDIR ?= /lib/modules/$(KVER)/build
KMOD_DIR := $(BUILD)/kmod-$(KVER)
KVERS_SUPPORTED = $(shell $(SRCTREE)/tools/kver.sh supported)

HOST_CC ?= gcc
HOST_CFLAGS := -O2 -g -Wall -Wextra -Werror -std=gnu11
UAPI_CFLAGS := -I$(SRCTREE)/include/uapi
COWRAP_GEN := $(BUILD)/gen/cowrap-gen

VM_TIMEOUT ?= 600
# A benchmark guest runs every benchmark of one kernel, one after the other.
VM_BENCH_TIMEOUT ?= 1800
VM_MEM ?= 2G
# The kernel a VM boots and where its peer modules come from: Debian's for
# KVER unless check-debug points them at its own build. VM_TIMEOUT_SCALE
# multiplies the guest's time limit and each test's own timeouts.
VM_KERNEL ?= /boot/vmlinuz-$(KVER)
VM_MODDIR ?= /lib/modules/$(KVER)
VM_TIMEOUT_SCALE ?= 1

# check-debug: the debug kernel is cached under DEBUG_KERNEL_DIR, keyed by
# the source version and tools/debug-kernel/debug.config.
DEBUG_KERNEL_DIR := $(BUILD)/debug-kernel
DEBUG_TIMEOUT_SCALE ?= 4
DEBUG_VM_MEM ?= 3G
TAP_DIR := $(BUILD)/tap
comma := ,

HOST_PROGS :=
CHECK_HOST :=
BENCH :=
VM_TESTS :=
VM_FILES :=
VM_BENCHES :=
VM_BENCHES_4CPU :=
VM_DEMO :=
VM_BINS :=
VM_PYTHON :=
VM_BENCH_FILES :=
VM_BENCH_BINS :=

PREFIX ?= /usr/local
DESTDIR ?=
INSTALL_MOD_DIR ?= updates
UDEV_RULES_DIR ?= /lib/udev/rules.d

PUBLIC := all check check-host check-vm check-debug demo bench module install \
	  uninstall
.PHONY: $(PUBLIC) $(addprefix _,$(PUBLIC)) _bench-vm deps clean

all:

include $(sort $(wildcard $(SRCTREE)/gen/*.mk $(SRCTREE)/tools/*/*.mk \
			  $(SRCTREE)/selftests/*/*.mk))

# --- public entry points: deps first, then the work -----------------------

$(PUBLIC): deps
	@$(MAKE) --no-print-directory _$@

deps:
	@$(SRCTREE)/tools/deps.sh

# --- build -----------------------------------------------------------------

_all: _module $(HOST_PROGS) $(VM_TESTS) $(VM_BENCHES) $(VM_DEMO)

_module: $(if $(wildcard $(SRCTREE)/gen/gen.mk),$(COWRAP_GEN))
	@test -n "$(KVER)" || { echo "no kernel headers found: run make deps" >&2; exit 1; }
	@$(SRCTREE)/tools/mktree.sh $(SRCTREE) $(KMOD_DIR)
	$(MAKE) -C $(KDIR) M=$(KMOD_DIR) COWRAP_GEN=$(COWRAP_GEN) modules

# --- tests -----------------------------------------------------------------

_check:
	@rm -rf $(TAP_DIR)
	@status=0; \
	$(MAKE) --no-print-directory _check-host || status=1; \
	for v in $(KVERS_SUPPORTED); do \
		$(MAKE) --no-print-directory _check-vm KVER=$$v || status=1; \
	done; \
	echo; \
	for v in $(KVERS_SUPPORTED); do \
		$(MAKE) --no-print-directory _check-dkms KVER=$$v || status=1; \
	done; \
	echo; \
	$(SRCTREE)/tools/tap-summary.sh $(TAP_DIR)/*.tap || status=1; \
	exit $$status

_check-host:
	@status=0; \
	for s in $(CHECK_HOST); do \
		$(SRCTREE)/tools/run-tap.sh $(TAP_DIR)/host-$$s.tap $$s -- \
			$(MAKE) --no-print-directory -s check-host-$$s || status=1; \
	done; \
	exit $$status

_check-vm: _all
	$(SRCTREE)/tools/vm/vm-run.sh --kver $(KVER) --kmod $(KMOD_DIR)/cowrap_blk.ko \
		--out $(BUILD)/vm-$(KVER) --mode check --timeout $(VM_TIMEOUT) \
		--mem $(VM_MEM) --tap $(TAP_DIR)/vm-$(KVER).tap \
		--kernel $(VM_KERNEL) --moddir $(VM_MODDIR) \
		--timeout-scale $(VM_TIMEOUT_SCALE) \
		--files "$(VM_FILES)" --bins "$(VM_BINS)" --python "$(VM_PYTHON)" \
		$(if $(VM_ONLY),--only $(VM_ONLY)) -- $(VM_TESTS)

# Build (or reuse) the debug kernel, build the module and the tests against
# its tree, and run the VM suite on it with scaled timeouts. VM_ONLY works
# as for check-vm.
_check-debug:
	@d=$$($(SRCTREE)/tools/debug-kernel/build.sh $(DEBUG_KERNEL_DIR)) || exit 1; \
	v=$$(cat $$d/kernelrelease); \
	rm -f $(TAP_DIR)/vm-$$v.tap; \
	start=$$(date +%s); \
	$(MAKE) --no-print-directory _check-vm KVER=$$v KDIR=$$d/obj \
		VM_KERNEL=$$d/bzImage VM_MODDIR=$$d/mods/lib/modules/$$v \
		VM_TIMEOUT_SCALE=$(DEBUG_TIMEOUT_SCALE) VM_MEM=$(DEBUG_VM_MEM); \
	status=$$?; \
	echo "check-debug: VM suite on $$v took $$(( $$(date +%s) - start )) s"; \
	echo; \
	$(SRCTREE)/tools/tap-summary.sh $(TAP_DIR)/vm-$$v.tap || status=1; \
	exit $$status

# Build with dkms into a private tree and run the control tests on the
# module it made.
_check-dkms: _all
	@ko=$$($(SRCTREE)/tools/pkg/dkms-test.sh $(SRCTREE) $(BUILD)/dkms-$(KVER) \
		$(KVER) 2>$(BUILD)/dkms-$(KVER).tap); st=$$?; \
	mkdir -p $(TAP_DIR); cp $(BUILD)/dkms-$(KVER).tap $(TAP_DIR)/dkms-$(KVER).tap; \
	cat $(TAP_DIR)/dkms-$(KVER).tap; \
	test $$st -eq 0 || exit 1; \
	$(SRCTREE)/tools/vm/vm-run.sh --kver $(KVER) --kmod $$ko \
		--out $(BUILD)/vm-dkms-$(KVER) --mode check --timeout $(VM_TIMEOUT) \
		--mem $(VM_MEM) --tap $(TAP_DIR)/vm-dkms-$(KVER).tap \
		--only ctl_test -- $(VM_TESTS) > $(BUILD)/vm-dkms-$(KVER).out; \
	st=$$?; sed 's/: /: dkms module: /' $(TAP_DIR)/vm-dkms-$(KVER).tap; exit $$st

# --- install -----------------------------------------------------------------

INSTALL_BINS = $(filter $(BUILD)/gen/cowrap-gen $(BUILD)/tools/%,$(HOST_PROGS))
MAN_PAGES = $(wildcard $(SRCTREE)/Documentation/man/*.[0-9])

_install: _all
	$(MAKE) -C $(KDIR) M=$(KMOD_DIR) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) CONFIG_MODULE_SIG_ALL= modules_install
	@# cowrap_test.ko only drives the VM selftests: never ship it.
	rm -f $(DESTDIR)/lib/modules/$(KVER)/$(INSTALL_MOD_DIR)/cowrap_test.ko*
	depmod $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(INSTALL_BINS) $(DESTDIR)$(PREFIX)/bin/
	@for m in $(MAN_PAGES); do \
		s=$${m##*.}; \
		echo install -D -m 0644 $$m $(DESTDIR)$(PREFIX)/share/man/man$$s/$$(basename $$m); \
		install -D -m 0644 $$m $(DESTDIR)$(PREFIX)/share/man/man$$s/$$(basename $$m); \
	done
	install -D -m 0644 $(SRCTREE)/tools/pkg/60-cowrap.rules \
		$(DESTDIR)$(UDEV_RULES_DIR)/60-cowrap.rules
	@$(MAKE) --no-print-directory _kit-install

_uninstall:
	rm -f $(DESTDIR)/lib/modules/$(KVER)/$(INSTALL_MOD_DIR)/cowrap_blk.ko* \
		$(DESTDIR)/lib/modules/$(KVER)/$(INSTALL_MOD_DIR)/cowrap_test.ko*
	-depmod $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(notdir $(INSTALL_BINS)))
	@for m in $(MAN_PAGES); do \
		s=$${m##*.}; \
		rm -f $(DESTDIR)$(PREFIX)/share/man/man$$s/$$(basename $$m); \
	done
	rm -f $(DESTDIR)$(UDEV_RULES_DIR)/60-cowrap.rules
	@$(MAKE) --no-print-directory _kit-uninstall

# --- demo and benchmarks -------------------------------------------------

_demo: _all
	$(SRCTREE)/tools/vm/vm-run.sh --kver $(KVER) --kmod $(KMOD_DIR)/cowrap_blk.ko \
		--out $(BUILD)/demo-$(KVER) --mode demo --timeout $(VM_TIMEOUT) \
		--mem $(VM_MEM) --tap $(BUILD)/demo-$(KVER)/result.tap \
		--files "$(VM_FILES)" --bins "$(VM_BINS)" --python "$(VM_PYTHON)" -- $(VM_DEMO)

# Host benchmarks, then one guest per supported kernel; the goal lines of
# every guest come last (tools/bench-goals.sh). A missed goal is not a
# failure; a failed benchmark or guest is.
_bench:
	@status=0; \
	for b in $(BENCH); do $(MAKE) --no-print-directory bench-$$b || status=1; done; \
	for v in $(KVERS_SUPPORTED); do \
		$(MAKE) --no-print-directory _bench-vm KVER=$$v || status=1; \
	done; \
	echo; \
	$(SRCTREE)/tools/bench-goals.sh $(foreach v,$(KVERS_SUPPORTED),$(v)=$(BUILD)/bench-$(v)/console.log) \
		|| status=1; \
	exit $$status

# VM_BENCH_FILES and VM_BENCH_BINS go into the benchmark guests only.
# VM_BENCHES run with two vCPUs, as the tests do (two hardware queues map
# one to each); VM_BENCHES_4CPU in a guest of two vCPUs and four possible
# CPUs, where a device can have four hardware queues. VM_ONLY names one
# benchmark: only the guest that runs it boots.
bench_only = $(if $(VM_ONLY),$(filter %/$(VM_ONLY),$(1)),$(1))

_bench-vm: _all $(VM_BENCH_FILES) $(VM_BENCHES_4CPU)
	@rm -f $(BUILD)/bench-$(KVER)/console.log
	@[ -z "$(VM_ONLY)" ] || [ -n "$(call bench_only,$(VM_BENCHES) $(VM_BENCHES_4CPU))" ] || \
		{ echo "VM_ONLY=$(VM_ONLY): no such benchmark"; exit 1; }
	$(if $(call bench_only,$(VM_BENCHES)),$(SRCTREE)/tools/vm/vm-run.sh --kver $(KVER) --kmod $(KMOD_DIR)/cowrap_blk.ko \
		--out $(BUILD)/bench-$(KVER) --mode bench --timeout $(VM_BENCH_TIMEOUT) \
		--mem $(VM_MEM) --tap $(BUILD)/bench-$(KVER)/result.tap \
		--files "$(VM_FILES) $(VM_BENCH_FILES)" --bins "$(VM_BINS) $(VM_BENCH_BINS)" --python "$(VM_PYTHON)" \
		-- $(call bench_only,$(VM_BENCHES)))
	$(if $(call bench_only,$(VM_BENCHES_4CPU)),VM_SMP=2$(comma)maxcpus=4 $(SRCTREE)/tools/vm/vm-run.sh --kver $(KVER) \
		--kmod $(KMOD_DIR)/cowrap_blk.ko \
		--out $(BUILD)/bench4-$(KVER) --mode bench --timeout $(VM_BENCH_TIMEOUT) \
		--mem $(VM_MEM) --tap $(BUILD)/bench4-$(KVER)/result.tap \
		--files "$(VM_FILES) $(VM_BENCH_FILES)" --bins "$(VM_BINS) $(VM_BENCH_BINS)" --python "$(VM_PYTHON)" \
		-- $(call bench_only,$(VM_BENCHES_4CPU)))

clean:
	rm -rf $(BUILD)
