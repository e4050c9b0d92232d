// SPDX-License-Identifier: MIT
/*
 * snpemu: an SEV-SNP machine as an L1 hypervisor under QEMU TCG.
 *
 * This is the skeleton: it boots from QEMU's PVH entry, sets up its console,
 * descriptor tables and exception handling, reports the CPU's SVM features,
 * runs its in-image tests and ends the VM through isa-debug-exit.
 *
 * Command line (QEMU -append), space-separated key=value words:
 *   test=<filter>     run in-image tests: "" or "*" = all, "suite",
 *                     "suite/name" (default: all)
 *   selftest=<mode>   misbehave on purpose, for the host harness's own tests:
 *                     hang | triple-fault | fault | panic | no-plan |
 *                     silent
 *   run=payload       instead of the in-image tests, run the first PVH
 *                     module (-initrd) as a VMPL0 test payload (payload.h)
 *   run=igvm          load the first PVH module as svsm.igvm and run it
 *   arg=<n>           a number handed to the payload in RDI
 *   mem=<n>[M|G]      guest RAM (default 1 GiB; parse_mem)
 *   policy=<n>        run=igvm: the guest policy for SNP_LAUNCH_START, as
 *                     QEMU's sev-snp-guest policy (default 0x30000)
 *   cpu=noxsave       run=igvm: a CPU without XSAVE in the CPUID page
 *                     (psp.h; for Linux guests under TCG)
 *   verdict=<n>       GHCB termination reason set whose code 0 means "pass"
 *                     (default 15, payload.h; tests/guest uses 4); any
 *                     other termination ends snpemu with a failure
 *   pci=<v:d>[,<v:d>] QEMU's PCI functions (vendor:device, 4 hex digits
 *                     each, at most 8) the guest sees on bus 0 through
 *                     configuration mechanism #1 (pci.c; default: none, an
 *                     empty bus)
 */
#include "arch/cpu.h"
#include "arch/desc.h"

#include "lib/console.h"
#include "lib/fw_cfg.h"
#include "lib/panic.h"
#include "lib/serial.h"
#include "lib/string.h"
#include "lib/test.h"

#include "emu.h"
#include "hostile.h"
#include "inject.h"
#include "iommu.h"
#include "irq.h"
#include "launch.h"
#include "loader.h"
#include "machine.h"
#include "payload.h"
#include "pci.h"
#include "psp.h"
#include "psp_certs.h"
#include "psp_faults.h"
#include "pvh.h"
#include "svm.h"

#define EMU_VERSION "0.1.0"
#define CMDLINE_MAX 512

static struct serial emu_com1;
static struct cpu_desc emu_desc;
static uint8_t emu_ist[IST_COUNT][RT_STACK_SIZE]
	__attribute__((aligned(RT_STACK_SIZE)));
static char emu_cmdline[CMDLINE_MAX];

/*
 * COM1 is snpemu's console and the guest's (ioport.c passes it through), so
 * the guest may have left it with the divisor latch selected (between the
 * writes of its UART setup, when a host act or a stop comes) or in
 * loopback: snpemu's lines, above all a stop report, went into the divisor
 * latch and the VM ended without a word (hostile seed 505251574348,
 * docs/snpemu.md §6). snpemu writes with both off and gives the guest its
 * settings back.
 */
static void emu_con_write(void *ctx, const char *buf, uint32_t len)
{
	serial_write_shared(ctx, buf, len);
}

void emu_exit(uint32_t status)
{
	/*
	 * isa-debug-exit: QEMU exits with (value << 1) | 1. If the device is
	 * missing, halting forever makes the harness report a hang rather
	 * than a pass.
	 */
	outl(EMU_DEBUG_EXIT_PORT, status);
	cpu_halt_forever();
}

__noreturn static void emu_panic_exit(uint32_t reason)
{
	emu_exit(EMU_EXIT_PANIC_BASE + reason);
	cpu_halt_forever();
}

