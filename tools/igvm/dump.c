/* SPDX-License-Identifier: MIT */
/*
 * Human-readable dump of a parsed IGVM file: one line per header, with the
 * decoded VMSA registers for VP_CONTEXT. Output is stable (tests grep it).
 */
#include <inttypes.h>

#include "igvm/host.h"
#include "igvm/vmsa.h"

static const char *platform_name(uint8_t t)
{
	static const char *const names[] = {
		"NATIVE", "VSM_ISOLATION", "SEV_SNP", "TDX",
		"SEV",    "SEV_ES",        "CCA"};

	return t <= IGVM_PLATFORM_TYPE_MAX ? names[t] : "?";
}

static const char *data_type_name(uint16_t t)
{
	static const char *const names[] = {"NORMAL", "SECRETS", "CPUID_DATA",
					    "CPUID_XF"};

	return t <= IGVM_PAGE_DATA_CPUID_XF ? names[t] : "?";
}

static void dump_vmsa(FILE *out, const struct igvm_file *f, uint32_t off)
{
	const uint8_t *page = igvm_file_page(f, off);
	struct igvm_vmsa_regs r;
	bool clean;

	if (!page) {
		return;
	}
	clean = igvm_vmsa_read(page, &r);
	fprintf(out,
		"    vmpl=%u rip=0x%" PRIx64 " rsp=0x%" PRIx64 " rsi=0x%" PRIx64
		" cr0=0x%" PRIx64 " cr3=0x%" PRIx64 " cr4=0x%" PRIx64
		" efer=0x%" PRIx64 " sev_features=0x%" PRIx64 "\n",
		r.vmpl, r.rip, r.rsp, r.rsi, r.cr0, r.cr3, r.cr4, r.efer,
		r.sev_features);
	fprintf(out,
		"    cs=%04x/%03x/%08x/%" PRIx64 " ds=%04x/%03x/%08x/%" PRIx64
		"%s\n",
		r.cs.selector, r.cs.attrib, r.cs.limit, r.cs.base,
		r.ds.selector, r.ds.attrib, r.ds.limit, r.ds.base,
		clean ? "" : " (other non-zero fields present)");
}

static void dump_one(FILE *out, const struct igvm_file *f,
		     const struct igvm_header *h)
{
	fprintf(out, "%06zx %-18s", h->offset, igvm_type_name(h->type));
	switch (h->type) {
	case IGVM_VHT_SUPPORTED_PLATFORM:
		fprintf(out,
			" mask=0x%x platform=%s highest_vtl=%u version=%u "
			"shared_gpa_boundary=0x%" PRIx64 "\n",
			h->u.platform.compatibility_mask,
			platform_name(h->u.platform.platform_type),
			h->u.platform.highest_vtl,
			h->u.platform.platform_version,
			h->u.platform.shared_gpa_boundary);
		break;
	case IGVM_VHT_GUEST_POLICY:
		fprintf(out, " mask=0x%x policy=0x%" PRIx64 "\n",
			h->u.policy.compatibility_mask, h->u.policy.policy);
		break;
	case IGVM_VHT_REQUIRED_MEMORY:
		fprintf(out,
			" mask=0x%x gpa=0x%" PRIx64 " size=0x%x flags=0x%x\n",
			h->u.required.compatibility_mask, h->u.required.gpa,
			h->u.required.number_of_bytes, h->u.required.flags);
		break;
	case IGVM_VHT_PARAMETER_AREA:
		fprintf(out, " index=%u size=0x%" PRIx64 " data=0x%x\n",
			h->u.area.parameter_area_index,
			h->u.area.number_of_bytes, h->u.area.file_offset);
		break;
	case IGVM_VHT_PARAMETER_INSERT:
		fprintf(out, " mask=0x%x gpa=0x%" PRIx64 " index=%u\n",
			h->u.insert.compatibility_mask, h->u.insert.gpa,
			h->u.insert.parameter_area_index);
		break;
	case IGVM_VHT_PAGE_DATA:
		fprintf(out, " mask=0x%x gpa=0x%" PRIx64 " type=%s flags=0x%x",
			h->u.page.compatibility_mask, h->u.page.gpa,
			data_type_name(h->u.page.data_type), h->u.page.flags);
		if (h->u.page.file_offset) {
			fprintf(out, " data=0x%x\n", h->u.page.file_offset);
		} else {
			fprintf(out, " data=zero\n");
		}
		break;
	case IGVM_VHT_VP_CONTEXT:
		fprintf(out, " mask=0x%x gpa=0x%" PRIx64 " vp=%u data=0x%x\n",
			h->u.vp.compatibility_mask, h->u.vp.gpa,
			h->u.vp.vp_index, h->u.vp.file_offset);
		dump_vmsa(out, f, h->u.vp.file_offset);
		break;
	case IGVM_VHT_SNP_ID_BLOCK:
		fprintf(out,
			" mask=0x%x author_key=%u guest_svn=%u "
			"id_key_algorithm=%u\n",
			h->u.id_block.compatibility_mask,
			h->u.id_block.author_key_enabled,
			h->u.id_block.guest_svn,
			h->u.id_block.id_key_algorithm);
		break;
	default:
		fprintf(out, " index=%u byte_offset=0x%x\n",
			h->u.param.parameter_area_index,
			h->u.param.byte_offset);
		break;
	}
}

uint32_t igvm_dump(FILE *out, const struct igvm_file *f)
{
	struct igvm_iter it;
	struct igvm_header h;
	uint32_t n = 0;

	fprintf(out,
		"IGVM v%u size=0x%zx headers=0x%x-0x%x count=%u "
		"checksum=0x%08x\n",
		f->version, f->len, f->hdr_off, f->hdr_end, f->header_count,
		(uint32_t)f->data[20] | (uint32_t)f->data[21] << 8 |
			(uint32_t)f->data[22] << 16 |
			(uint32_t)f->data[23] << 24);
	igvm_iter_init(&it, f, 0);
	while (igvm_iter_next(&it, &h)) {
		dump_one(out, f, &h);
		n++;
	}
	return n;
}
