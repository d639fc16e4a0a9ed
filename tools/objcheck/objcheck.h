/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowrap-objcheck: calling-context checker for built objects.
 *
 * Internal interface between the loader (elfobj.c), the x86-64 argument
 * decoder (argsetup.c), the checker (check.c) and the front ends (main.c,
 * fuzz.c).  See Documentation/context-checks.rst.
 */
#ifndef _COWRAP_OBJCHECK_H
#define _COWRAP_OBJCHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <gelf.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Calling-context class of a function, from the section it is in. */
enum oc_class {
	OC_PLAIN,	/* unannotated: non-coroutine code */
	OC_CO,		/* coroutine_fn: .text.cowrap_co */
	OC_MIXED,	/* coroutine_mixed_fn: .text.cowrap_mixed */
	OC_NOCO,	/* no_coroutine_fn: .text.cowrap_noco */
	OC_TRAMP,	/* plain function that enters the context explicitly */
};

struct oc_func {
	char *name;
	size_t shndx;		/* section holding the code */
	uint64_t start, size;
	enum oc_class cls;
	int global;
	int addr_ok;		/* cowrap_co_addr_ok() record seen */
	int wrong_ok;		/* cowrap_wrong_context_begin_*() seen */
};

struct oc_sec {
	GElf_Shdr shdr;
	const char *name;
	const uint8_t *data;	/* NULL for SHT_NOBITS or empty */
	size_t size;
};

struct oc_sym {
	const char *name;
	GElf_Sym sym;
	int func;		/* index into funcs, or -1 */
};

struct oc_obj {
	const char *path;
	Elf *elf;
	size_t nsecs;
	struct oc_sec *secs;
	size_t nsyms;
	struct oc_sym *syms;
	size_t nfuncs;
	struct oc_func *funcs;
};

/* Names of the coroutine-start API functions and their entry register. */
struct oc_starter {
	const char *name;
	int entry_reg;		/* x86-64 register number (rdx = 2, rsi = 6) */
};

/* Set of functions from several objects, by name (for external callees). */
struct oc_world {
	size_t n, cap;
	struct oc_func *funcs;	/* copies: name owned, other fields copied */
};

int oc_obj_open_mem(struct oc_obj *o, const char *path, void *buf,
		    size_t len, char *err, size_t errlen);
void oc_obj_close(struct oc_obj *o);
int oc_func_at(const struct oc_obj *o, size_t shndx, uint64_t off);
int oc_read_records(struct oc_obj *o, char *err, size_t errlen);

void oc_world_add(struct oc_world *w, const struct oc_obj *o);
const struct oc_func *oc_world_find(const struct oc_world *w,
				    const char *name);
void oc_world_free(struct oc_world *w);

int oc_arg_setup_ok(const uint8_t *c, size_t start, size_t end,
		    size_t rel_off,
		    const char *(*callee_at)(void *ctx, uint64_t off),
		    void *ctx);

int oc_check(const struct oc_obj *o, const struct oc_world *w, FILE *out,
	     char *err, size_t errlen);

const char *oc_class_name(enum oc_class c);
const char *oc_base_len(const char *name, size_t *len);

#endif /* _COWRAP_OBJCHECK_H */
