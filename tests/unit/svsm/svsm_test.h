/* SPDX-License-Identifier: MIT */
/*
 * Shared fixture for the SVSM core tests: a BSP (APIC 0) and an AP
 * (APIC 1) at guest VMPL2; the BSP has its CAA at BSP_CAA and its guest
 * VMSA at BSP_VMSA; guest RAM [0, 4 MiB) is validated with RWX for VMPL2
 * (as handed over at boot), [4 MiB, 8 MiB) is not validated, and the SVSM
 * owns [8 MiB, 8 MiB + 256K).
 */
#pragma once

#include "svsm/deposit_pool.h"
#include "svsm/request.h"
#include "svsm/vcpu.h"

#include "svsm/abi/snp.h"
#include "svsm/abi/svsm_call.h"
#include "svsm/abi/vmsa.h"

#include "fakes/fake_platform.h"
#include "tap.h"

#define G_VMPL 2
#define BSP_CAA UINT64_C(0x1000)
#define BSP_VMSA UINT64_C(0x2000)
#define AP_CAA UINT64_C(0x3000)
#define FREE_4K UINT64_C(0x10000)   /* validated guest pages from here */
#define UNVAL_2M UINT64_C(0x400000) /* not validated, 2M aligned */
#define FEAT_BASE (SEV_FEAT_SNP_ACTIVE)

static struct svsm_vcpu *bsp;
static struct svsm_vcpu *ap;
static struct svsm_req last;

static inline void setup(void)
{
	fake_reset();
	vcpu_reset();
	deposit_pool_reset();
	fake_set_valid(0, UINT64_C(4) << 20, G_VMPL);
	fake_set_valid(FAKE_SVSM_BASE, FAKE_SVSM_SIZE, 0);
	bsp = vcpu_add(0, G_VMPL, FEAT_BASE);
	ap = vcpu_add(1, G_VMPL, FEAT_BASE);
	if (bsp == NULL || ap == NULL) {
		abort();
	}
	bsp->caa = gpa(BSP_CAA);
	bsp->guest_vmsa = gpa(BSP_VMSA);
	if (vcpu_vmsa_register(gpa(BSP_VMSA), bsp) != SVSM_OK) {
		abort();
	}
	fake_rmp(BSP_VMSA)->vmsa = true;
	fake_rmp(BSP_VMSA)->perms[G_VMPL] = RMPADJ_READ >> 8;
}

/* Issue a call as @caller and remember the request for its outputs. */
static inline uint64_t call_as(struct svsm_vcpu *caller, uint32_t proto,
			       uint32_t id, uint64_t rcx, uint64_t rdx,
			       uint64_t r8)
{
	memset(&last, 0, sizeof(last));
	last.protocol = proto;
	last.call_id = id;
	last.rcx = rcx;
	last.rdx = rdx;
	last.r8 = r8;
	last.caller = caller;
	return svsm_dispatch(&last);
}

static inline uint64_t core(uint32_t id, uint64_t rcx, uint64_t rdx,
			    uint64_t r8)
{
	return call_as(bsp, SVSM_PROTO_CORE, id, rcx, rdx, r8);
}

static inline void put64(uint64_t g, uint64_t v)
{
	memcpy(fake_mem(g), &v, 8);
}

static inline uint64_t get64(uint64_t g)
{
	uint64_t v = 0;

	memcpy(&v, fake_mem(g), 8);
	return v;
}

static inline uint16_t get16(uint64_t g)
{
	uint16_t v = 0;

	memcpy(&v, fake_mem(g), 2);
	return v;
}

/* A guest VMSA page at @at as CREATE_VCPU reads it. */
static inline void make_vmsa(uint64_t at, uint8_t vmpl, uint64_t efer,
			     uint64_t features)
{
	memset(fake_mem(at), 0, 4096);
	*fake_mem(at + offsetof(struct snp_vmsa, vmpl)) = vmpl;
	put64(at + offsetof(struct snp_vmsa, efer), efer);
	put64(at + offsetof(struct snp_vmsa, sev_features), features);
}

/* A page list (PVALIDATE/DEPOSIT/WITHDRAW format) at @at. */
static inline void put_list(uint64_t at, const uint64_t *e, uint16_t n,
			    uint16_t entries, uint16_t next)
{
	struct svsm_pvalidate_hdr h = {entries, next, 0};

	memcpy(fake_mem(at), &h, sizeof(h));
	for (uint16_t i = 0; i < n; i++) {
		put64(at + 8 + 8u * i, e[i]);
	}
}

/* A list in the BSP's CAA buffer (where Linux puts it). */
#define LIST (BSP_CAA + 8)

/* The `next` field of LIST as the SVSM left it (its progress report). */
static inline uint16_t next_index(void)
{
	return get16(LIST + 2);
}

static inline uint64_t pv(uint64_t g, uint32_t size, bool validate)
{
	return g | size | (validate ? 4u : 0u);
}

static inline bool all_bytes(uint64_t g, uint64_t len, uint8_t v)
{
	for (uint64_t i = 0; i < len; i++) {
		if (*fake_mem(g + i) != v) {
			return false;
		}
	}
	return true;
}
