/* SPDX-License-Identifier: MIT */
/*
 * igvm.cfg schema: turns sections into a struct layout and loads the files
 * the regions name. Cross-section rules live in layout_check.c.
 */
#include "layout.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "igvm/defs.h"
#include "igvm/host.h"
#include "igvm/vmsa.h"

#define PAGE UINT64_C(4096)
#define FOUR_GIB (UINT64_C(1) << 32)

static bool aligned(uint64_t v)
{
	return (v & (PAGE - 1)) == 0;
}

/* A required numeric key. */
static bool need_u64(struct cfg *cfg, struct cfg_section *s, const char *key,
		     uint64_t *out)
{
	struct cfg_key *k = cfg_get(s, key);

	if (!k) {
		cfg_error(cfg, s->line, "[%s%s%s] needs '%s'", s->kind,
			  *s->name ? " " : "", s->name, key);
		return false;
	}
	return cfg_u64(cfg, k, out);
}

/* An optional numeric key (keeps *out if absent). */
static bool opt_u64(struct cfg *cfg, struct cfg_section *s, const char *key,
		    uint64_t *out)
{
	struct cfg_key *k = cfg_get(s, key);

	return !k || cfg_u64(cfg, k, out);
}

static bool opt_u32(struct cfg *cfg, struct cfg_section *s, const char *key,
		    uint32_t *out)
{
	struct cfg_key *k = cfg_get(s, key);
	uint64_t v;

	if (!k) {
		return true;
	}
	if (!cfg_u64(cfg, k, &v)) {
		return false;
	}
	if (v > UINT32_MAX) {
		cfg_error(cfg, k->line, "%s: 0x%llx does not fit in 32 bits",
			  k->key, (unsigned long long)v);
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

static bool parse_image(struct layout *l, struct cfg *cfg,
			struct cfg_section *s)
{
	struct cfg_key *k = cfg_get(s, "platform");
	uint64_t v = 2;

	if (!k || strcmp(k->value, "sev-snp") != 0) {
		cfg_error(cfg, k ? k->line : s->line,
			  "[image] platform must be sev-snp (the only platform "
			  "this builder emits)");
		return false;
	}
	l->compat_mask = 1;
	if (!opt_u32(cfg, s, "compat_mask", &l->compat_mask) ||
	    !opt_u64(cfg, s, "highest_vtl", &v) ||
	    !need_u64(cfg, s, "policy", &l->policy)) {
		return false;
	}
	/* docs/abi.md §12.4: exactly one bit per platform; VTL 0 or 2. */
	if (l->compat_mask == 0 || (l->compat_mask & (l->compat_mask - 1))) {
		cfg_error(cfg, cfg_get(s, "compat_mask")->line,
			  "compat_mask must have exactly one bit set");
		return false;
	}
	if (v != 0 && v != 2) {
		cfg_error(cfg, cfg_get(s, "highest_vtl")->line,
			  "highest_vtl must be 0 or 2 (docs/abi.md §12.4)");
		return false;
	}
	l->highest_vtl = (uint8_t)v;
	/* SNP policy bit 17 is reserved, must be 1 (docs/abi.md §12.4). */
	if (!(l->policy & IGVM_SNP_POLICY_RESERVED_MBO)) {
		cfg_error(cfg, cfg_get(s, "policy")->line,
			  "policy 0x%llx has bit 17 clear; SNP requires it set "
			  "(docs/abi.md §12.4)",
			  (unsigned long long)l->policy);
		return false;
	}
	k = cfg_get(s, "host_profile");
	if (!k) {
		cfg_error(cfg, s->line, "[image] needs 'host_profile'");
		return false;
	}
	if (!strcmp(k->value, "direct")) {
		l->profile = IGVM_PROFILE_DIRECT;
	} else if (!strcmp(k->value, "kvm")) {
		l->profile = IGVM_PROFILE_KVM;
	} else {
		cfg_error(cfg, k->line,
			  "host_profile must be direct or kvm, got '%s'",
			  k->value);
		return false;
	}
	l->vcpus = 1;
	l->vcpu_sig = IGVM_VCPU_SIG_EPYC_V4; /* docs/abi.md §16 */
	if (!opt_u32(cfg, s, "vcpus", &l->vcpus) ||
	    !opt_u32(cfg, s, "vcpu_sig", &l->vcpu_sig)) {
		return false;
	}
	if (l->vcpus == 0) {
		cfg_error(cfg, cfg_get(s, "vcpus")->line, "vcpus must be >= 1");
		return false;
	}
	return true;
}

static bool parse_memory(struct layout *l, struct cfg *cfg,
			 struct cfg_section *s)
{
	struct memory *m;
	struct cfg_key *k;

	if (l->memory_count == LAYOUT_MAX_MEMORY) {
		cfg_error(cfg, s->line, "too many [memory] sections");
		return false;
	}
	m = &l->memory[l->memory_count++];
	m->name = s->name;
	m->line = s->line;
	if (!need_u64(cfg, s, "gpa", &m->gpa) ||
	    !need_u64(cfg, s, "size", &m->size)) {
		return false;
	}
	k = cfg_get(s, "required");
	if (k && !cfg_bool(cfg, k, &m->required)) {
		return false;
	}
	if (!aligned(m->gpa) || !aligned(m->size) || m->size == 0 ||
	    m->gpa + m->size < m->gpa) {
		cfg_error(cfg, s->line,
			  "memory '%s' must be a non-empty 4 KiB-aligned range",
			  s->name);
		return false;
	}
	/* REQUIRED_MEMORY carries a u32 size (docs/abi.md §12.4). */
	if (m->required && m->size > UINT32_MAX) {
		cfg_error(cfg, s->line,
			  "required memory '%s' is larger than 4 GiB - 1",
			  s->name);
		return false;
	}
	return true;
}

static bool read_input(struct cfg *cfg, struct cfg_key *k, uint8_t **data,
		       size_t *len)
{
	if (!igvm_host_read_file(k->value, data, len)) {
		cfg_error(cfg, k->line, "cannot read %s '%s': %s", k->key,
			  k->value, strerror(errno));
		return false;
	}
	return true;
}

static bool parse_hex(const char *s, uint8_t *out, size_t n)
{
	if (strlen(s) != 2 * n) {
		return false;
	}
	for (size_t i = 0; i < 2 * n; i++) {
		const char c = s[i];
		int v = (c >= '0' && c <= '9')   ? c - '0'
			: (c >= 'a' && c <= 'f') ? c - 'a' + 10
			: (c >= 'A' && c <= 'F') ? c - 'A' + 10
						 : -1;

		if (v < 0) {
			return false;
		}
		out[i / 2] = (uint8_t)((i % 2) ? (out[i / 2] | v) : (v << 4));
	}
	return true;
}

static bool load_firmware(struct cfg *cfg, struct cfg_section *s,
			  struct region *r)
{
	struct cfg_key *file = cfg_get(s, "file");
	struct cfg_key *pin = cfg_get(s, "sha256");
	struct cfg_key *place = cfg_get(s, "placement");
	struct cfg_key *meta = cfg_get(s, "metadata");
	uint8_t *data = NULL;
	size_t len = 0;

	if (!file) {
		cfg_error(cfg, s->line, "region '%s' needs 'file'", s->name);
		return false;
	}
	if (!read_input(cfg, file, &data, &len)) {
		return false;
	}
	if (len == 0 || len > (256u << 20)) {
		cfg_error(cfg, file->line, "'%s': size %zu not in 1..256 MiB",
			  file->value, len);
		free(data);
		return false;
	}
	if (meta) {
		bool want = false;

		if (!cfg_bool(cfg, meta, &want) ||
		    (want &&
		     !ovmf_parse(cfg, meta->line, data, len, &r->meta))) {
			free(data);
			return false;
		}
	}
	if (pin) {
		uint8_t want[32], got[32];
		char hex[65];

		if (!parse_hex(pin->value, want, sizeof(want))) {
			cfg_error(cfg, pin->line,
				  "sha256 must be 64 hex digits");
			free(data);
			return false;
		}
		igvm_host_sha256(data, len, got);
		if (memcmp(want, got, sizeof(got)) != 0) {
			igvm_host_hex(got, sizeof(got), hex);
			cfg_error(cfg, pin->line,
				  "firmware hash mismatch for '%s': file has "
				  "sha256 %s",
				  file->value, hex);
			free(data);
			return false;
		}
	}
	r->size = (len + PAGE - 1) & ~(PAGE - 1);
	r->image = calloc(1, r->size);
	if (!r->image) {
		free(data);
		cfg_error(cfg, s->line, "out of memory");
		return false;
	}
	memcpy(r->image, data, len);
	free(data);
	if (place) {
		if (strcmp(place->value, "end-at-4g") != 0) {
			cfg_error(cfg, place->line,
				  "placement must be end-at-4g, got '%s'",
				  place->value);
			return false;
		}
		if (cfg_get(s, "gpa")) {
			cfg_error(cfg, place->line,
				  "give either placement or gpa, not both");
			return false;
		}
		r->gpa = FOUR_GIB - r->size;
		return true;
	}
	return need_u64(cfg, s, "gpa", &r->gpa);
}

static bool load_elf(struct cfg *cfg, struct cfg_section *s, struct region *r)
{
	struct cfg_key *file = cfg_get(s, "file");
	uint8_t *data = NULL;
	size_t len = 0;
	bool ok;

	if (!file) {
		cfg_error(cfg, s->line, "region '%s' needs 'file'", s->name);
		return false;
	}
	if (!read_input(cfg, file, &data, &len)) {
		return false;
	}
	ok = elf_load(cfg, file->line, data, len, r);
	free(data);
	return ok;
}

static const struct {
	const char *name;
	enum region_kind kind;
} kinds[] = {
	{"elf", REGION_ELF},
	{"firmware", REGION_FIRMWARE},
	{"zero", REGION_ZERO},
	{"unmeasured", REGION_UNMEASURED},
	{"secrets", REGION_SECRETS},
	{"cpuid", REGION_CPUID},
	{"boot-params", REGION_BOOT_PARAMS},
	{"page-tables", REGION_PAGE_TABLES},
	{"pool", REGION_POOL},
	{"bzimage", REGION_BZIMAGE},
};

/* Identity map of 4 GiB with 2 MiB pages: PML4, PDPT, four PDs. */
#define PAGE_TABLE_PAGES 6

static bool region_extent(struct layout *l, struct cfg *cfg,
			  struct cfg_section *s, struct region *r)
{
	switch (r->kind) {
	case REGION_BZIMAGE:
		return bzimage_load(l, cfg, s, r);
	case REGION_DATA:
		break; /* generated only, never named in a config */
	case REGION_ELF:
		return load_elf(cfg, s, r);
	case REGION_FIRMWARE:
		return load_firmware(cfg, s, r);
	case REGION_ZERO:
	case REGION_UNMEASURED:
	case REGION_POOL:
		return need_u64(cfg, s, "gpa", &r->gpa) &&
		       need_u64(cfg, s, "size", &r->size);
	case REGION_PAGE_TABLES:
		r->size = PAGE_TABLE_PAGES * PAGE;
		return need_u64(cfg, s, "gpa", &r->gpa);
	case REGION_SECRETS:
	case REGION_CPUID:
	case REGION_BOOT_PARAMS:
		r->size = PAGE;
		return need_u64(cfg, s, "gpa", &r->gpa);
	}
	return false;
}

static bool parse_region(struct layout *l, struct cfg *cfg,
			 struct cfg_section *s)
{
	struct cfg_key *k = cfg_get(s, "kind");
	struct region *r;
	size_t i;

	if (l->region_count == LAYOUT_MAX_REGIONS) {
		cfg_error(cfg, s->line, "too many [region] sections");
		return false;
	}
	r = &l->regions[l->region_count++];
	r->name = s->name;
	r->line = s->line;
	if (!*s->name) {
		cfg_error(cfg, s->line, "[region] needs a name: [region NAME]");
		return false;
	}
	if (!k) {
		cfg_error(cfg, s->line, "region '%s' needs 'kind'", s->name);
		return false;
	}
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (!strcmp(k->value, kinds[i].name)) {
			break;
		}
	}
	if (i == sizeof(kinds) / sizeof(kinds[0]) ||
	    kinds[i].kind == REGION_DATA) {
		cfg_error(cfg, k->line, "unknown region kind '%s'", k->value);
		return false;
	}
	r->kind = kinds[i].kind;
	if (!region_extent(l, cfg, s, r)) {
		return false;
	}
	k = cfg_get(s, "payload");
	if (k && !cfg_bool(cfg, k, &r->payload)) {
		return false;
	}
	if (r->payload && r->kind != REGION_ELF && r->kind != REGION_FIRMWARE &&
	    r->kind != REGION_BZIMAGE) {
		cfg_error(cfg, k->line,
			  "only elf, firmware and bzimage regions can be the "
			  "payload");
		return false;
	}
	if (r->kind == REGION_FIRMWARE) {
		r->entry = 0xFFFFFFF0; /* x86 reset vector (OVMF) */
	}
	if (!opt_u64(cfg, s, "entry", &r->entry)) {
		return false;
	}
	if (r->span < r->size) {
		r->span = r->size;
	}
	if (!aligned(r->gpa) || !aligned(r->size) || r->size == 0 ||
	    r->gpa + r->size < r->gpa) {
		cfg_error(cfg, s->line,
			  "region '%s' must be a non-empty 4 KiB-aligned range "
			  "(gpa 0x%llx size 0x%llx)",
			  s->name, (unsigned long long)r->gpa,
			  (unsigned long long)r->size);
		return false;
	}
	return true;
}

static bool parse_param(struct layout *l, struct cfg *cfg,
			struct cfg_section *s)
{
	uint64_t index = 0;
	struct param *p;

	if (l->param_count == LAYOUT_MAX_PARAMS) {
		cfg_error(cfg, s->line, "too many [param] sections");
		return false;
	}
	p = &l->params[l->param_count++];
	p->name = s->name;
	p->line = s->line;
	p->vp_count = p->env_info = p->memory_map = PARAM_NONE;
	if (!need_u64(cfg, s, "index", &index) ||
	    !need_u64(cfg, s, "size", &p->size) ||
	    !need_u64(cfg, s, "gpa", &p->gpa) ||
	    !opt_u32(cfg, s, "vp_count", &p->vp_count) ||
	    !opt_u32(cfg, s, "environment_info", &p->env_info) ||
	    !opt_u32(cfg, s, "memory_map", &p->memory_map)) {
		return false;
	}
	if (index > UINT32_MAX) {
		cfg_error(cfg, s->line, "index does not fit in 32 bits");
		return false;
	}
	p->index = (uint32_t)index;
	return true;
}

static bool parse_vmsa(struct layout *l, struct cfg *cfg, struct cfg_section *s)
{
	struct cfg_key *mode = cfg_get(s, "mode");
	struct cfg_key *entry = cfg_get(s, "entry");
	struct cfg_key *pt = cfg_get(s, "page_tables");
	struct vmsa_cfg *v = &l->vmsa;

	v->line = s->line;
	v->sev_features = 1;
	v->cbit = 51;
	if (!need_u64(cfg, s, "gpa", &v->gpa) ||
	    !opt_u64(cfg, s, "rsp", &v->rsp) ||
	    !opt_u64(cfg, s, "sev_features", &v->sev_features) ||
	    !opt_u32(cfg, s, "cbit", &v->cbit)) {
		return false;
	}
	if (!mode || (strcmp(mode->value, "protected32") &&
		      strcmp(mode->value, "long64"))) {
		cfg_error(cfg, mode ? mode->line : s->line,
			  "[vmsa] mode must be protected32 or long64");
		return false;
	}
	v->mode = strcmp(mode->value, "long64") ? ENTRY_PROTECTED32
						: ENTRY_LONG64;
	if (!entry) {
		cfg_error(cfg, s->line, "[vmsa] needs 'entry'");
		return false;
	}
	/* The entry is an ELF region's entry point, or a number. */
	for (size_t i = 0; i < l->region_count; i++) {
		if (!strcmp(l->regions[i].name, entry->value)) {
			if (l->regions[i].kind != REGION_ELF) {
				cfg_error(cfg, entry->line,
					  "entry region '%s' is not an elf "
					  "region",
					  entry->value);
				return false;
			}
			v->rip = l->regions[i].entry;
			goto have_rip;
		}
	}
	if (!cfg_u64(cfg, entry, &v->rip)) {
		return false;
	}
have_rip:
	if (pt) {
		for (size_t i = 0; i < l->region_count; i++) {
			if (!strcmp(l->regions[i].name, pt->value) &&
			    l->regions[i].kind == REGION_PAGE_TABLES) {
				v->page_tables = &l->regions[i];
			}
		}
		if (!v->page_tables) {
			cfg_error(
				cfg, pt->line,
				"page_tables '%s' is not a page-tables region",
				pt->value);
			return false;
		}
	}
	return true;
}

static bool parse_guest(struct layout *l, struct cfg *cfg,
			struct cfg_section *s)
{
	l->guest_line = s->line;
	return opt_u64(cfg, s, "secrets_gpa", &l->guest_secrets) &&
	       opt_u64(cfg, s, "cpuid_gpa", &l->guest_cpuid) &&
	       opt_u64(cfg, s, "caa_gpa", &l->guest_caa) &&
	       opt_u64(cfg, s, "boot_area_gpa", &l->guest_boot_area);
}

/*
 * A firmware payload's SEV metadata says where it wants its secrets and
 * CPUID copies and its calling area; [guest] may repeat but not contradict.
 */
static bool apply_firmware_meta(struct layout *l, struct cfg *cfg)
{
	for (size_t i = 0; i < l->region_count; i++) {
		const struct region *r = &l->regions[i];
		const uint64_t have[3] = {r->meta.secrets, r->meta.cpuid,
					  r->meta.caa};
		uint64_t *set[3] = {&l->guest_secrets, &l->guest_cpuid,
				    &l->guest_caa};
		static const char *const names[3] = {"secrets_gpa", "cpuid_gpa",
						     "caa_gpa"};

		if (!r->meta.found || !r->payload) {
			continue;
		}
		for (size_t k = 0; k < 3; k++) {
			if (have[k] == 0 && *set[k] == 0) {
				cfg_error(cfg, r->line,
					  "firmware '%s' metadata has no %s; "
					  "give it in [guest]",
					  r->name, names[k]);
				return false;
			}
			if (have[k] != 0 && *set[k] != 0 &&
			    *set[k] != have[k]) {
				cfg_error(cfg, l->guest_line,
					  "[guest] %s 0x%llx contradicts "
					  "firmware "
					  "'%s' metadata (0x%llx)",
					  names[k], (unsigned long long)*set[k],
					  r->name, (unsigned long long)have[k]);
				return false;
			}
			if (*set[k] == 0) {
				*set[k] = have[k];
				l->guest_line =
					l->guest_line ? l->guest_line : r->line;
			}
		}
	}
	return true;
}

static bool copy_path(struct cfg *cfg, struct cfg_key *k, char *out,
		      size_t size)
{
	if (strlen(k->value) >= size) {
		cfg_error(cfg, k->line, "%s: path too long", k->key);
		return false;
	}
	strcpy(out, k->value);
	return true;
}

static bool parse_id_block(struct layout *l, struct cfg *cfg,
			   struct cfg_section *s)
{
	struct id_block_cfg *c = &l->id_block;
	struct cfg_key *id = cfg_get(s, "id_key");
	struct cfg_key *author = cfg_get(s, "author_key");
	struct cfg_key *fam = cfg_get(s, "family_id");
	struct cfg_key *img = cfg_get(s, "image_id");

	c->enabled = true;
	c->line = s->line;
	if (!id) {
		cfg_error(cfg, s->line, "[id_block] needs 'id_key'");
		return false;
	}
	if (fam && !parse_hex(fam->value, c->family_id, 16)) {
		cfg_error(cfg, fam->line, "family_id must be 32 hex digits");
		return false;
	}
	if (img && !parse_hex(img->value, c->image_id, 16)) {
		cfg_error(cfg, img->line, "image_id must be 32 hex digits");
		return false;
	}
	return copy_path(cfg, id, c->id_key, sizeof(c->id_key)) &&
	       (!author ||
		copy_path(cfg, author, c->author_key, sizeof(c->author_key))) &&
	       opt_u32(cfg, s, "guest_svn", &c->guest_svn);
}

static struct cfg_section *single(struct cfg *cfg, const char *kind)
{
	struct cfg_section *found = NULL;

	for (size_t i = 0; i < cfg->section_count; i++) {
		struct cfg_section *s = &cfg->sections[i];

		if (strcmp(s->kind, kind) != 0) {
			continue;
		}
		if (found) {
			cfg_error(cfg, s->line,
				  "only one [%s] section allowed (first at "
				  "line %d)",
				  kind, found->line);
			return NULL;
		}
		found = s;
	}
	return found;
}

bool layout_load(struct layout *l, struct cfg *cfg)
{
	struct cfg_section *image, *vmsa, *guest, *id_block;
	bool ok = true;

	memset(l, 0, sizeof(*l));
	/* Unknown section kinds first: a typo must not be ignored. */
	for (size_t i = 0; i < cfg->section_count; i++) {
		const char *k = cfg->sections[i].kind;

		if (strcmp(k, "image") && strcmp(k, "memory") &&
		    strcmp(k, "region") && strcmp(k, "param") &&
		    strcmp(k, "vmsa") && strcmp(k, "guest") &&
		    strcmp(k, "id_block")) {
			cfg_error(cfg, cfg->sections[i].line,
				  "unknown section [%s]", k);
			return false;
		}
	}
	image = single(cfg, "image");
	vmsa = single(cfg, "vmsa");
	guest = single(cfg, "guest");
	id_block = single(cfg, "id_block");
	if (cfg->failed) {
		return false;
	}
	if (!image || !vmsa) {
		cfg_error(cfg, 0, "missing [%s] section",
			  image ? "vmsa" : "image");
		return false;
	}
	ok = parse_image(l, cfg, image);
	for (size_t i = 0; ok && i < cfg->section_count; i++) {
		struct cfg_section *s = &cfg->sections[i];

		if (!strcmp(s->kind, "memory")) {
			ok = parse_memory(l, cfg, s);
		} else if (!strcmp(s->kind, "region")) {
			ok = parse_region(l, cfg, s);
		} else if (!strcmp(s->kind, "param")) {
			ok = parse_param(l, cfg, s);
		}
	}
	ok = ok && parse_vmsa(l, cfg, vmsa);
	ok = ok && (!guest || parse_guest(l, cfg, guest));
	ok = ok && apply_firmware_meta(l, cfg);
	ok = ok && (!id_block || parse_id_block(l, cfg, id_block));
	for (size_t i = 0; ok && i < cfg->section_count; i++) {
		ok = cfg_check_unused(cfg, &cfg->sections[i]);
	}
	return ok && layout_check(l, cfg);
}

void layout_free(struct layout *l)
{
	for (size_t i = 0; i < l->region_count; i++) {
		free(l->regions[i].image);
		free(l->regions[i].owned_name);
		l->regions[i].image = NULL;
		l->regions[i].owned_name = NULL;
	}
}

const struct region *layout_find(const struct layout *l, enum region_kind kind)
{
	for (size_t i = 0; i < l->region_count; i++) {
		if (l->regions[i].kind == kind) {
			return &l->regions[i];
		}
	}
	return NULL;
}
