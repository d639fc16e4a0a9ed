# SPDX-License-Identifier: GPL-2.0
#
# The development kit: what an out-of-tree module needs to build on the
# coroutine layer of cowrap_blk.ko (Documentation/driver-guide.rst).
# "make install" installs it (_kit-install), for KVER:
#
#   PREFIX/include/cowrap-VER/cowrap/*.h       the public headers
#   PREFIX/lib/cowrap-VER/cowrap.mk            the Kbuild fragment
#   PREFIX/lib/cowrap-VER/KVER/Module.symvers  cowrap_blk's exports
#   PREFIX/bin/cowrap-config                   finds them
#   PREFIX/bin/cowrap-gen                      the generator cowrap.mk runs
#   PREFIX/bin/cowrap-objcheck                 the object checker
#   PREFIX/share/pkgconfig/cowrap.pc           the same for pkg-config
#
# Installing for a second kernel adds its Module.symvers.

KIT_SRC := $(SRCTREE)/tools/kit
KIT_VERSION := $(shell sed -n 's/^\#define COWRAP_VERSION[[:space:]]*"\(.*\)"/\1/p' \
		 $(SRCTREE)/include/cowrap/version.h)
KIT_API := $(shell sed -n 's/^\#define COWRAP_API_MAJOR[[:space:]]*//p' \
	     $(SRCTREE)/include/cowrap/version.h).$(shell \
	     sed -n 's/^\#define COWRAP_API_MINOR[[:space:]]*//p' \
	     $(SRCTREE)/include/cowrap/version.h)
KIT_HEADERS = $(notdir $(wildcard $(SRCTREE)/include/cowrap/*.h))
KIT_INCDIR = $(KIT_ROOT)/include/cowrap-$(KIT_VERSION)
KIT_LIBDIR = $(KIT_ROOT)/lib/cowrap-$(KIT_VERSION)
KIT_PCDIR = $(KIT_ROOT)/share/pkgconfig
KIT_SUBST = sed -e 's|@VERSION@|$(KIT_VERSION)|g' -e 's|@API@|$(KIT_API)|g'

.PHONY: _kit-install _kit-uninstall

# Where the kit goes: DESTDIR/PREFIX for "make install"; the sample's
# build sets its own (selftests/sample/sample.mk).
KIT_ROOT = $(DESTDIR)$(PREFIX)

# The kit for KVER into $(KIT_ROOT). Only cowrap_blk's own symbols go
# into Module.symvers, with the module named by its name alone (modpost
# records the dependency by that name; the build path means nothing on
# another machine).
define kit_install_cmds
	@test -n "$(KIT_VERSION)" || { echo "kit: no COWRAP_VERSION in include/cowrap/version.h" >&2; exit 1; }
	install -d $(KIT_ROOT)/include/cowrap-$(KIT_VERSION)/cowrap \
		$(KIT_ROOT)/lib/cowrap-$(KIT_VERSION)/$(KVER) \
		$(KIT_ROOT)/bin $(KIT_ROOT)/share/pkgconfig
	install -m 0644 $(addprefix $(SRCTREE)/include/cowrap/,$(KIT_HEADERS)) \
		$(KIT_ROOT)/include/cowrap-$(KIT_VERSION)/cowrap/
	$(KIT_SUBST) $(KIT_SRC)/cowrap.mk.in > $(KIT_ROOT)/lib/cowrap-$(KIT_VERSION)/cowrap.mk
	$(KIT_SUBST) $(KIT_SRC)/cowrap.pc.in > $(KIT_ROOT)/share/pkgconfig/cowrap.pc
	$(KIT_SUBST) $(KIT_SRC)/cowrap-config.in > $(KIT_ROOT)/bin/cowrap-config
	chmod 0755 $(KIT_ROOT)/bin/cowrap-config
	install -m 0755 $(COWRAP_GEN) $(BUILD)/tools/cowrap-objcheck $(KIT_ROOT)/bin/
	awk -F'\t' 'BEGIN { OFS = "\t" } $$3 ~ /(^|\/)cowrap_blk$$/ { $$3 = "cowrap_blk"; print }' \
		$(KMOD_DIR)/Module.symvers > $(KIT_ROOT)/lib/cowrap-$(KIT_VERSION)/$(KVER)/Module.symvers
	@grep -q '	cowrap_api_version	' $(KIT_ROOT)/lib/cowrap-$(KIT_VERSION)/$(KVER)/Module.symvers || \
		{ echo "kit: cowrap_api_version missing from $(KMOD_DIR)/Module.symvers" >&2; exit 1; }
endef

# (tools/objcheck/objcheck.mk is read after this file: its path, spelt out.)
_kit-install: _module $(COWRAP_GEN) $(BUILD)/tools/cowrap-objcheck
	$(kit_install_cmds)

# The kit of KVER goes; the rest once no kernel's Module.symvers is left
# (the directories too when empty).
_kit-uninstall:
	rm -f $(KIT_LIBDIR)/$(KVER)/Module.symvers
	@rmdir $(KIT_LIBDIR)/$(KVER) 2>/dev/null || true
	@if ! ls $(KIT_LIBDIR)/*/Module.symvers >/dev/null 2>&1; then \
		set -x; \
		rm -f $(addprefix $(KIT_INCDIR)/cowrap/,$(KIT_HEADERS)) \
			$(KIT_LIBDIR)/cowrap.mk $(KIT_PCDIR)/cowrap.pc \
			$(KIT_ROOT)/bin/cowrap-config $(KIT_ROOT)/bin/cowrap-gen \
			$(KIT_ROOT)/bin/cowrap-objcheck; \
		rmdir $(KIT_INCDIR)/cowrap $(KIT_INCDIR) $(KIT_LIBDIR) 2>/dev/null || true; \
	fi
