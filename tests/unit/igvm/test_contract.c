/* SPDX-License-Identifier: MIT */
/*
 * The boot-page contract between svsm-igvm and the SVSM: both use the one
 * definition in include/svsm/abi/boot_params.h, and the page our builder
 * writes into the repo's svsm.igvm must pass the SVSM's own boot-page
 * validator, bp_check() (src/boot/params.c).
 *
 * usage: unit-igvm-contract SVSM_IGVM
 */
#include "svsm/abi/boot_params.h"

#include "../tap.h"
#include "boot/params.h"
#include "igvm/host.h"
#include "igvm/vmsa.h"

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
	/* The VMSA names the boot page (RSI), as boot_params.h says. */
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
