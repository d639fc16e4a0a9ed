// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-objcheck: load a relocatable x86-64 ELF object (.o or .ko) from
 * memory, validate it and index its sections, symbols and functions, with
 * the calling-context class of each function.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "objcheck.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static enum oc_class class_of_section(const char *name)
{
	if (!strcmp(name, ".text.cowrap_co"))
		return OC_CO;
	if (!strcmp(name, ".text.cowrap_mixed"))
		return OC_MIXED;
	if (!strcmp(name, ".text.cowrap_noco"))
		return OC_NOCO;
	return OC_PLAIN;
}

/**
 * oc_base_len() - the name a compiler clone was made from
 * @name: symbol name, e.g. "foo.part.0", "foo.cold", "foo"
 * @len: set to the length of the base name ("foo")
 *
 * Return: @name.
 */
const char *oc_base_len(const char *name, size_t *len)
{
	const char *dot = strchr(name, '.');

	*len = dot && dot != name ? (size_t)(dot - name) : strlen(name);
	return name;
}

static int load_sections(struct oc_obj *o, char *err, size_t errlen)
{
	size_t shstrndx, i;

	if (elf_getshdrnum(o->elf, &o->nsecs) || elf_getshdrstrndx(o->elf, &shstrndx))
		return fail(err, errlen, "bad section header table: %s",
			    elf_errmsg(-1));
	if (!o->nsecs)
		return fail(err, errlen, "no sections");
	o->secs = calloc(o->nsecs, sizeof(*o->secs));
	if (!o->secs)
		return fail(err, errlen, "out of memory");
	for (i = 1; i < o->nsecs; i++) {
		struct oc_sec *s = &o->secs[i];
		Elf_Scn *scn = elf_getscn(o->elf, i);
		Elf_Data *d;

		if (!scn || !gelf_getshdr(scn, &s->shdr))
			return fail(err, errlen, "bad section %zu: %s", i,
				    elf_errmsg(-1));
		s->name = elf_strptr(o->elf, shstrndx, s->shdr.sh_name);
		if (!s->name)
			return fail(err, errlen, "bad name of section %zu", i);
		if (s->shdr.sh_type == SHT_NOBITS || !s->shdr.sh_size)
			continue;
		d = elf_getdata(scn, NULL);
		if (!d || (d->d_size && !d->d_buf))
			return fail(err, errlen, "cannot read section %s: %s",
				    s->name, elf_errmsg(-1));
		s->data = d->d_buf;
		s->size = d->d_size;
	}
	o->secs[0].name = "";
	return 0;
}

static int find_symtab(const struct oc_obj *o)
{
	size_t i;

	for (i = 1; i < o->nsecs; i++)
		if (o->secs[i].shdr.sh_type == SHT_SYMTAB)
			return (int)i;
	return -1;
}

static int is_code_section(const struct oc_obj *o, size_t shndx)
{
	return shndx > 0 && shndx < o->nsecs &&
	       (o->secs[shndx].shdr.sh_flags & SHF_EXECINSTR);
}

static void inherit_clone_classes(struct oc_obj *o)
{
	size_t i, j, len;

	for (i = 0; i < o->nfuncs; i++) {
		struct oc_func *f = &o->funcs[i];

		oc_base_len(f->name, &len);
		if (f->cls != OC_PLAIN || len == strlen(f->name))
			continue;
		for (j = 0; j < o->nfuncs; j++) {
			const char *b = o->funcs[j].name;

			if (j != i && strlen(b) == len &&
			    !strncmp(b, f->name, len)) {
				f->cls = o->funcs[j].cls;
				break;
			}
		}
	}
}

