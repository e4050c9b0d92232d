/* SPDX-License-Identifier: MIT */
/*
 * Layout -> IGVM. Directive order (docs/abi.md §13.1, §14.3): platform, policy,
 * REQUIRED_MEMORY, then every parameter area, usage and insert, and only
 * then PAGE_DATA and the VMSA sorted by GPA, so QEMU's page grouping cannot
 * reorder an insert among the pages. Afterwards the output is parsed and
 * measured with our own parser, and the map records the predicted digest.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "svsm/abi/boot_params.h"
#include "svsm/abi/vmsa.h"

#include "igvm/builder.h"
#include "igvm/host.h"
#include "igvm/vmsa.h"
#include "layout.h"

#define PAGE UINT64_C(4096)

struct page_rec {
	uint64_t gpa;
	const uint8_t *data; /* NULL: zero page */
	uint32_t flags;
	uint16_t data_type;
	bool vmsa;
	const char *owner;
};

struct emit {
	const struct layout *l;
	struct page_rec *pages;
	size_t count;
	uint8_t boot_page[PAGE];
	uint8_t vmsa_page[PAGE];
	uint8_t *tables; /* PAGE_TABLE pages */
};

static const char *kind_name(enum region_kind k)
{
	static const char *const names[] = {
		[REGION_ELF] = "elf",
		[REGION_FIRMWARE] = "firmware",
		[REGION_ZERO] = "zero",
		[REGION_UNMEASURED] = "unmeasured",
		[REGION_SECRETS] = "secrets",
		[REGION_CPUID] = "cpuid",
		[REGION_BOOT_PARAMS] = "boot-params",
		[REGION_PAGE_TABLES] = "page-tables",
		[REGION_POOL] = "pool",
		[REGION_BZIMAGE] = "bzimage",
		[REGION_DATA] = "data",
	};

	return names[k];
}

static bool all_zero(const uint8_t *p)
{
	for (size_t i = 0; i < PAGE; i++) {
		if (p[i]) {
			return false;
		}
	}
	return true;
}

/*
 * The Linux payload's measured pages (kernel, command line, zero page,
 * initrd; layout_check.c bounds their number): the SVSM hands them to
 * VMPL2 unchanged and validates all other guest RAM itself.
 */
static void fill_linux(const struct layout *l, struct svsm_boot_params *bp)
{
	bp->linux_zero_page_gpa = l->linux_zero_page;
	bp->linux_boot_area_gpa = l->guest_boot_area;
	bp->linux_flags = l->linux_flags;
	for (size_t i = 0; i < l->region_count; i++) {
		const struct region *r = &l->regions[i];

		if (r->kind != REGION_BZIMAGE && r->kind != REGION_DATA) {
			continue;
		}
		bp->launched[bp->launched_count].base = r->gpa;
		bp->launched[bp->launched_count].size = r->size;
		bp->launched_count++;
	}
}

static void fill_boot_params(struct emit *e)
{
	const struct layout *l = e->l;
	struct svsm_boot_params bp;
	const struct region *r;

	memset(&bp, 0, sizeof(bp));
	bp.magic = SVSM_BOOT_PARAMS_MAGIC;
	bp.version = SVSM_BOOT_PARAMS_VERSION;
	r = layout_find(l, REGION_BOOT_PARAMS);
	for (size_t i = 0; r && i < l->memory_count; i++) {
		const struct memory *m = &l->memory[i];

		if (r->gpa >= m->gpa && r->gpa - m->gpa < m->size) {
			bp.svsm_base = m->gpa;
			bp.svsm_size = m->size;
		}
	}
	if ((r = layout_find(l, REGION_POOL))) {
		bp.pool_base = r->gpa;
		bp.pool_size = r->size;
	}
	if ((r = layout_find(l, REGION_SECRETS))) {
		bp.secrets_gpa = r->gpa;
	}
	if ((r = layout_find(l, REGION_CPUID))) {
		bp.cpuid_gpa = r->gpa;
	}
	for (size_t i = 0; i < l->param_count; i++) {
		const struct param *p = &l->params[i];

		if (p->memory_map != PARAM_NONE) {
			bp.memmap_gpa = p->gpa;
			bp.memmap_size = p->size;
		}
		if (p->vp_count != PARAM_NONE) {
			bp.general_gpa = p->gpa;
			bp.vp_count_offset = p->vp_count;
		}
	}
	for (size_t i = 0; i < l->region_count; i++) {
		r = &l->regions[i];
		if (r->payload) {
			bp.payload_mode = r->kind == REGION_FIRMWARE
						  ? SVSM_PAYLOAD_RESET
					  : r->kind == REGION_BZIMAGE
						  ? SVSM_PAYLOAD_LINUX64
						  : SVSM_PAYLOAD_PROT32;
			bp.payload_base = r->gpa;
			bp.payload_size = r->size;
			bp.payload_entry = r->entry;
		}
	}
	bp.guest_secrets_gpa = l->guest_secrets;
	bp.guest_cpuid_gpa = l->guest_cpuid;
	bp.guest_caa_gpa = l->guest_caa;
	if (bp.payload_mode == SVSM_PAYLOAD_LINUX64) {
		fill_linux(l, &bp);
	}
	memcpy(e->boot_page, &bp, sizeof(bp));
}

