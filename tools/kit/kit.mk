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
KIT_INCDIR = $(DESTDIR)$(PREFIX)/include/cowrap-$(KIT_VERSION)
KIT_LIBDIR = $(DESTDIR)$(PREFIX)/lib/cowrap-$(KIT_VERSION)
KIT_PCDIR = $(DESTDIR)$(PREFIX)/share/pkgconfig
KIT_SUBST = sed -e 's|@VERSION@|$(KIT_VERSION)|g' -e 's|@API@|$(KIT_API)|g'

.PHONY: _kit-install _kit-uninstall

# Only cowrap_blk's own symbols, with the module named by its name alone
# (modpost records the dependency by that name; the build path means
# nothing on another machine).
# (tools/objcheck/objcheck.mk is read after this file: its path, spelt out.)
_kit-install: _module $(COWRAP_GEN) $(BUILD)/tools/cowrap-objcheck
	@test -n "$(KIT_VERSION)" || { echo "kit: no COWRAP_VERSION in include/cowrap/version.h" >&2; exit 1; }
	install -d $(KIT_INCDIR)/cowrap $(KIT_LIBDIR)/$(KVER) \
		$(DESTDIR)$(PREFIX)/bin $(KIT_PCDIR)
	install -m 0644 $(addprefix $(SRCTREE)/include/cowrap/,$(KIT_HEADERS)) \
		$(KIT_INCDIR)/cowrap/
	$(KIT_SUBST) $(KIT_SRC)/cowrap.mk.in > $(KIT_LIBDIR)/cowrap.mk
	$(KIT_SUBST) $(KIT_SRC)/cowrap.pc.in > $(KIT_PCDIR)/cowrap.pc
	$(KIT_SUBST) $(KIT_SRC)/cowrap-config.in > $(DESTDIR)$(PREFIX)/bin/cowrap-config
	chmod 0755 $(DESTDIR)$(PREFIX)/bin/cowrap-config
	install -m 0755 $(COWRAP_GEN) $(BUILD)/tools/cowrap-objcheck $(DESTDIR)$(PREFIX)/bin/
	awk -F'\t' 'BEGIN { OFS = "\t" } $$3 ~ /(^|\/)cowrap_blk$$/ { $$3 = "cowrap_blk"; print }' \
		$(KMOD_DIR)/Module.symvers > $(KIT_LIBDIR)/$(KVER)/Module.symvers
	@grep -q '	cowrap_api_version	' $(KIT_LIBDIR)/$(KVER)/Module.symvers || \
		{ echo "kit: cowrap_api_version missing from $(KMOD_DIR)/Module.symvers" >&2; exit 1; }

# Everything but the Module.symvers of other kernels goes; the kit's
# directories go once they are empty.
_kit-uninstall:
	rm -f $(addprefix $(KIT_INCDIR)/cowrap/,$(KIT_HEADERS)) \
		$(KIT_LIBDIR)/$(KVER)/Module.symvers \
		$(DESTDIR)$(PREFIX)/bin/cowrap-gen $(DESTDIR)$(PREFIX)/bin/cowrap-objcheck
	-rmdir $(KIT_INCDIR)/cowrap $(KIT_INCDIR) $(KIT_LIBDIR)/$(KVER) 2>/dev/null
	@if ! ls $(KIT_LIBDIR)/*/Module.symvers >/dev/null 2>&1; then \
		echo rm -f $(KIT_LIBDIR)/cowrap.mk $(KIT_PCDIR)/cowrap.pc \
			$(DESTDIR)$(PREFIX)/bin/cowrap-config; \
		rm -f $(KIT_LIBDIR)/cowrap.mk $(KIT_PCDIR)/cowrap.pc \
			$(DESTDIR)$(PREFIX)/bin/cowrap-config; \
		rmdir $(KIT_LIBDIR) 2>/dev/null || true; \
	fi
