// SPDX-License-Identifier: MIT
/*
 * guest_mem: the one gateway to guest memory (docs/style.md §3).
 *
 * Policy lives here (range, ownership, overflow); mechanism (mapping and
 * the fault-tolerant copy) sits behind plat_*, so this file is compiled
 * unchanged into the SVSM image and into the hosted unit tests.
 */
#include "svsm/guest_mem.h"

#include "svsm/deposit_pool.h"
#include "svsm/platform.h"
#include "svsm/vcpu.h"

#include "svsm/abi/snp.h"
#include "svsm/abi/vmsa.h"

svsm_err_t guest_mem_check(gpa_t g, uint64_t len)
{
	uint64_t end = 0;

	/*
	 * A wrapping range would look tiny to the overlap checks below and
	 * could then reach SVSM memory at low addresses.
	 */
	if (len == 0 || !range_end(gpa_val(g), len, &end)) {
		return SVSM_E_ADDR;
	}
	if (!plat_is_guest_ram(g, len)) {
		return SVSM_E_ADDR;
	}
	/*
	 * The guest must never make the SVSM read or write its own memory
	 * (image, stacks, keys) or pages the guest deposited with it.
	 */
	if (plat_is_svsm_owned(g, len) || deposit_pool_overlaps(g, len)) {
		return SVSM_E_ADDR;
	}
	return SVSM_OK;
}

svsm_err_t guest_mem_check_page(gpa_t g, uint64_t len)
{
	svsm_err_t err = guest_mem_check(g, len);

	if (err != SVSM_OK) {
		return err;
	}
	/*
	 * A guest that could rescind, deposit or re-register a VMSA or CAA
	 * page could corrupt a vCPU's state behind the SVSM's back.
	 */
	if (vcpu_range_is_vmsa_or_caa(g, len)) {
		return SVSM_E_ADDR;
	}
	return SVSM_OK;
}

enum snp_rc guest_mem_revoke(gpa_t g, enum snp_page_size size)
{
	enum snp_rc first_rc = SNP_RC_SUCCESS;

	/*
	 * Every VMPL below the SVSM loses all access: the guest may run at
	 * any of VMPL1..3 and the SVSM does not rely on which one.
	 */
	for (uint32_t vmpl = 1; vmpl < SNP_VMPL_COUNT; vmpl++) {
		enum snp_rc rc = plat_rmpadjust(g, size, vmpl);

		if (rc != SNP_RC_SUCCESS && first_rc == SNP_RC_SUCCESS) {
			first_rc = rc;
		}
	}
	return first_rc;
}

enum snp_rc guest_mem_grant(gpa_t g, enum snp_page_size size,
			    uint8_t guest_vmpl)
{
	return plat_rmpadjust(g, size, guest_vmpl | RMPADJ_RWX);
}

/*
 * Length of the piece of [g, g + len) that starts at g and stays inside
 * one 2M region (the unit plat_map_guest() accepts).
 */
static uint64_t chunk_len(uint64_t g, uint64_t len)
{
	uint64_t room = PAGE_SIZE_2M - (g & (PAGE_SIZE_2M - 1));

	return len < room ? len : room;
}

/* ZERO_GUEST: no source; plat_zero_guarded() stores eight bytes a time. */
enum copy_dir { TO_SVSM, TO_GUEST, ZERO_GUEST };

static svsm_err_t copy(uint64_t g, uint8_t *svsm, const uint8_t *src,
		       uint64_t len, enum copy_dir dir)
{
	while (len != 0) {
		uint64_t n = chunk_len(g, len);
		uint64_t page = g & PAGE_MASK;
		uint64_t map_len = ALIGN_UP((g - page) + n, PAGE_SIZE);
		uint8_t *va = plat_map_guest(gpa(page), map_len);
		bool ok = false;

		if (va == NULL) {
			return SVSM_E_ADDR;
		}
		/*
		 * SAFETY: va maps exactly [page, page + map_len), which the
		 * caller checked is guest RAM and not SVSM memory; the
		 * guarded copy turns a fault (unvalidated or remapped page)
		 * into an error instead of a panic (G5).
		 */
		if (dir == TO_SVSM) {
			ok = plat_copy_guarded(svsm, va + (g - page), n);
		} else if (dir == ZERO_GUEST) {
			ok = plat_zero_guarded(va + (g - page), n);
		} else {
			ok = plat_copy_guarded(va + (g - page), src, n);
		}
		plat_unmap_guest(va, map_len);
		if (!ok) {
			return SVSM_E_FAULT;
		}
		g += n;
		len -= n;
		if (svsm != NULL) {
			svsm += n;
		}
		if (src != NULL) {
			src += n;
		}
	}
	return SVSM_OK;
}