/* Identity map of the low 4 GiB, 2 MiB pages, C-bit set (private). */
static void fill_tables(struct emit *e, const struct region *r)
{
	uint64_t c = UINT64_C(1) << e->l->vmsa.cbit;
	uint64_t *t = (uint64_t *)(void *)e->tables;

	memset(e->tables, 0, r->size);
	t[0] = (r->gpa + PAGE) | c | 0x3; /* PML4[0] -> PDPT */
	for (uint64_t g = 0; g < 4; g++) {
		uint64_t *pd = t + (2 + g) * 512;

		t[512 + g] = (r->gpa + (2 + g) * PAGE) | c | 0x3;
		for (uint64_t i = 0; i < 512; i++) {
			/* P | RW | PS */
			pd[i] = ((g << 30) + (i << 21)) | c | 0x83;
		}
	}
}

static void fill_vmsa(struct emit *e)
{
	const struct vmsa_cfg *v = &e->l->vmsa;
	const struct region *bp = layout_find(e->l, REGION_BOOT_PARAMS);
	static const struct igvm_vmsa_seg data32 = {0x10, VMSA_SEG_DATA32,
						    UINT32_MAX, 0};
	struct igvm_vmsa_regs r;

	igvm_vmsa_reset(&r, v->sev_features);
	r.es = r.ss = r.ds = r.fs = r.gs = data32;
	r.cs = (struct igvm_vmsa_seg){0x08, VMSA_SEG_CODE32, UINT32_MAX, 0};
	r.vmpl = 0; /* the SVSM runs at VMPL0 */
	/* Paging off (docs/abi.md §14.3). */
	r.cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_NE;
	if (v->mode == ENTRY_LONG64) {
		r.cs.attrib = VMSA_SEG_CODE64;
		r.cr0 |= X86_CR0_WP | X86_CR0_PG;
		r.cr4 |= X86_CR4_PAE;
		r.efer |= X86_EFER_NXE | X86_EFER_LMA | X86_EFER_LME;
		r.cr3 = v->page_tables->gpa | (UINT64_C(1) << v->cbit);
	}
	r.rip = v->rip;
	r.rsp = v->rsp;
	r.rsi = bp ? bp->gpa : 0; /* boot_params.h: boot page in RSI */
	igvm_vmsa_write(e->vmsa_page, &r);
}

static void add_page(struct emit *e, uint64_t gpa, const uint8_t *data,
		     uint32_t flags, uint16_t type, const char *owner)
{
	struct page_rec *p = &e->pages[e->count++];

	p->gpa = gpa;
	p->data = (data && all_zero(data)) ? NULL : data;
	p->flags = flags;
	p->data_type = type;
	p->vmsa = false;
	p->owner = owner;
}

