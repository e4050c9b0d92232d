/* SPDX-License-Identifier: MIT */
/*
 * Cross-section rules of igvm.cfg (docs/abi.md §16 "the builder should
 * refuse"): every page inside a declared memory range, nothing overlapping,
 * parameter areas QEMU can fill, and a VMSA the chosen host profile accepts.
 */
#include <string.h>

#include "svsm/abi/boot_params.h"

#include "igvm/defs.h"
#include "igvm/measure.h"
#include "igvm/qemu.h"
#include "igvm/vmsa.h"
#include "layout.h"

#define PAGE UINT64_C(4096)
#define TWO_MIB (UINT64_C(1) << 21)
#define FOUR_GIB (UINT64_C(1) << 32)

/* One claimed guest-physical range, for the overlap check. */
struct span {
	const char *what; /* "region", "param", "vmsa", "guest page" */
	const char *name;
	int line;
	uint64_t gpa, size;
};

static const struct memory *containing(const struct layout *l, uint64_t gpa,
				       uint64_t size)
{
	for (size_t i = 0; i < l->memory_count; i++) {
		const struct memory *m = &l->memory[i];

		if (gpa >= m->gpa && size <= m->size &&
		    gpa - m->gpa <= m->size - size) {
			return m;
		}
	}
	return NULL;
}

static bool check_inside(const struct layout *l, struct cfg *cfg,
			 const struct span *s)
{
	if (containing(l, s->gpa, s->size)) {
		return true;
	}
	cfg_error(cfg, s->line,
		  "%s '%s' (0x%llx-0x%llx) is not inside any [memory] range",
		  s->what, s->name, (unsigned long long)s->gpa,
		  (unsigned long long)(s->gpa + s->size - 1));
	return false;
}

static bool check_overlaps(struct cfg *cfg, const struct span *spans, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < i; j++) {
			const struct span *a = &spans[j], *b = &spans[i];

			if (b->gpa < a->gpa + a->size &&
			    a->gpa < b->gpa + b->size) {
				cfg_error(cfg, b->line,
					  "%s '%s' (0x%llx-0x%llx) overlaps %s "
					  "'%s' (line %d)",
					  b->what, b->name,
					  (unsigned long long)b->gpa,
					  (unsigned long long)(b->gpa +
							       b->size - 1),
					  a->what, a->name, a->line);
				return false;
			}
		}
	}
	return true;
}

static bool check_unique(const struct layout *l, struct cfg *cfg)
{
	static const enum region_kind once[] = {REGION_SECRETS, REGION_CPUID,
						REGION_BOOT_PARAMS};
	const struct region *payload = NULL;

	for (size_t k = 0; k < sizeof(once) / sizeof(once[0]); k++) {
		const struct region *first = NULL;

		for (size_t i = 0; i < l->region_count; i++) {
			if (l->regions[i].kind != once[k]) {
				continue;
			}
			if (first) {
				cfg_error(cfg, l->regions[i].line,
					  "region '%s': only one region of "
					  "this kind (first: '%s')",
					  l->regions[i].name, first->name);
				return false;
			}
			first = &l->regions[i];
		}
	}
	for (size_t i = 0; i < l->region_count; i++) {
		if (!l->regions[i].payload) {
			continue;
		}
		if (payload) {
			cfg_error(cfg, l->regions[i].line,
				  "region '%s': only one payload (first: '%s')",
				  l->regions[i].name, payload->name);
			return false;
		}
		payload = &l->regions[i];
	}
	return true;
}

static bool check_params(const struct layout *l, struct cfg *cfg)
{
	for (size_t i = 0; i < l->param_count; i++) {
		const struct param *p = &l->params[i];
		const uint32_t offs[2] = {p->vp_count, p->env_info};

		/* A 4 KiB multiple, each index once (docs/abi.md §12.6). */
		if (p->size == 0 || p->size % PAGE || p->size > UINT32_MAX ||
		    p->gpa % PAGE) {
			cfg_error(cfg, p->line,
				  "param '%s': size must be a non-zero 4 KiB "
				  "multiple and gpa 4 KiB aligned",
				  p->name);
			return false;
		}
		for (size_t j = 0; j < i; j++) {
			if (l->params[j].index == p->index) {
				cfg_error(cfg, p->line,
					  "param '%s': index %u already used "
					  "by '%s'",
					  p->name, p->index, l->params[j].name);
				return false;
			}
		}
		/*
		 * QEMU writes the memory map at offset 0 and ignores
		 * byte_offset, so it needs an area of its own (docs/abi.md
		 * §12.4).
		 */
		if (p->memory_map != PARAM_NONE &&
		    (p->memory_map != 0 || p->vp_count != PARAM_NONE ||
		     p->env_info != PARAM_NONE)) {
			cfg_error(cfg, p->line,
				  "param '%s': memory_map must be at offset 0 "
				  "in an area of its own (QEMU ignores its "
				  "byte_offset)",
				  p->name);
			return false;
		}
		for (size_t k = 0; k < 2; k++) {
			if (offs[k] != PARAM_NONE &&
			    (offs[k] % 4 || offs[k] > p->size - 4)) {
				cfg_error(cfg, p->line,
					  "param '%s': u32 offset 0x%x outside "
					  "the area or misaligned",
					  p->name, offs[k]);
				return false;
			}
		}
		if (p->vp_count != PARAM_NONE && p->vp_count == p->env_info) {
			cfg_error(cfg, p->line,
				  "param '%s': vp_count and environment_info "
				  "share an offset",
				  p->name);
			return false;
		}
	}
	return true;
}

