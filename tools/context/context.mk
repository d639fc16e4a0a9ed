# SPDX-License-Identifier: GPL-2.0
#
# The calling-context corpus (tools/context/*.c): compiled by Kbuild with
# sparse (C=2) for every supported kernel, so the flags are exactly the
# kernel's.  check-host-context asserts sparse's warnings against the
# "expect-sparse:" markers, and that the module itself is sparse-clean;
# check-host-objcheck reuses the corpus objects.

CONTEXT_SRC := $(SRCTREE)/tools/context
CONTEXT_KVERS = $(or $(KVERS_SUPPORTED),$(KVER))
CONTEXT_OUTS = $(foreach v,$(CONTEXT_KVERS),$(BUILD)/context/$(v))
CONTEXT_DEPS := $(wildcard $(CONTEXT_SRC)/*.c $(CONTEXT_SRC)/*.h) \
		$(CONTEXT_SRC)/build-corpus.sh $(SRCTREE)/include/cowrap/annotations.h

CHECK_HOST += context

$(BUILD)/context/%/build.status: $(CONTEXT_DEPS)
	@$(CONTEXT_SRC)/build-corpus.sh $(SRCTREE) /lib/modules/$*/build \
		$(BUILD)/context/$*

# The module itself, with C=2, for every supported kernel, in private
# trees (never racing with the main module build): correct code gives no
# warning from sparse, the compiler, objtool or modpost.
CONTEXT_MODS = $(foreach v,$(CONTEXT_KVERS),$(BUILD)/context/module-$(v))

.PHONY: check-host-context
check-host-context: $(addsuffix /build.status,$(CONTEXT_OUTS)) \
		$(if $(wildcard $(SRCTREE)/gen/gen.mk),$(COWRAP_GEN))
	@for v in $(CONTEXT_KVERS); do \
		$(CONTEXT_SRC)/module-sparse.sh $(SRCTREE) /lib/modules/$$v/build \
			$(BUILD)/context/module-$$v $(COWRAP_GEN); \
	done
	@$(CONTEXT_SRC)/check-sparse.sh $(CONTEXT_SRC) \
		$(addprefix --module ,$(CONTEXT_MODS)) $(CONTEXT_OUTS)

# Optional comparison (not part of check-host): the same corpus through
# clang -Wthread-safety with capability attributes (annotations.h in its
# COWRAP_TSA mode).  Prints TAP; see Documentation/context-checks.rst.
.PHONY: check-context-tsa
check-context-tsa:
	@$(CONTEXT_SRC)/check-tsa.sh $(SRCTREE)

# The module sources through the same analysis, with each file's Kbuild
# command line (gcc-only options dropped), from the private C=2 tree.
.PHONY: check-context-tsa-module
check-context-tsa-module: $(if $(wildcard $(SRCTREE)/gen/gen.mk),$(COWRAP_GEN))
	@$(CONTEXT_SRC)/module-sparse.sh $(SRCTREE) $(KDIR) \
		$(BUILD)/context/module-$(KVER) $(COWRAP_GEN)
	@$(CONTEXT_SRC)/module-tsa.sh $(BUILD)/context/module-$(KVER) $(KDIR)
