// SPDX-License-Identifier: MIT
/*
 * In-image tests of the x86-64 layer: exceptions and hooks, the exception
 * table behind guarded copies, live page-table edits, and the CPU features
 * snpemu depends on.
 */
#include "arch/cpu.h"
#include "arch/desc.h"

#include "lib/pt.h"
#include "lib/string.h"
#include "lib/test.h"

static volatile uint64_t hook_vector;
static volatile uint64_t hook_rip;

static bool skip_ud2(struct cpu_regs *regs)
{
	hook_vector = regs->vector;
	hook_rip = regs->rip;
	regs->rip += 2; /* ud2 is 0f 0b */
	return true;
}

static bool note_bp(struct cpu_regs *regs)
{
	hook_vector = regs->vector;
	return true; /* #BP is a trap: RIP already points past int3 */
}

TEST(arch, exception_hooks_resume)
{
	hook_vector = 99;
	arch_set_exception_hook(X86_VEC_UD, skip_ud2);
	__asm__ volatile("ud2");
	arch_set_exception_hook(X86_VEC_UD, NULL);
	EXPECT_EQ(hook_vector, X86_VEC_UD);
	EXPECT(hook_rip != 0);

	hook_vector = 99;
	arch_set_exception_hook(X86_VEC_BP, note_bp);
	__asm__ volatile("int3");
	arch_set_exception_hook(X86_VEC_BP, NULL);
	EXPECT_EQ(hook_vector, X86_VEC_BP);
}

TEST(arch, guarded_copy_survives_bad_addresses)
{
	static uint8_t src[32] = {1, 2, 3};
	uint8_t dst[32] = {0};

	EXPECT(arch_copy_guarded(dst, src, sizeof(dst)));
	EXPECT_EQ(dst[2], 3);
	/* Non-canonical: #GP, fixed up. */
	EXPECT(!arch_copy_guarded(
		dst, (const void *)UINT64_C(0x8000000000000000), 8));
	/* Canonical but unmapped (above the 4 GiB identity map): #PF. */
	EXPECT(!arch_copy_guarded(dst, (const void *)UINT64_C(0x100000000), 8));
	EXPECT(!arch_copy_guarded((void *)UINT64_C(0x100000000), src, 8));
}

TEST(arch, guarded_zero_survives_bad_addresses)
{
	uint8_t buf[29];

	memset(buf, 0xa5, sizeof(buf));
	/* Quadwords then the byte tail; the byte after stays. */
	EXPECT(arch_zero_guarded(buf + 1, 27));
	EXPECT_EQ(buf[0], 0xa5);
	EXPECT_EQ(buf[1], 0);
	EXPECT_EQ(buf[27], 0);
	EXPECT_EQ(buf[28], 0xa5);
	EXPECT(!arch_zero_guarded((void *)UINT64_C(0x8000000000000000), 8));
	EXPECT(!arch_zero_guarded((void *)UINT64_C(0x100000000), 16));
	/* A fault in the byte tail is fixed up too. */
	EXPECT(!arch_zero_guarded((void *)UINT64_C(0x100000000), 5));
}

/* A bump allocator over an identity-mapped static pool. */
static uint8_t pt_pool[8][4096] __attribute__((aligned(4096)));
static unsigned pt_pool_used;

static uint64_t pool_alloc(void *ctx)
{
	(void)ctx;
	if (pt_pool_used == 8) {
		return 0;
	}
	memset(pt_pool[pt_pool_used], 0, 4096);
	return (uint64_t)(uintptr_t)pt_pool[pt_pool_used++];
}

static void *ident(void *ctx, uint64_t pa)
{
	(void)ctx;
	return (void *)(uintptr_t)pa;
}

TEST(arch, live_page_table_alias)
{
	static uint8_t page[4096] __attribute__((aligned(4096)));
	const struct pt_ops ops = {pool_alloc, ident, NULL};
	const uint64_t alias = UINT64_C(0x10000000000); /* 1 TiB */
	uint64_t root = read_cr3() & PTE_ADDR_MASK;
	struct pt_walk w;
	uint32_t v = 0;

	ASSERT(pt_map(&ops, root, alias, (uint64_t)(uintptr_t)page, 4096,
		      PTE_W | PTE_NX, false) == PT_OK);
	ASSERT(pt_lookup(&ops, root, alias + 8, &w) == PT_OK);
	EXPECT_EQ(w.pa, (uint64_t)(uintptr_t)page + 8);
	*(volatile uint32_t *)(uintptr_t)(alias + 12) = 0xc0ffee;
	EXPECT_EQ(*(volatile uint32_t *)(page + 12), 0xc0ffee);

	EXPECT(pt_unmap(&ops, root, alias, 4096) == PT_OK);
	invlpg(alias);
	EXPECT(!arch_copy_guarded(&v, (const void *)(uintptr_t)alias, 4));
}

TEST(arch, cpu_offers_svm_with_npt)
{
	struct cpuid_regs ext = cpuid(0x80000001);
	struct cpuid_regs svm = cpuid(0x8000000a);
	struct cpuid_regs pa = cpuid(0x80000008);

	/* snpemu's whole design rests on these (docs/architecture.md §4). */
	ASSERT(ext.ecx & (1u << 2));
	EXPECT(svm.edx & (1u << 0));
	EXPECT((pa.eax & 0xff) >= 48);
}