/* The 8259 PICs are left unmasked by SeaBIOS: IRQ0 would arrive as #DF. */
static void pic_mask_all(void)
{
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

static void copy_cmdline(const struct pvh_start_info *si)
{
	const char *src = NULL;
	size_t i = 0;

	emu_cmdline[0] = '\0';
	if (si == NULL || si->cmdline_paddr == 0 ||
	    si->cmdline_paddr >= UINT64_C(1) << 32) {
		return;
	}
	src = (const char *)(uintptr_t)si->cmdline_paddr;
	for (i = 0; i < CMDLINE_MAX - 1 && src[i] != '\0'; i++) {
		emu_cmdline[i] = src[i];
	}
	emu_cmdline[i] = '\0';
}

/* Copies the value of "key=" from the command line into @out. */
static bool cmdline_get(const char *key, char *out, size_t out_len)
{
	size_t klen = strlen(key);
	const char *p = emu_cmdline;

	while (*p != '\0') {
		while (*p == ' ') {
			p++;
		}
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			size_t n = 0;

			p += klen + 1;
			while (p[n] != '\0' && p[n] != ' ' && n + 1 < out_len) {
				out[n] = p[n];
				n++;
			}
			out[n] = '\0';
			return true;
		}
		while (*p != '\0' && *p != ' ') {
			p++;
		}
	}
	return false;
}

static void print_banner(const struct pvh_start_info *si)
{
	struct cpuid_regs v = cpuid(0);
	struct cpuid_regs ext = cpuid(0x80000001);
	struct cpuid_regs pa = cpuid(0x80000008);
	char vendor[13];
	uint64_t ram = 0;

	memcpy(vendor, &v.ebx, 4);
	memcpy(vendor + 4, &v.edx, 4);
	memcpy(vendor + 8, &v.ecx, 4);
	vendor[12] = '\0';
	if (si != NULL && si->memmap_paddr != 0) {
		const struct pvh_memmap_entry *mm =
			(const void *)(uintptr_t)si->memmap_paddr;

		for (uint32_t i = 0; i < si->memmap_entries && i < 128; i++) {
			ram += mm[i].type == 1 ? mm[i].size : 0;
		}
	}
	con_printf(
		"snpemu %s: SEV-SNP machine (L1 hypervisor under nested "
		"SVM)\n",
		EMU_VERSION);
	con_printf("cpu: %s, phys-bits %u, RAM %llu MiB, cmdline '%s'\n",
		   vendor, pa.eax & 0xff, (unsigned long long)(ram >> 20),
		   emu_cmdline);
	if (ext.ecx & (1u << 2)) {
		struct cpuid_regs svm = cpuid(0x8000000a);

		con_printf(
			"svm: revision %u, %u ASIDs, NP %s, NRIPS %s, "
			"VGIF %s, decode assists %s\n",
			svm.eax & 0xff, svm.ebx,
			(svm.edx & (1u << 0)) ? "yes" : "no",
			(svm.edx & (1u << 3)) ? "yes" : "no",
			(svm.edx & (1u << 16)) ? "yes" : "no",
			(svm.edx & (1u << 7)) ? "yes" : "no");
	} else {
		con_printf("svm: not available (run QEMU with -cpu max)\n");
	}
}

/* Deliberate misbehaviour, so the host harness can prove it notices. */
static void run_selftest(const char *mode)
{
	if (strcmp(mode, "hang") == 0) {
		for (;;) {
			__asm__ volatile("hlt");
		}
	} else if (strcmp(mode, "triple-fault") == 0) {
		struct desc_ptr empty = {0, 0};

		__asm__ volatile("lidt %0; int3" : : "m"(empty));
	} else if (strcmp(mode, "fault") == 0) {
		/* Unmapped (above the 4 GiB identity map): #PF -> panic. */
		(void)*(volatile uint64_t *)(uintptr_t)UINT64_C(0x100000000);
	} else if (strcmp(mode, "panic") == 0) {
		panic("selftest: deliberate panic");
	} else if (strcmp(mode, "no-plan") == 0) {
		con_printf("ok 1 - selftest/no_plan\n");
		emu_exit(EMU_EXIT_OK);
	} else if (strcmp(mode, "silent") == 0) {
		emu_exit(EMU_EXIT_OK);
	}
	con_printf("unknown selftest mode '%s'\n", mode);
	emu_exit(EMU_EXIT_USAGE);
}

