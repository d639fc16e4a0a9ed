// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-objcheck: walk every relocation of an object, build the direct
 * call graph (calls, tail-call jumps, conditional jumps; against function
 * symbols, section symbols + addend or undefined symbols) and report
 * calls across calling contexts and coroutine functions whose address is
 * taken outside the coroutine-start API.
 */
#include <stdlib.h>
#include <string.h>

#include "objcheck.h"

/* Sections whose relocations point at code without making it callable. */
static const char *const meta_exact[] = {
	"__mcount_loc", ".orc_unwind_ip", ".orc_unwind", "__bug_table",
	"__ex_table", "__jump_table", ".altinstructions", ".static_call_sites",
	".retpoline_sites", ".return_sites", ".call_sites", ".ibt_endbr_seal",
	"__patchable_function_entries", ".parainstructions", ".smp_locks",
	".kcfi_traps", "_error_injection_whitelist", "_kprobe_blacklist",
	".cowrap_addr_ok", ".eh_frame", ".export_symbol",
};
static const char *const meta_prefix[] = {
	".discard", ".debug", "__ksymtab", "___ksymtab", "__kcrctab",
};

static int is_meta(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(meta_exact); i++)
		if (!strcmp(name, meta_exact[i]))
			return 1;
	for (i = 0; i < ARRAY_SIZE(meta_prefix); i++)
		if (!strncmp(name, meta_prefix[i], strlen(meta_prefix[i])))
			return 1;
	return 0;
}

const char *oc_class_name(enum oc_class c)
{
	switch (c) {
	case OC_CO:
		return "coroutine_fn";
	case OC_MIXED:
		return "coroutine_mixed_fn";
	case OC_NOCO:
		return "no_coroutine_fn";
	case OC_TRAMP:
		return "coroutine entry";
	default:
		return "plain";
	}
}

/* What a relocation refers to. */
struct ref {
	const char *name;
	enum oc_class cls;
	int addr_ok;
	int func;		/* index in this object, or -1 */
	int at_start;		/* points at the function's first byte */
};

static int is_pcrel(unsigned int type)
{
	return type == R_X86_64_PC32 || type == R_X86_64_PLT32;
}

static int resolve(const struct oc_obj *o, const struct oc_world *w,
		   const GElf_Rela *r, struct ref *ref)
{
	size_t si = GELF_R_SYM(r->r_info);
	const struct oc_sym *s;
	uint64_t tgt;
	int f;

	memset(ref, 0, sizeof(*ref));
	ref->func = -1;
	if (si == 0 || si >= o->nsyms)
		return -1;
	s = &o->syms[si];
	if (s->sym.st_shndx == SHN_UNDEF) {
		const struct oc_func *wf = oc_world_find(w, s->name);

		if (!wf)
			return -1;	/* unknown external: plain */
		ref->name = wf->name;
		ref->cls = wf->cls;
		ref->addr_ok = wf->addr_ok;
		ref->at_start = 1;
		return 0;
	}
	if (s->func >= 0) {
		f = s->func;
		ref->at_start = 1;
	} else {
		if (s->sym.st_shndx >= o->nsecs)
			return -1;
		tgt = s->sym.st_value + (uint64_t)r->r_addend +
		      (is_pcrel(GELF_R_TYPE(r->r_info)) ? 4 : 0);
		f = oc_func_at(o, s->sym.st_shndx, tgt);
		if (f < 0)
			return -1;
		ref->at_start = o->funcs[f].start == tgt;
	}
	ref->func = f;
	ref->name = o->funcs[f].name;
	ref->cls = o->funcs[f].cls;
	ref->addr_ok = o->funcs[f].addr_ok;
	/* A global defined here may be known better (records) elsewhere. */
	return 0;
}

/* Index of the call targets of one code section, for the decoder. */
struct calls {
	size_t n;
	uint64_t *off;
	const char **name;
};

