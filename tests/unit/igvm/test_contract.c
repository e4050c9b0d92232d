/* SPDX-License-Identifier: MIT */
/*
 * The boot-page contract between svsm-igvm and the SVSM: the two struct
 * definitions (tools/igvm/include/igvm/svsm_layout.h and the SVSM's
 * src/include/svsm_boot/boot_params.h) must agree byte for byte, and the
 * page our builder writes into the repo's svsm.igvm must pass the SVSM's own
 * boot-page validator, bp_check() (src/boot/params.c).
 *
 * usage: unit-igvm-contract SVSM_IGVM
 */
#include "../tap.h"
#include "boot/params.h"
#include "igvm/host.h"
#include "igvm/svsm_layout.h"
#include "igvm/vmsa.h"

#define SAME(field)                                                          \
	_Static_assert(                                                      \
		offsetof(struct svsm_boot_params, field) ==                  \
				offsetof(struct svsm_layout_boot_params,     \
					 field) &&                           \
			sizeof(((struct svsm_boot_params *)0)->field) ==     \
				sizeof(((struct svsm_layout_boot_params *)0) \
					       ->field),                     \
		"boot page field " #field " differs")

SAME(magic);
SAME(version);
SAME(svsm_base);
SAME(svsm_size);
SAME(pool_base);
SAME(pool_size);
SAME(secrets_gpa);
SAME(cpuid_gpa);
SAME(memmap_gpa);
SAME(memmap_size);
SAME(general_gpa);
SAME(vp_count_offset);
SAME(payload_mode);
SAME(payload_base);
SAME(payload_size);
SAME(payload_entry);
SAME(guest_secrets_gpa);
SAME(guest_cpuid_gpa);
SAME(guest_caa_gpa);
_Static_assert(sizeof(struct svsm_boot_params) ==
		       sizeof(struct svsm_layout_boot_params),
	       "boot page size");
_Static_assert(SVSM_BOOT_PARAMS_MAGIC == SVSM_LAYOUT_MAGIC, "magic");
_Static_assert(SVSM_BOOT_PARAMS_VERSION == SVSM_LAYOUT_VERSION, "version");
_Static_assert((int)SVSM_PAYLOAD_PROT32 == (int)SVSM_LAYOUT_PAYLOAD_PROT32 &&
		       (int)SVSM_PAYLOAD_RESET ==
			       (int)SVSM_LAYOUT_PAYLOAD_RESET,
	       "payload modes");

static const char *image_path;

TAP_CASE(repo_image_boot_page_passes_bp_check)
{
	struct igvm_file *f = calloc(1, sizeof(*f));
	struct igvm_vmsa_regs regs = {0};
	struct svsm_boot_params bp;
	const uint8_t *page = NULL;
	struct igvm_header h;
	struct igvm_iter it;
	uint8_t *data = NULL;
	size_t len = 0;
	uint64_t rsi = 0;

	CHECK_TRUE(f && igvm_host_read_file(image_path, &data, &len));
	if (!f || !data) {
		free(f);
		return;
	}
	CHECK_EQ(igvm_parse(data, len, f), IGVM_OK);
	/* The VMSA names the boot page (RSI), as svsm_layout.h says. */
	igvm_iter_init(&it, f, 1);
	while (igvm_iter_next(&it, &h)) {
		if (h.type == IGVM_VHT_VP_CONTEXT) {
			igvm_vmsa_read(igvm_file_page(f, h.u.vp.file_offset),
				       &regs);
			rsi = regs.rsi;
		}
	}
	igvm_iter_init(&it, f, 1);
	while (igvm_iter_next(&it, &h)) {
		if (h.type == IGVM_VHT_PAGE_DATA && h.u.page.gpa == rsi) {
			page = igvm_file_page(f, h.u.page.file_offset);
		}
	}
	CHECK_TRUE(rsi != 0 && page != NULL);
	if (page) {
		memcpy(&bp, page, sizeof(bp));
		CHECK_EQ(bp_check(&bp), BP_OK);
		/* The SVSM must be entered where its region says. */
		CHECK_TRUE(regs.rip >= bp.svsm_base &&
			   regs.rip < bp.svsm_base + bp.svsm_size);
		CHECK_EQ(regs.vmpl, 0);
	}
	free(data);
	free(f);
}

int main(int argc, char **argv)
{
	static const struct tap_case cases[] = {
		TAP_ENTRY(repo_image_boot_page_passes_bp_check),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s SVSM_IGVM\n", argv[0]);
		return 2;
	}
	image_path = argv[1];
	return tap_run(cases, 1);
}

bool tap_failed;
