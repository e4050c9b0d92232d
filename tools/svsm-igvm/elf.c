/* SPDX-License-Identifier: MIT */
/*
 * ELF64 loader for image regions: collects the PT_LOAD segments of an x86-64
 * executable into one page-aligned buffer at their physical addresses (our
 * images are linked at their load address and run identity mapped). The
 * file is input, so every offset and size is checked before use.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

#define PAGE UINT64_C(4096)
/* Refuse silly extents rather than allocate them. */
#define ELF_MAX_EXTENT (UINT64_C(256) << 20)

static bool load_header(struct cfg *cfg, int line, const uint8_t *data,
			size_t len, Elf64_Ehdr *eh)
{
	if (len < sizeof(*eh)) {
		cfg_error(cfg, line, "ELF file too short");
		return false;
	}
	memcpy(eh, data, sizeof(*eh));
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_X86_64 ||
	    eh->e_type != ET_EXEC) {
		cfg_error(cfg, line, "not an ELF64 x86-64 executable");
		return false;
	}
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
	    eh->e_phoff > len ||
	    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > len - eh->e_phoff) {
		cfg_error(cfg, line, "ELF program headers out of range");
		return false;
	}
	return true;
}

static bool phdr(const uint8_t *data, const Elf64_Ehdr *eh, size_t i,
		 Elf64_Phdr *ph)
{
	memcpy(ph, data + eh->e_phoff + i * sizeof(*ph), sizeof(*ph));
	return ph->p_type == PT_LOAD && ph->p_memsz != 0;
}

bool elf_load(struct cfg *cfg, int line, const uint8_t *data, size_t len,
	      struct region *r)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;

	if (!load_header(cfg, line, data, len, &eh)) {
		return false;
	}
	for (size_t i = 0; i < eh.e_phnum; i++) {
		if (!phdr(data, &eh, i, &ph)) {
			continue;
		}
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > len ||
		    ph.p_filesz > len - ph.p_offset ||
		    ph.p_paddr + ph.p_memsz < ph.p_paddr) {
			cfg_error(cfg, line, "ELF segment %zu out of range", i);
			return false;
		}
		lo = ph.p_paddr < lo ? ph.p_paddr : lo;
		hi = ph.p_paddr + ph.p_memsz > hi ? ph.p_paddr + ph.p_memsz
						  : hi;
	}
	if (lo == UINT64_MAX) {
		cfg_error(cfg, line, "ELF has no PT_LOAD segment");
		return false;
	}
	lo &= ~(PAGE - 1);
	hi = (hi + PAGE - 1) & ~(PAGE - 1);
	if (hi == 0 || hi - lo > ELF_MAX_EXTENT) {
		cfg_error(cfg, line, "ELF load extent larger than 256 MiB");
		return false;
	}
	r->gpa = lo;
	r->size = hi - lo;
	r->entry = eh.e_entry;
	r->image = calloc(1, r->size);
	if (!r->image) {
		cfg_error(cfg, line, "out of memory");
		return false;
	}
	for (size_t i = 0; i < eh.e_phnum; i++) {
		if (phdr(data, &eh, i, &ph)) {
			/* .bss stays zero from calloc. Overlapping segments
			 * would be ambiguous, but both are ours: later wins. */
			memcpy(r->image + (ph.p_paddr - lo), data + ph.p_offset,
			       ph.p_filesz);
		}
	}
	if (r->entry < r->gpa || r->entry >= r->gpa + r->size) {
		cfg_error(cfg, line,
			  "ELF entry 0x%llx is outside its loaded segments",
			  (unsigned long long)r->entry);
		return false;
	}
	return true;
}