static bool check_vmsa(const struct layout *l, struct cfg *cfg)
{
	const struct vmsa_cfg *v = &l->vmsa;
	const struct region *bp = layout_find(l, REGION_BOOT_PARAMS);

	if (v->gpa % PAGE) {
		cfg_error(cfg, v->line, "VMSA gpa 0x%llx is not 4 KiB aligned",
			  (unsigned long long)v->gpa);
		return false;
	}
	if (l->profile == IGVM_PROFILE_KVM) {
		/* KVM's INITIAL_VMSA_GPA (docs/abi.md §13.2). */
		if (v->gpa != IGVM_KVM_VMSA_GPA) {
			cfg_error(cfg, v->line,
				  "host_profile kvm needs the VMSA at "
				  "0xFFFFFFFFF000, not 0x%llx (docs/abi.md "
				  "§13.2)",
				  (unsigned long long)v->gpa);
			return false;
		}
		/* KVM forces CR0 to 0x30/0x31: no paging (docs/abi.md §13.2).
		 */
		if (v->mode != ENTRY_PROTECTED32) {
			cfg_error(cfg, v->line,
				  "host_profile kvm supports only mode "
				  "protected32 (KVM normalises CR0)");
			return false;
		}
	} else if (v->gpa % TWO_MIB == 0) {
		/* Direct VMSA: SNP erratum, never 2 MiB aligned (§2.4). */
		cfg_error(cfg, v->line,
			  "VMSA gpa 0x%llx is 2 MiB aligned; the direct-VMSA "
			  "host refuses that (docs/abi.md §13.2)",
			  (unsigned long long)v->gpa);
		return false;
	}
	if (!(v->sev_features & IGVM_SEV_FEATURE_SNP)) {
		cfg_error(cfg, v->line,
			  "sev_features 0x%llx lacks bit 0 (SNP active)",
			  (unsigned long long)v->sev_features);
		return false;
	}
	/* What QEMU's check_sev_features() lets through (docs/igvm.md §4). */
	if (l->profile == IGVM_PROFILE_KVM &&
	    (v->sev_features & ~IGVM_KVM_SEV_FEATURES)) {
		cfg_error(cfg, v->line,
			  "sev_features 0x%llx: QEMU/KVM accept only SNP, "
			  "DebugSwap and SecureTSC (mask 0x%llx)",
			  (unsigned long long)v->sev_features,
			  (unsigned long long)IGVM_KVM_SEV_FEATURES);
		return false;
	}
	if (v->mode == ENTRY_LONG64 && !v->page_tables) {
		cfg_error(cfg, v->line,
			  "mode long64 needs page_tables = REGION");
		return false;
	}
	if (v->mode == ENTRY_LONG64 && (v->cbit < 32 || v->cbit > 51)) {
		cfg_error(cfg, v->line, "cbit %u outside 32..51", v->cbit);
		return false;
	}
	/* The 32-bit entry gets the boot page in ESI and runs below 4 GiB. */
	if (v->mode == ENTRY_PROTECTED32 &&
	    (v->rip >= FOUR_GIB || v->rsp > FOUR_GIB ||
	     (bp && bp->gpa >= FOUR_GIB))) {
		cfg_error(cfg, v->line,
			  "protected32 entry: rip, rsp and the boot-params "
			  "page must be below 4 GiB");
		return false;
	}
	return true;
}

static bool check_pool(const struct layout *l, struct cfg *cfg)
{
	const struct region *bp = layout_find(l, REGION_BOOT_PARAMS);
	const struct region *pool = layout_find(l, REGION_POOL);

	if (pool && bp &&
	    containing(l, pool->gpa, pool->size) !=
		    containing(l, bp->gpa, bp->size)) {
		cfg_error(cfg, pool->line,
			  "pool '%s' must be in the same [memory] range as the "
			  "boot-params page (the SVSM region)",
			  pool->name);
		return false;
	}
	return true;
}