svsm_err_t guest_mem_read(void *dst, gpa_t src, size_t len)
{
	svsm_err_t err = guest_mem_check(src, len);

	if (err != SVSM_OK) {
		return err;
	}
	return copy(gpa_val(src), dst, NULL, len, TO_SVSM);
}

/*
 * Writes also stay off registered guest VMSAs: the guest may read them
 * (CREATE_VCPU reads one through guest_mem) but has no write access, and
 * a write on its behalf - e.g. a page list's `next` field placed at
 * VMSA + 0xc8, right on the VMPL byte - would let it edit a vCPU's state.
 */
static svsm_err_t check_write(gpa_t dst, uint64_t len)
{
	svsm_err_t err = guest_mem_check(dst, len);

	if (err == SVSM_OK && vcpu_range_is_vmsa(dst, len)) {
		err = SVSM_E_ADDR;
	}
	return err;
}

svsm_err_t guest_mem_check_write(gpa_t dst, uint64_t len)
{
	return check_write(dst, len);
}

svsm_err_t guest_mem_write(gpa_t dst, const void *src, size_t len)
{
	svsm_err_t err = check_write(dst, len);

	if (err != SVSM_OK) {
		return err;
	}
	return copy(gpa_val(dst), NULL, src, len, TO_GUEST);
}

svsm_err_t guest_mem_zero(gpa_t dst, uint64_t len)
{
	svsm_err_t err = check_write(dst, len);
	uint64_t g = gpa_val(dst);

	if (err != SVSM_OK) {
		return err;
	}
	/* Up to 2 MiB per mapping: a validated 2 MiB page in one go. */
	return copy(g, NULL, NULL, len, ZERO_GUEST);
}

/* The guest-memory address of field @off of the registered VMSA @vmsa. */
static svsm_err_t vmsa_field(gpa_t vmsa, size_t off, uint64_t *at)
{
	svsm_err_t err = guest_mem_check(vmsa, PAGE_SIZE);

	/* Only a VMSA the SVSM registered: never a page the guest chose. */
	if (err == SVSM_OK && (!IS_ALIGNED(gpa_val(vmsa), PAGE_SIZE) ||
			       !vcpu_range_is_vmsa(vmsa, PAGE_SIZE))) {
		err = SVSM_E_ADDR;
	}
	*at = gpa_val(vmsa) + off;
	return err;
}

svsm_err_t guest_mem_vmsa_svme(gpa_t vmsa, bool on, bool *was_on)
{
	uint64_t at = 0;
	uint64_t efer = 0;
	svsm_err_t err = vmsa_field(vmsa, offsetof(struct snp_vmsa, efer), &at);

	if (err == SVSM_OK) {
		err = copy(at, (uint8_t *)&efer, NULL, sizeof(efer), TO_SVSM);
	}
	/*
	 * Read-modify-write, not atomic: the page is not guest-writable (a
	 * VMSA) and plat_vmsa_in_use() said no CPU runs it; only a CPU
	 * running it could write EFER back, and that is what is refused.
	 */
	if (err == SVSM_OK) {
		*was_on = (efer & VMSA_EFER_SVME) != 0;
		efer = on ? efer | VMSA_EFER_SVME : efer & ~VMSA_EFER_SVME;
		err = copy(at, NULL, (const uint8_t *)&efer, sizeof(efer),
			   TO_GUEST);
	}
	return err;
}

svsm_err_t guest_mem_vmsa_exit_code(gpa_t vmsa, bool clear, uint64_t *code)
{
	uint64_t at = 0;
	uint64_t zero = 0;
	svsm_err_t err = vmsa_field(
		vmsa, offsetof(struct snp_vmsa, guest_exit_code), &at);

	if (err == SVSM_OK) {
		err = copy(at, (uint8_t *)code, NULL, sizeof(*code), TO_SVSM);
	}
	if (err == SVSM_OK && clear) {
		err = copy(at, NULL, (const uint8_t *)&zero, sizeof(zero),
			   TO_GUEST);
	}
	return err;
}