/* Decimal or 0x-hex; *end is where parsing stopped. */
static uint64_t parse_u64_end(const char *p, const char **end)
{
	uint64_t v = 0;
	unsigned base = 10;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; *p != '\0'; p++) {
		char c = (*p >= 'A' && *p <= 'F') ? (char)(*p - 'A' + 'a') : *p;
		unsigned d = (c >= '0' && c <= '9')   ? (unsigned)(c - '0')
			     : (c >= 'a' && c <= 'f') ? (unsigned)(c - 'a' + 10)
						      : 99;
		if (d >= base) {
			break;
		}
		v = v * base + d;
	}
	*end = p;
	return v;
}

static uint64_t parse_u64(const char *p)
{
	const char *end = NULL;

	return parse_u64_end(p, &end);
}

/* True if [pa, pa+size) is RAM in the PVH memory map. */
static bool range_is_ram(const struct pvh_start_info *si, uint64_t pa,
			 uint64_t size)
{
	const struct pvh_memmap_entry *mm =
		(const void *)(uintptr_t)si->memmap_paddr;

	for (uint32_t i = 0; i < si->memmap_entries && i < 128; i++) {
		if (mm[i].type == 1 && pa >= mm[i].addr &&
		    pa + size <= mm[i].addr + mm[i].size) {
			return true;
		}
	}
	return false;
}

/* The end of the RAM below 4 GiB in the PVH memory map (pci.c: memory
 * BARs lie above it). */
static uint64_t low_ram_top(const struct pvh_start_info *si)
{
	const struct pvh_memmap_entry *mm =
		(const void *)(uintptr_t)si->memmap_paddr;
	uint64_t top = 0;

	for (uint32_t i = 0; i < si->memmap_entries && i < 128; i++) {
		if (mm[i].type == 1 && mm[i].addr < (UINT64_C(1) << 32)) {
			top = MAX(top, mm[i].addr + mm[i].size);
		}
	}
	return top;
}

/*
 * mem=<n>[M|G]: guest RAM (MiB without a suffix), a multiple of 2 MiB in
 * [EMU_GUEST_RAM_MIN, EMU_GUEST_RAM_MAX]. It lives at host physical
 * 256 MiB up, below 4 GiB, so QEMU needs -m of 256 MiB + mem= + room for
 * the module (tools/run-image passes -m 2G: a 1 GiB guest).
 */
static void parse_mem(void)
{
	char arg[32];
	const char *end = NULL;
	uint64_t v = 0;

	if (!cmdline_get("mem", arg, sizeof(arg))) {
		return;
	}
	v = parse_u64_end(arg, &end);
	if (*end == 'G' && end[1] == '\0' && v <= 4) {
		v <<= 30;
	} else if ((*end == 'M' && end[1] == '\0') || *end == '\0') {
		v <<= 20;
	} else {
		v = 0;
	}
	if (arg[0] == '\0' || v < EMU_GUEST_RAM_MIN || v > EMU_GUEST_RAM_MAX ||
	    (v & (EMU_2M - 1))) {
		con_printf(
			"snpemu: mem=%s: need %llu MiB to %llu MiB in 2 MiB "
			"steps\n",
			arg, (unsigned long long)(EMU_GUEST_RAM_MIN >> 20),
			(unsigned long long)(EMU_GUEST_RAM_MAX >> 20));
		emu_exit(EMU_EXIT_USAGE);
	}
	emu_ram_size = v;
}