static void collect_region(struct emit *e, const struct region *r)
{
	for (uint64_t off = 0; off < r->size; off += PAGE) {
		const uint8_t *data = NULL;
		uint32_t flags = 0;
		uint16_t type = IGVM_PAGE_DATA_NORMAL;

		switch (r->kind) {
		case REGION_ELF:
		case REGION_FIRMWARE:
		case REGION_BZIMAGE:
		case REGION_DATA:
			data = r->image + off;
			break;
		case REGION_PAGE_TABLES:
			data = e->tables + off;
			break;
		case REGION_BOOT_PARAMS:
			data = e->boot_page;
			break;
		case REGION_UNMEASURED:
			flags = IGVM_PAGE_FLAG_UNMEASURED;
			break;
		case REGION_SECRETS:
			type = IGVM_PAGE_DATA_SECRETS;
			break;
		case REGION_CPUID:
			/* QEMU replaces the contents (docs/abi.md §13.1). */
			type = IGVM_PAGE_DATA_CPUID_DATA;
			break;
		case REGION_ZERO:
		case REGION_POOL:
			break;
		}
		add_page(e, r->gpa + off, data, flags, type, r->name);
	}
}

static int cmp_page(const void *a, const void *b)
{
	const struct page_rec *x = a, *y = b;

	return x->gpa < y->gpa ? -1 : x->gpa > y->gpa;
}

static bool collect(struct emit *e)
{
	const struct layout *l = e->l;
	size_t total = 1;

	for (size_t i = 0; i < l->region_count; i++) {
		if (l->regions[i].kind != REGION_POOL) {
			total += l->regions[i].size / PAGE;
		}
	}
	e->pages = calloc(total, sizeof(*e->pages));
	if (!e->pages) {
		return false;
	}
	for (size_t i = 0; i < l->region_count; i++) {
		const struct region *r = &l->regions[i];

		if (r->kind == REGION_PAGE_TABLES) {
			e->tables = calloc(1, r->size);
			if (!e->tables) {
				return false;
			}
			fill_tables(e, r);
		}
	}
	fill_boot_params(e);
	fill_vmsa(e);
	for (size_t i = 0; i < l->region_count; i++) {
		if (l->regions[i].kind != REGION_POOL) {
			collect_region(e, &l->regions[i]);
		}
	}
	e->pages[e->count].gpa = l->vmsa.gpa;
	e->pages[e->count].vmsa = true;
	e->pages[e->count].owner = "vmsa";
	e->count++;
	qsort(e->pages, e->count, sizeof(*e->pages), cmp_page);
	return true;
}

static void emit_directives(const struct emit *e, struct igvm_builder *b)
{
	const struct layout *l = e->l;
	uint32_t m = l->compat_mask;

	igvm_builder_platform(b, m, IGVM_PLATFORM_SEV_SNP, l->highest_vtl, 0);
	igvm_builder_policy(b, m, l->policy);
	for (size_t i = 0; i < l->memory_count; i++) {
		if (l->memory[i].required) {
			igvm_builder_required(b, m, l->memory[i].gpa,
					      (uint32_t)l->memory[i].size, 0);
		}
	}
	for (size_t i = 0; i < l->param_count; i++) {
		const struct param *p = &l->params[i];

		igvm_builder_area(b, p->index, p->size);
		if (p->vp_count != PARAM_NONE) {
			igvm_builder_param(b, IGVM_VHT_VP_COUNT_PARAMETER,
					   p->index, p->vp_count);
		}
		if (p->env_info != PARAM_NONE) {
			igvm_builder_param(b,
					   IGVM_VHT_ENVIRONMENT_INFO_PARAMETER,
					   p->index, p->env_info);
		}
		if (p->memory_map != PARAM_NONE) {
			igvm_builder_param(b, IGVM_VHT_MEMORY_MAP, p->index,
					   p->memory_map);
		}
	}
	/* All inserts before any PAGE_DATA (docs/abi.md §13.1 ordering trap).
	 */
	for (size_t i = 0; i < l->param_count; i++) {
		igvm_builder_insert(b, m, l->params[i].gpa, l->params[i].index);
	}
	for (size_t i = 0; i < e->count; i++) {
		const struct page_rec *p = &e->pages[i];

		if (p->vmsa) {
			igvm_builder_vmsa(b, m, p->gpa, 0, e->vmsa_page);
		} else {
			igvm_builder_page(b, m, p->gpa, p->flags, p->data_type,
					  p->data, p->data ? PAGE : 0);
		}
	}
}