static const char *callee_at(void *ctx, uint64_t off)
{
	const struct calls *c = ctx;
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->off[mid] == off)
			return c->name[mid];
		if (c->off[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int same_base(const char *a, const char *b)
{
	size_t la, lb;

	oc_base_len(a, &la);
	oc_base_len(b, &lb);
	return la == lb && !strncmp(a, b, la);
}

/* Offset of the instruction a branch relocation belongs to, or 0 if none. */
static size_t branch_insn(const struct oc_sec *sec, uint64_t off,
			  unsigned int type)
{
	const uint8_t *c = sec->data;

	if (!is_pcrel(type) || off < 1 || off > sec->size ||
	    sec->size - off < 4)
		return 0;
	if (c[off - 1] == 0xe8 || c[off - 1] == 0xe9)
		return off;
	if (off >= 2 && c[off - 2] == 0x0f && (c[off - 1] & 0xf0) == 0x80)
		return off - 1;
	return 0;
}

struct walk {
	const struct oc_obj *o;
	const struct oc_world *w;
	FILE *out;
	int found;
};

static void where(const struct walk *k, size_t shndx, uint64_t off,
		  char *buf, size_t len)
{
	const struct oc_obj *o = k->o;
	int f = oc_func_at(o, shndx, off);
	size_t i;

	if (f >= 0) {
		snprintf(buf, len, "%s+0x%llx", o->funcs[f].name,
			 (unsigned long long)(off - o->funcs[f].start));
		return;
	}
	for (i = 0; i < o->nsyms; i++) {
		const GElf_Sym *s = &o->syms[i].sym;

		if (s->st_shndx == shndx &&
		    GELF_ST_TYPE(s->st_info) == STT_OBJECT &&
		    off >= s->st_value && off - s->st_value < s->st_size) {
			snprintf(buf, len, "%s+0x%llx", o->syms[i].name,
				 (unsigned long long)(off - s->st_value));
			return;
		}
	}
	snprintf(buf, len, "%s+0x%llx", o->secs[shndx].name,
		 (unsigned long long)off);
}

static void check_call(struct walk *k, size_t shndx, size_t insn,
		       const struct ref *callee)
{
	const struct oc_obj *o = k->o;
	int f = oc_func_at(o, shndx, insn);
	enum oc_class cc = f >= 0 ? o->funcs[f].cls : OC_PLAIN;
	const char *what;
	char at[512];

	if (f >= 0 && (same_base(o->funcs[f].name, callee->name) ||
		       o->funcs[f].wrong_ok))
		return;
	/*
	 * A trampoline enters the context itself: callable from anywhere,
	 * and, as the checker cannot tell before from after the entry, its
	 * own calls are not checked (like a mixed function's).
	 */
	if ((cc == OC_PLAIN || cc == OC_NOCO) && callee->cls == OC_CO)
		what = "from non-coroutine context";
	else if (cc == OC_CO && callee->cls == OC_NOCO)
		what = "from coroutine context";
	else
		return;
	where(k, shndx, insn - 1, at, sizeof(at));
	fprintf(k->out, "%s: %s: call to %s %s() %s\n", o->path, at,
		oc_class_name(callee->cls), callee->name, what);
	k->found++;
}

static void check_addr(struct walk *k, size_t shndx, uint64_t off,
		       const struct ref *fn, const struct calls *calls)
{
	const struct oc_obj *o = k->o;
	const struct oc_sec *sec = &o->secs[shndx];
	char at[512];
	int f;

	if (fn->cls != OC_CO || !fn->at_start || fn->addr_ok)
		return;
	if (sec->shdr.sh_flags & SHF_EXECINSTR) {
		f = oc_func_at(o, shndx, off);
		if (f >= 0 && same_base(o->funcs[f].name, fn->name))
			return;
		if (f >= 0 && calls && sec->data &&
		    o->funcs[f].start <= sec->size &&
		    o->funcs[f].size <= sec->size - o->funcs[f].start &&
		    oc_arg_setup_ok(sec->data, o->funcs[f].start,
				    o->funcs[f].start + o->funcs[f].size,
				    off, callee_at, (void *)calls))
			return;
	}
	where(k, shndx, off, at, sizeof(at));
	fprintf(k->out,
		"%s: %s: address of %s %s() taken outside the coroutine-start API\n",
		o->path, at, oc_class_name(fn->cls), fn->name);
	k->found++;
}

static void free_calls(struct calls *c)
{
	free(c->off);
	free(c->name);
	memset(c, 0, sizeof(*c));
}

/* Collect the call targets of one relocation section, sorted by offset. */
static int index_calls(const struct walk *k, Elf_Data *d, size_t n,
		       const struct oc_sec *sec, struct calls *c)
{
	size_t i, j;

	c->n = 0;
	c->off = calloc(n ? n : 1, sizeof(*c->off));
	c->name = calloc(n ? n : 1, sizeof(*c->name));
	if (!c->off || !c->name)
		return -1;
	for (i = 0; i < n; i++) {
		GElf_Rela r;
		size_t si;

		if (!gelf_getrela(d, (int)i, &r) ||
		    !branch_insn(sec, r.r_offset, GELF_R_TYPE(r.r_info)))
			continue;
		si = GELF_R_SYM(r.r_info);
		if (si == 0 || si >= k->o->nsyms)
			continue;
		/* Insertion keeps the (usually already sorted) order. */
		for (j = c->n; j > 0 && c->off[j - 1] > r.r_offset; j--) {
			c->off[j] = c->off[j - 1];
			c->name[j] = c->name[j - 1];
		}
		c->off[j] = r.r_offset;
		c->name[j] = k->o->syms[si].name;
		c->n++;
	}
	return 0;
}

static int check_relsec(struct walk *k, size_t ri, char *err, size_t errlen)
{
	const struct oc_obj *o = k->o;
	const struct oc_sec *rs = &o->secs[ri];
	size_t ti = rs->shdr.sh_info, n, i;
	const struct oc_sec *sec;
	struct calls calls = { 0 };
	int code;
	Elf_Data *d;

	if (ti == 0 || ti >= o->nsecs)
		return 0;
	sec = &o->secs[ti];
	if (!(sec->shdr.sh_flags & SHF_ALLOC) || is_meta(sec->name))
		return 0;
	if (rs->shdr.sh_entsize != sizeof(Elf64_Rela)) {
		snprintf(err, errlen, "bad relocation section %s", rs->name);
		return -1;
	}
	d = elf_getdata(elf_getscn(o->elf, ri), NULL);
	if (!d) {
		snprintf(err, errlen, "cannot read %s: %s", rs->name,
			 elf_errmsg(-1));
		return -1;
	}
	n = rs->size / sizeof(Elf64_Rela);
	code = (sec->shdr.sh_flags & SHF_EXECINSTR) && sec->data;
	if (code && index_calls(k, d, n, sec, &calls)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		GElf_Rela r;
		struct ref ref;
		size_t insn;

		if (!gelf_getrela(d, (int)i, &r) || resolve(o, k->w, &r, &ref))
			continue;
		insn = code ? branch_insn(sec, r.r_offset,
					  GELF_R_TYPE(r.r_info)) : 0;
		if (insn)
			check_call(k, ti, insn, &ref);
		else
			check_addr(k, ti, r.r_offset, &ref,
				   code ? &calls : NULL);
	}
	free_calls(&calls);
	return 0;
}

/**
 * oc_check() - report the calling-context violations of an object
 * @o: the object, records applied
 * @w: functions of all inputs, for undefined callees
 * @out: where the reports go
 * @err: buffer for an error message
 * @errlen: its size
 *
 * Return: number of violations, or -1 on malformed input (message in
 * @err).
 */
int oc_check(const struct oc_obj *o, const struct oc_world *w, FILE *out,
	     char *err, size_t errlen)
{
	struct walk k = { .o = o, .w = w, .out = out };
	size_t i;

	for (i = 1; i < o->nsecs; i++) {
		if (o->secs[i].shdr.sh_type != SHT_RELA)
			continue;
		if (check_relsec(&k, i, err, errlen))
			return -1;
	}
	return k.found;
}