void emu_rmp_alloc(struct machine *m)
{
	rmp_init(&m->rmp,
		 (struct rmp_entry *)(uintptr_t)emu_alloc_pages(
			 (EMU_GUEST_PAGES * sizeof(struct rmp_entry) +
			  PAGE_SIZE - 1) >>
			 PAGE_SHIFT),
		 EMU_GUEST_PAGES);
}

/* run=payload|igvm: the SNP machine with a test payload or an IGVM file. */
static void run_machine(const struct pvh_start_info *si, bool igvm)
{
	struct machine *m = &emu_machine;
	const struct pvh_module *mod = NULL;
	char arg[32];
	char pci_arg[PCI_ALLOW_MAX * 10];
	uint64_t lo = EMU_POOL_HPA, hi = 0;
	uint64_t policy = LAUNCH_POLICY_QEMU_DEFAULT;

	parse_mem();
	hi = EMU_GUEST_RAM_HPA + EMU_GUEST_RAM_SIZE;
	if (si == NULL || si->nr_modules < 1 || si->modlist_paddr == 0 ||
	    si->memmap_paddr == 0) {
		con_printf("snpemu: run= needs a module (-initrd)\n");
		emu_exit(EMU_EXIT_USAGE);
	}
	mod = (const void *)(uintptr_t)si->modlist_paddr;
	if (!range_is_ram(si, lo, hi - lo) ||
	    (mod->paddr < hi && mod->paddr + mod->size > lo) ||
	    mod->paddr + mod->size > (UINT64_C(1) << 32)) {
		con_printf(
			"snpemu: guest RAM 0x%llx-0x%llx is not free RAM "
			"(need -m %lluM or more, or a smaller mem=)\n",
			(unsigned long long)lo, (unsigned long long)hi,
			(unsigned long long)((hi >> 20) + 64));
		emu_exit(EMU_EXIT_USAGE);
	}
	m->verdict_set = EMU_TERM_SET_VERDICT;
	if (cmdline_get("verdict", arg, sizeof(arg))) {
		m->verdict_set = (uint32_t)parse_u64(arg);
	}
	/* QEMU's sev-snp-guest policy property (docs/igvm.md §6). */
	if (cmdline_get("policy", arg, sizeof(arg))) {
		const char *end = NULL;

		policy = parse_u64_end(arg, &end);
		if (arg[0] == '\0' || *end != '\0') {
			con_printf("snpemu: policy=%s is not a number\n", arg);
			emu_exit(EMU_EXIT_USAGE);
		}
	}
	if (cmdline_get("cpu", arg, sizeof(arg)) && !strcmp(arg, "noxsave")) {
		psp_cpuid_no_xsave = true;
	}
	if (!cmdline_get("arg", arg, sizeof(arg))) {
		arg[0] = '\0';
	}
	(void)psp_certs_load();
	psp_greq_stats = cmdline_get("greq_stats", arg, sizeof(arg)) &&
			 strcmp(arg, "1") == 0;
	emu_host_ri =
		cmdline_get("ri", arg, sizeof(arg)) && strcmp(arg, "1") == 0;
	if (cmdline_get("hostile", arg, sizeof(arg)) && !hostile_config(arg)) {
		con_printf("snpemu: bad hostile=%s\n", arg);
		emu_exit(EMU_EXIT_USAGE);
	}
	if (cmdline_get("inject", arg, sizeof(arg)) && !inject_config(arg)) {
		con_printf("snpemu: bad inject=%s\n", arg);
		emu_exit(EMU_EXIT_USAGE);
	}
	if (cmdline_get("psp_fault", arg, sizeof(arg)) &&
	    !psp_fault_config(arg)) {
		con_printf("snpemu: bad psp_fault=%s\n", arg);
		emu_exit(EMU_EXIT_USAGE);
	}
	if (cmdline_get("pci", pci_arg, sizeof(pci_arg)) &&
	    !pci_config(pci_arg)) {
		con_printf("snpemu: bad pci=%s (vendor:device[,...], hex)\n",
			   pci_arg);
		emu_exit(EMU_EXIT_USAGE);
	}
	/* One guest vCPU per CPU QEMU was given (-smp N); they take turns
	 * on the L1 CPU snpemu runs on (machine.c). */
	m->nr_vcpus = fw_cfg_nb_cpus();
	if (m->nr_vcpus < 1 || m->nr_vcpus > EMU_MAX_VCPUS) {
		con_printf("snpemu: -smp %u: 1 to %u vCPUs\n", m->nr_vcpus,
			   (unsigned)EMU_MAX_VCPUS);
		emu_exit(EMU_EXIT_USAGE);
	}
	if (m->nr_vcpus > 1) {
		con_printf("snpemu: %u vCPUs\n", m->nr_vcpus);
	}
	vmpl_init(m);
	emu_rmp_alloc(m);
	/*
	 * Guest RAM is not cleared here: QEMU's RAM starts zeroed, the range
	 * was checked above to be plain RAM that neither the firmware
	 * reserved nor the module uses, and touching all of it costs about
	 * 7 s per GiB under TCG (measured).
	 */
	con_printf("snpemu: guest RAM %llu MiB\n",
		   (unsigned long long)(EMU_GUEST_RAM_SIZE >> 20));
	if (!svm_init(m)) {
		emu_exit(EMU_EXIT_USAGE);
	}
	pci_init(low_ram_top(si));
	irq_init(m);
	if (igvm ? loader_igvm(m, (const void *)(uintptr_t)mod->paddr,
			       mod->size, policy)
		 : loader_payload(m, (const void *)(uintptr_t)mod->paddr,
				  mod->size, parse_u64(arg))) {
		emu_exit(EMU_EXIT_USAGE);
	}
	/* Device DMA follows the RMP from here on (no IOMMU: none). */
	(void)iommu_setup_domain(m);
	stats_milestone(m, "launched");
	emu_run(m);
}