static void write_map(const struct emit *e, FILE *map, const uint8_t *ld)
{
	const struct layout *l = e->l;
	char hex[97];

	fprintf(map, "# svsm.igvm layout map (generated by svsm-igvm)\n");
	fprintf(map, "image    policy=0x%" PRIx64 " mask=0x%x vtl=%u\n",
		l->policy, l->compat_mask, l->highest_vtl);
	for (size_t i = 0; i < l->memory_count; i++) {
		const struct memory *m = &l->memory[i];

		fprintf(map,
			"memory   %-16s 0x%016" PRIx64 " 0x%" PRIx64 "%s\n",
			m->name, m->gpa, m->size,
			m->required ? " required" : "");
	}
	for (size_t i = 0; i < l->region_count; i++) {
		const struct region *r = &l->regions[i];

		fprintf(map,
			"region   %-16s 0x%016" PRIx64 " 0x%" PRIx64 " %s%s\n",
			r->name, r->gpa, r->size, kind_name(r->kind),
			r->payload ? " payload" : "");
	}
	for (size_t i = 0; i < l->param_count; i++) {
		const struct param *p = &l->params[i];

		fprintf(map,
			"param    %-16s 0x%016" PRIx64 " 0x%" PRIx64
			" index=%u\n",
			p->name, p->gpa, p->size, p->index);
	}
	fprintf(map,
		"vmsa     %-16s 0x%016" PRIx64 " 0x1000 rip=0x%" PRIx64
		" mode=%s\n",
		"bsp", l->vmsa.gpa, l->vmsa.rip,
		l->vmsa.mode == ENTRY_LONG64 ? "long64" : "protected32");
	igvm_host_hex(ld, 48, hex);
	fprintf(map, "digest   %-16s %s\n",
		l->profile == IGVM_PROFILE_KVM ? "kvm" : "direct", hex);
}

static bool build(const struct emit *e, struct cfg *cfg,
		  const struct igvm_snp_id_block *blk, uint8_t **file,
		  size_t *len)
{
	struct igvm_builder b;
	bool ok;

	igvm_builder_init(&b);
	emit_directives(e, &b);
	if (blk) {
		igvm_builder_id_block(&b, blk);
	}
	ok = igvm_builder_finish(&b, file, len);
	igvm_builder_free(&b);
	if (!ok) {
		cfg_error(cfg, 0,
			  "IGVM file larger than 4 GiB or out of memory");
	}
	return ok;
}

bool layout_emit(const struct layout *l, struct cfg *cfg, uint8_t **file,
		 size_t *len, FILE *map)
{
	struct emit *e = calloc(1, sizeof(*e));
	struct igvm_file *pf = calloc(1, sizeof(*pf));
	struct igvm_measure_opts o = {.profile = l->profile,
				      .vcpus = l->vcpus,
				      .vcpu_sig = l->vcpu_sig};
	uint8_t scratch[PAGE], ld[48];
	struct igvm_snp_id_block blk;
	enum igvm_err err;
	bool ok = false;

	*file = NULL;
	o.scratch = scratch;
	if (!e || !pf) {
		cfg_error(cfg, 0, "out of memory");
		goto out;
	}
	e->l = l;
	if (!collect(e)) {
		cfg_error(cfg, 0, "out of memory");
		goto out;
	}
	ok = build(e, cfg, NULL, file, len);
	/* Our own parser is the self-test of what we just wrote. */
	err = ok ? igvm_parse(*file, *len, pf) : IGVM_OK;
	if (ok && err == IGVM_OK) {
		err = igvm_measure(pf, igvm_host_sha384, &o, ld);
	}
	/*
	 * The ID block does not change the digest (docs/abi.md §14.2), so it is
	 * signed over the digest of the file without it and appended last.
	 */
	if (ok && err == IGVM_OK && l->id_block.enabled) {
		free(*file);
		*file = NULL;
		ok = id_block_make(l, cfg, ld, &blk) &&
		     build(e, cfg, &blk, file, len);
		err = ok ? igvm_parse(*file, *len, pf) : IGVM_OK;
	}
	if (!ok) {
		goto out;
	}
	if (err != IGVM_OK) {
		cfg_error(cfg, 0,
			  "internal error: output rejected at 0x%zx: %s",
			  pf->err_offset, igvm_strerror(err));
		free(*file);
		*file = NULL;
		ok = false;
		goto out;
	}
	if (map) {
		write_map(e, map, ld);
	}
out:
	if (e) {
		free(e->pages);
		free(e->tables);
	}
	free(e);
	free(pf);
	return ok;
}
