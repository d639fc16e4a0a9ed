// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-objcheck: decide whether a reference to a coroutine function in
 * code is only the entry argument of a coroutine-start call.
 *
 * The reference must be an instruction that loads the address into a
 * register (mov $fn,%reg or lea fn(%rip),%reg).  From there the decoder
 * follows the code up to the next call with a deliberately small x86-64
 * subset (register moves, loads, lea, xor, immediate moves and stores of
 * immediates, rep stos (what gcc zeroes a large on-stack struct with, e.g.
 * a generated wrapper's argument block), pops of an epilogue before a
 * tail call, nops).  The address may move between caller-saved registers
 * but must never be stored to memory or reach a callee-saved register (it
 * would survive the call).  The call must be one of the start API
 * functions with the address in its entry register.  Anything else,
 * including any instruction outside the subset, is not accepted: the
 * reference is then reported and needs cowrap_co_addr_ok().
 */
#include <string.h>

#include "objcheck.h"

#define MAX_INSNS	64

static const struct oc_starter starters[] = {
	{ "cowrap_co_init", 2 },	/* (co, ctx, entry, opaque): rdx */
	{ "cowrap_co_init_restartable", 2 },	/* (co, ctx, body, done, opaque): rdx */
	{ "cowrap_co_create", 6 },	/* (ctx, entry, opaque, gfp): rsi */
	{ "cowrap_poll_co", 2 },	/* (p, ctx, entry, opaque): rdx */
};

static int callee_saved(int reg)
{
	return reg == 3 || reg == 4 || reg == 5 || reg >= 12;
}

struct insn {
	int rex_w, rex_r, rex_x, rex_b;
	int mod, reg, rm;	/* reg and rm with REX applied */
	int base, index;	/* -1 when absent */
};

/* Decode ModRM (+SIB, +displacement) at *p; return 0 or -1 (out of code). */
static int modrm(const uint8_t *c, size_t end, size_t *p, struct insn *in)
{
	uint8_t m, sib;

	if (*p >= end)
		return -1;
	m = c[(*p)++];
	in->mod = m >> 6;
	in->reg = ((m >> 3) & 7) | (in->rex_r << 3);
	in->rm = (m & 7) | (in->rex_b << 3);
	in->base = in->index = -1;
	if (in->mod == 3)
		return 0;
	if ((m & 7) == 4) {
		if (*p >= end)
			return -1;
		sib = c[(*p)++];
		in->index = ((sib >> 3) & 7) | (in->rex_x << 3);
		if (in->index == 4)
			in->index = -1;
		in->base = (sib & 7) | (in->rex_b << 3);
		if ((sib & 7) == 5 && in->mod == 0) {
			in->base = -1;
			*p += 4;
		}
	} else if ((m & 7) == 5 && in->mod == 0) {
		*p += 4;		/* rip-relative */
	} else {
		in->base = in->rm;
	}
	if (in->mod == 1)
		*p += 1;
	else if (in->mod == 2)
		*p += 4;
	return *p <= end ? 0 : -1;	/* end is a section size: no wrap */
}

static int uses_tainted(const struct insn *in, unsigned int taint)
{
	return (in->base >= 0 && (taint >> in->base) & 1) ||
	       (in->index >= 0 && (taint >> in->index) & 1);
}

static unsigned int set_reg(unsigned int taint, int reg, int tainted)
{
	return tainted ? taint | (1u << reg) : taint & ~(1u << reg);
}

/* The register an address load at rel_off writes, or -1. */
static int load_reg(const uint8_t *c, size_t start, size_t rel_off)
{
	uint8_t b1, b2, b3;

	if (rel_off < start + 1)
		return -1;
	b1 = c[rel_off - 1];
	if (b1 >= 0xb8 && b1 <= 0xbf) {		/* mov $imm32,%r32 */
		if (rel_off >= start + 2 && c[rel_off - 2] == 0x41)
			return (b1 - 0xb8) + 8;
		return b1 - 0xb8;
	}
	if (rel_off < start + 3)
		return -1;
	b2 = c[rel_off - 2];
	b3 = c[rel_off - 3];
	if ((b3 & 0xf0) != 0x40 || !(b3 & 8))
		return -1;
	if (b2 == 0xc7 && (b1 & 0xf8) == 0xc0)	/* mov $imm32s,%r64 */
		return (b1 & 7) | ((b3 & 1) << 3);
	if (b2 == 0x8d && (b1 & 0xc7) == 0x05)	/* lea x(%rip),%r64 */
		return ((b1 >> 3) & 7) | (((b3 >> 2) & 1) << 3);
	return -1;
}

/* One instruction at *p; returns 1 = go on, 0 = reject. */
static int step(const uint8_t *c, size_t end, size_t *p, unsigned int *taint)
{
	struct insn in;
	int rep = 0;
	uint8_t op;

	memset(&in, 0, sizeof(in));
	if (*p < end && c[*p] == 0xf3) {	/* rep prefix */
		rep = 1;
		(*p)++;
	}
	if (*p < end && (c[*p] & 0xf0) == 0x40) {
		in.rex_w = (c[*p] >> 3) & 1;
		in.rex_r = (c[*p] >> 2) & 1;
		in.rex_x = (c[*p] >> 1) & 1;
		in.rex_b = c[*p] & 1;
		(*p)++;
	}
	if (*p >= end)
		return 0;
	op = c[(*p)++];
	if (rep) {
		/*
		 * rep stos: stores %rax at (%rdi), %rcx times, and leaves
		 * both of those registers changed.  Neither the stored
		 * value nor the destination may be the address.
		 */
		if ((op != 0xaa && op != 0xab) || (*taint & 0x81))
			return 0;
		*taint = set_reg(*taint, 1, 0);
		*taint = set_reg(*taint, 7, 0);
		return 1;
	}
	switch (op) {
	case 0x90:				/* nop */
		return 1;
	case 0x89:				/* mov %reg,r/m */
		if (modrm(c, end, p, &in))
			return 0;
		if (in.mod != 3)
			return !((*taint >> in.reg) & 1) &&
			       !uses_tainted(&in, *taint);
		if (((*taint >> in.reg) & 1) && callee_saved(in.rm))
			return 0;
		*taint = set_reg(*taint, in.rm, (*taint >> in.reg) & 1);
		return 1;
	case 0x8b:				/* mov r/m,%reg */
		if (modrm(c, end, p, &in))
			return 0;
		if (in.mod == 3) {
			if (((*taint >> in.rm) & 1) && callee_saved(in.reg))
				return 0;
			*taint = set_reg(*taint, in.reg, (*taint >> in.rm) & 1);
			return 1;
		}
		if (uses_tainted(&in, *taint))
			return 0;
		*taint = set_reg(*taint, in.reg, 0);
		return 1;
	case 0x8d:				/* lea */
		if (modrm(c, end, p, &in) || in.mod == 3 ||
		    uses_tainted(&in, *taint))
			return 0;
		*taint = set_reg(*taint, in.reg, 0);
		return 1;
	case 0x31:				/* xor %reg,r/m */
	case 0x33:				/* xor r/m,%reg */
		if (modrm(c, end, p, &in) || in.mod != 3 || in.reg != in.rm)
			return 0;
		*taint = set_reg(*taint, in.reg, 0);
		return 1;
	case 0xc7:				/* mov $imm32,r/m */
		if (modrm(c, end, p, &in) || ((in.reg & 7) != 0))
			return 0;
		if (in.mod != 3 && uses_tainted(&in, *taint))
			return 0;
		*p += 4;
		if (in.mod == 3)
			*taint = set_reg(*taint, in.rm, 0);
		return *p <= end;
	case 0x0f:				/* nopl r/m */
		if (*p >= end || c[(*p)++] != 0x1f)
			return 0;
		return !modrm(c, end, p, &in);
	default:
		if (op >= 0xb8 && op <= 0xbf) {	/* mov $imm,%reg */
			*p += in.rex_w ? 8 : 4;
			*taint = set_reg(*taint, (op - 0xb8) | (in.rex_b << 3), 0);
			return *p <= end;
		}
		if (op >= 0x58 && op <= 0x5f) {	/* pop %reg (epilogue) */
			*taint = set_reg(*taint, (op - 0x58) | (in.rex_b << 3), 0);
			return 1;
		}
		return 0;
	}
}

/**
 * oc_arg_setup_ok() - is a code reference only a start-API entry argument?
 * @c: bytes of the code section
 * @start: start of the function holding the reference
 * @end: end of that function (within the section)
 * @rel_off: offset of the 4-byte relocated field
 * @callee_at: returns the name of the function a call whose rel32 field
 *	is at the given offset targets, or NULL
 * @ctx: passed to @callee_at
 *
 * Return: 1 when accepted, 0 otherwise.
 */
int oc_arg_setup_ok(const uint8_t *c, size_t start, size_t end,
		    size_t rel_off,
		    const char *(*callee_at)(void *ctx, uint64_t off),
		    void *ctx)
{
	unsigned int taint;
	size_t p, i, k;
	int reg;

	if (rel_off < start || rel_off > end || end - rel_off < 4)
		return 0;
	reg = load_reg(c, start, rel_off);
	if (reg < 0 || callee_saved(reg))
		return 0;
	p = rel_off + 4;
	taint = 1u << reg;
	for (i = 0; i < MAX_INSNS && p < end; i++) {
		if (c[p] == 0xe8 || c[p] == 0xe9) {	/* call/jmp rel32 */
			const char *name = callee_at(ctx, p + 1);

			for (k = 0; name && k < ARRAY_SIZE(starters); k++)
				if (!strcmp(name, starters[k].name))
					return (taint >> starters[k].entry_reg) & 1;
			return 0;
		}
		if (!taint || !step(c, end, &p, &taint))
			return 0;
	}
	return 0;
}
