# SPDX-License-Identifier: GPL-2.0
#
# cowrap-gen: the wrapper generator, its tests and its benchmark.
# Included by the top-level Makefile (SRCTREE, BUILD, HOST_CC, HOST_CFLAGS,
# COWRAP_GEN are set there).

GEN_VERSION	:= 0.1.0
GEN_SRCDIR	:= $(SRCTREE)/gen
GEN_OUT		:= $(BUILD)/gen
GEN_PARTS	:= util diag tokenize cond brackets skim items parse plist model \
		   emit emit-cowrap emit-qemu
GEN_LIB_OBJS	:= $(GEN_PARTS:%=$(GEN_OUT)/%.o)
GEN_OBJS	:= $(GEN_LIB_OBJS) $(GEN_OUT)/main.o
GEN_CFLAGS	:= $(HOST_CFLAGS) -std=c11 -D_POSIX_C_SOURCE=200809L \
		   -DCOWRAP_GEN_VERSION='"$(GEN_VERSION)"'
GEN_UNIT	:= $(GEN_OUT)/tests/unit
GEN_FUZZ	:= $(GEN_OUT)/tests/fuzz-parse
GEN_FUZZ_CC	:= clang
GEN_FUZZ_FLAGS	:= -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L \
		   -fsanitize=fuzzer,address,undefined \
		   -fno-sanitize-recover=undefined \
		   -DCOWRAP_GEN_VERSION='"$(GEN_VERSION)"'

HOST_PROGS	+= $(COWRAP_GEN)
CHECK_HOST	+= gen
BENCH		+= gen

$(GEN_OUT)/%.o: $(GEN_SRCDIR)/%.c $(GEN_SRCDIR)/cowrap-gen.h $(GEN_SRCDIR)/parse.h \
		 $(GEN_SRCDIR)/gen.mk
	@mkdir -p $(dir $@)
	$(HOST_CC) $(GEN_CFLAGS) -c -o $@ $<

$(COWRAP_GEN): $(GEN_OBJS)
	$(HOST_CC) $(GEN_CFLAGS) -o $@ $(GEN_OBJS)

$(GEN_UNIT): $(GEN_SRCDIR)/tests/unit.c $(GEN_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(GEN_CFLAGS) -I$(GEN_SRCDIR) -o $@ $< $(GEN_LIB_OBJS)

$(GEN_FUZZ): $(GEN_SRCDIR)/tests/fuzz-parse.c \
	     $(GEN_PARTS:%=$(GEN_SRCDIR)/%.c) $(GEN_SRCDIR)/cowrap-gen.h \
	     $(GEN_SRCDIR)/parse.h
	@mkdir -p $(dir $@)
	$(GEN_FUZZ_CC) $(GEN_FUZZ_FLAGS) -I$(GEN_SRCDIR) -o $@ \
		$(GEN_SRCDIR)/tests/fuzz-parse.c $(GEN_PARTS:%=$(GEN_SRCDIR)/%.c)

.PHONY: check-host-gen bench-gen
check-host-gen: $(COWRAP_GEN) $(GEN_UNIT) $(GEN_FUZZ)
	@COWRAP_GEN=$(COWRAP_GEN) GEN_UNIT=$(GEN_UNIT) GEN_FUZZ=$(GEN_FUZZ) \
	 GEN_OUT=$(GEN_OUT) HOST_CC='$(HOST_CC)' SRCTREE=$(SRCTREE) \
	 $(SHELL) $(GEN_SRCDIR)/tests/run.sh

bench-gen: $(COWRAP_GEN)
	@COWRAP_GEN=$(COWRAP_GEN) GEN_OUT=$(GEN_OUT) SRCTREE=$(SRCTREE) \
	 bash $(GEN_SRCDIR)/tests/bench.sh