/* Memory ranges must be disjoint, or "inside a range" is ambiguous. */
static bool check_memory(const struct layout *l, struct cfg *cfg)
{
	for (size_t i = 0; i < l->memory_count; i++) {
		for (size_t j = 0; j < i; j++) {
			const struct memory *a = &l->memory[j];
			const struct memory *b = &l->memory[i];

			if (b->gpa < a->gpa + a->size &&
			    a->gpa < b->gpa + b->size) {
				cfg_error(cfg, b->line,
					  "memory '%s' overlaps memory '%s' "
					  "(line %d)",
					  b->name, a->name, a->line);
				return false;
			}
		}
	}
	return true;
}

/*
 * A bzImage is only meaningful as the payload, and the SVSM needs the boot
 * area for the page tables, GDT and CC blob it builds for the 64-bit entry
 * (include/svsm/abi/boot_params.h).
 */
static bool check_linux(const struct layout *l, struct cfg *cfg)
{
	const struct region *bz = layout_find(l, REGION_BZIMAGE);
	size_t launched = 0;

	if (bz == NULL) {
		if (l->guest_boot_area != 0) {
			cfg_error(cfg, l->guest_line,
				  "[guest] boot_area_gpa is only used with a "
				  "bzimage payload");
			return false;
		}
		return true;
	}
	if (!bz->payload) {
		cfg_error(cfg, bz->line,
			  "bzimage region '%s' must be the payload "
			  "(payload = yes)",
			  bz->name);
		return false;
	}
	if (l->guest_boot_area == 0 || l->guest_boot_area % PAGE) {
		cfg_error(cfg, l->guest_line ? l->guest_line : bz->line,
			  "a bzimage payload needs a 4 KiB-aligned [guest] "
			  "boot_area_gpa (%u pages for the SVSM's page tables, "
			  "GDT and CC blob)",
			  SVSM_LINUX_BOOT_PAGES);
		return false;
	}
	for (size_t i = 0; i < l->region_count; i++) {
		launched += l->regions[i].kind == REGION_BZIMAGE ||
			    l->regions[i].kind == REGION_DATA;
	}
	if (launched > SVSM_BOOT_MAX_LAUNCHED) {
		cfg_error(cfg, bz->line, "too many launched payload ranges");
		return false;
	}
	return true;
}

bool layout_check(const struct layout *l, struct cfg *cfg)
{
	struct span spans[LAYOUT_MAX_REGIONS + LAYOUT_MAX_PARAMS + 5];
	const uint64_t guest[3] = {l->guest_secrets, l->guest_cpuid,
				   l->guest_caa};
	static const char *const guest_names[3] = {"secrets_gpa", "cpuid_gpa",
						   "caa_gpa"};
	size_t n = 0;

	if (!check_memory(l, cfg) || !check_unique(l, cfg) ||
	    !check_params(l, cfg) || !check_vmsa(l, cfg) ||
	    !check_pool(l, cfg)) {
		return false;
	}
	for (size_t i = 0; i < l->region_count; i++) {
		spans[n++] = (struct span){
			"region", l->regions[i].name, l->regions[i].line,
			l->regions[i].gpa, l->regions[i].span};
	}
	for (size_t i = 0; i < l->param_count; i++) {
		spans[n++] = (struct span){"param", l->params[i].name,
					   l->params[i].line, l->params[i].gpa,
					   l->params[i].size};
	}
	for (size_t i = 0; i < 3; i++) {
		if (guest[i] == 0) {
			continue;
		}
		if (guest[i] % PAGE) {
			cfg_error(cfg, l->guest_line,
				  "[guest] %s is not 4 KiB aligned",
				  guest_names[i]);
			return false;
		}
		spans[n++] = (struct span){"guest page", guest_names[i],
					   l->guest_line, guest[i], PAGE};
	}
	if (!check_linux(l, cfg)) {
		return false;
	}
	if (l->guest_boot_area != 0) {
		spans[n++] = (struct span){"guest page", "boot_area_gpa",
					   l->guest_line, l->guest_boot_area,
					   SVSM_LINUX_BOOT_PAGES * PAGE};
	}
	/* The KVM-profile VMSA GPA is outside guest memory by design. */
	if (l->profile == IGVM_PROFILE_DIRECT) {
		spans[n++] = (struct span){"vmsa", "bsp", l->vmsa.line,
					   l->vmsa.gpa, PAGE};
	}
	for (size_t i = 0; i < n; i++) {
		if (!check_inside(l, cfg, &spans[i])) {
			return false;
		}
	}
	return check_overlaps(cfg, spans, n);
}