static int load_symbols(struct oc_obj *o, char *err, size_t errlen)
{
	int symtab = find_symtab(o);
	const struct oc_sec *st;
	Elf_Data *d;
	size_t i;

	if (symtab < 0)
		return fail(err, errlen, "no symbol table (stripped?)");
	st = &o->secs[symtab];
	if (st->shdr.sh_entsize != sizeof(Elf64_Sym) || !st->size)
		return fail(err, errlen, "bad symbol table");
	d = elf_getdata(elf_getscn(o->elf, symtab), NULL);
	if (!d)
		return fail(err, errlen, "cannot read symbol table: %s",
			    elf_errmsg(-1));
	o->nsyms = st->size / sizeof(Elf64_Sym);
	o->syms = calloc(o->nsyms, sizeof(*o->syms));
	o->funcs = calloc(o->nsyms, sizeof(*o->funcs));
	if (!o->syms || !o->funcs)
		return fail(err, errlen, "out of memory");
	for (i = 0; i < o->nsyms; i++) {
		struct oc_sym *s = &o->syms[i];
		struct oc_func *f;

		s->func = -1;
		if (!gelf_getsym(d, (int)i, &s->sym))
			return fail(err, errlen, "bad symbol %zu", i);
		s->name = elf_strptr(o->elf, st->shdr.sh_link, s->sym.st_name);
		if (!s->name)
			s->name = "";
		if (GELF_ST_TYPE(s->sym.st_info) != STT_FUNC ||
		    !is_code_section(o, s->sym.st_shndx))
			continue;
		f = &o->funcs[o->nfuncs];
		f->name = strdup(s->name);
		if (!f->name)
			return fail(err, errlen, "out of memory");
		f->shndx = s->sym.st_shndx;
		f->start = s->sym.st_value;
		f->size = s->sym.st_size;
		f->cls = class_of_section(o->secs[f->shndx].name);
		f->global = GELF_ST_BIND(s->sym.st_info) != STB_LOCAL;
		s->func = (int)o->nfuncs++;
	}
	inherit_clone_classes(o);
	return 0;
}

/**
 * oc_obj_open_mem() - parse an object held in memory
 * @o: object to fill (zeroed by the caller is not required)
 * @path: name used in messages
 * @buf: the file's bytes; must stay valid until oc_obj_close()
 * @len: their number
 * @err: buffer for an error message
 * @errlen: its size
 *
 * Accepts 64-bit little-endian x86-64 relocatable objects (ET_REL: .o and
 * .ko) with a symbol table.
 *
 * Return: 0, or -1 with a message in @err.
 */
int oc_obj_open_mem(struct oc_obj *o, const char *path, void *buf,
		    size_t len, char *err, size_t errlen)
{
	GElf_Ehdr eh;

	memset(o, 0, sizeof(*o));
	o->path = path;
	if (!len)
		return fail(err, errlen, "empty file");
	if (len < SELFMAG || memcmp(buf, ELFMAG, SELFMAG))
		return fail(err, errlen, "not an ELF file");
	if (len < sizeof(Elf64_Ehdr))
		return fail(err, errlen, "truncated ELF header (%zu bytes)",
			    len);
	o->elf = elf_memory(buf, len);
	if (!o->elf)
		return fail(err, errlen, "cannot read: %s", elf_errmsg(-1));
	if (elf_kind(o->elf) != ELF_K_ELF)
		return fail(err, errlen, "not an ELF file");
	if (!gelf_getehdr(o->elf, &eh))
		return fail(err, errlen, "truncated or bad ELF header: %s",
			    elf_errmsg(-1));
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_X86_64)
		return fail(err, errlen, "not an x86-64 object (machine %u)",
			    eh.e_machine);
	if (eh.e_type != ET_REL)
		return fail(err, errlen,
			    "not a relocatable object (.o or .ko), ELF type %u",
			    eh.e_type);
	if (eh.e_shoff > len || eh.e_shentsize != sizeof(Elf64_Shdr) ||
	    (len - eh.e_shoff) / sizeof(Elf64_Shdr) < eh.e_shnum)
		return fail(err, errlen,
			    "truncated: section headers beyond the end of the file");
	if (load_sections(o, err, errlen) || load_symbols(o, err, errlen))
		return -1;
	return 0;
}

/**
 * oc_obj_close() - free what oc_obj_open_mem() allocated
 * @o: the object
 */
void oc_obj_close(struct oc_obj *o)
{
	size_t i;

	if (o->funcs)
		for (i = 0; i < o->nfuncs; i++)
			free(o->funcs[i].name);
	free(o->funcs);
	free(o->syms);
	free(o->secs);
	if (o->elf)
		elf_end(o->elf);
	memset(o, 0, sizeof(*o));
}

/**
 * oc_func_at() - the function containing an offset of a code section
 * @o: the object
 * @shndx: section index
 * @off: offset in the section
 *
 * Prefers a sized symbol that covers @off; a zero-sized symbol only
 * matches its own address.
 *
 * Return: index into @o->funcs, or -1.
 */
int oc_func_at(const struct oc_obj *o, size_t shndx, uint64_t off)
{
	int best = -1;
	size_t i;

	for (i = 0; i < o->nfuncs; i++) {
		const struct oc_func *f = &o->funcs[i];

		if (f->shndx != shndx || off < f->start)
			continue;
		if (off - f->start < f->size ||
		    (!f->size && off == f->start)) {
			if (best < 0 || f->start > o->funcs[best].start)
				best = (int)i;
		}
	}
	return best;
}