void emu_main(uint32_t start_info_pa);

void emu_main(uint32_t start_info_pa)
{
	const struct pvh_start_info *si =
		(const void *)(uintptr_t)start_info_pa;
	uint64_t ist_tops[IST_COUNT];
	char arg[128];
	int failed = 0;

	emu_machine.tsc_boot = rdtsc();
	serial_init(&emu_com1, SERIAL_COM1, &serial_io_pio, 115200, true);
	con_set_sink(emu_con_write, &emu_com1);
	panic_set_exit(emu_panic_exit);
	pic_mask_all();
	for (int i = 0; i < IST_COUNT; i++) {
		ist_tops[i] = (uint64_t)(uintptr_t)&emu_ist[i][RT_STACK_SIZE];
	}
	arch_desc_init_cpu(&emu_desc, ist_tops);
	arch_idt_load();

	if (si == NULL || si->magic != PVH_START_MAGIC) {
		si = NULL;
	}
	copy_cmdline(si);
	print_banner(si);
	/* Before anything else: with an IOMMU, no device DMA from now on
	 * until a device is attached to the guest's DMA domain. */
	if (si != NULL) {
		(void)iommu_probe(si->rsdp_paddr);
	}

	if (cmdline_get("selftest", arg, sizeof(arg))) {
		run_selftest(arg);
	}
	if (cmdline_get("run", arg, sizeof(arg))) {
		if (strcmp(arg, "payload") != 0 && strcmp(arg, "igvm") != 0) {
			con_printf("snpemu: unknown run=%s\n", arg);
			emu_exit(EMU_EXIT_USAGE);
		}
		run_machine(si, strcmp(arg, "igvm") == 0);
	}
	if (!cmdline_get("test", arg, sizeof(arg))) {
		arg[0] = '\0';
	}
	failed = test_run(arg);
	if (failed < 0) {
		emu_exit(EMU_EXIT_USAGE);
	}
	con_printf("snpemu: %d test(s) failed\n", failed);
	emu_exit(failed == 0 ? EMU_EXIT_OK : EMU_EXIT_FAIL);
}
