# SPDX-License-Identifier: MIT
#
# Checks the guest's /init runs in svsm.mode=test, one shell function each:
# check_NAME prints nothing on success, or one line saying why it failed,
# and returns non-zero. checks_run turns them into TAP ("ok N - NAME").
# The host harness (tests/linux/run-linux.py) says which it expects to
# pass. Kernel strings are quoted from linux-source-7.2 (7.2.13), file named
# next to each check.

# The kernel log, read once per check: the console may be quiet.
klog() { dmesg 2>/dev/null; }

# Userspace runs and the kernel is ours.
check_init() {
	grep -q 'svsm' /proc/version || { echo "not the svsm kernel: $(cat /proc/version)"; return 1; }
}

# The kernel log has no warning or bug splat (include/asm-generic/bug.h
# "WARNING:", "BUG:", and the stack dump's "Call Trace:"): the console is
# quiet, so the harness would not see them.
check_klog() {
	bad="$(klog | grep -m1 -e 'WARNING:' -e 'BUG:' -e 'Call Trace:' -e 'Oops')"
	[ -z "$bad" ] || { echo "dmesg: $bad"; return 1; }
}

# The pseudo file systems /init mounted are there.
check_mounts() {
	for fs in proc sysfs devtmpfs configfs securityfs; do
		grep -q " $fs " /proc/mounts || { echo "$fs not mounted"; return 1; }
	done
}

# SEV-SNP is active: arch/x86/mm/mem_encrypt.c prints the features, and
# arch/x86/coco/sev/core.c (sev_sysfs_init) creates
# /sys/devices/system/cpu/sev only when CC_ATTR_GUEST_SEV_SNP is set.
check_snp() {
	klog | grep -q 'Memory Encryption Features active: AMD SEV SEV-ES SEV-SNP' ||
		{ echo "no 'Memory Encryption Features active: AMD SEV SEV-ES SEV-SNP' in dmesg"; return 1; }
	[ -r /sys/devices/system/cpu/sev/vmpl ] || { echo "no /sys/devices/system/cpu/sev/vmpl"; return 1; }
}

# Running at VMPL2 under an SVSM. The kernel takes its VMPL from the
# secrets page's svsm_guest_vmpl and terminates the guest
# (GHCB_TERM_NO_SVSM / GHCB_TERM_SVSM_VMPL0) when an SVSM is missing or
# claims VMPL0 (arch/x86/boot/startup/sev-shared.c), so a non-zero VMPL is
# proof that the SVSM was detected; report_snp_info() in
# arch/x86/coco/sev/core.c prints "SNP running at VMPL%u.".
check_vmpl2() {
	v="$(cat /sys/devices/system/cpu/sev/vmpl 2>/dev/null)"
	[ "$v" = 2 ] || { echo "sysfs vmpl is '$v', want 2"; return 1; }
	klog | grep -q 'SNP running at VMPL2\.' || { echo "no 'SNP running at VMPL2.' in dmesg"; return 1; }
}

# sev-guest probed: it made its request/response pages shared at probe
# (snp_msg_alloc, arch/x86/coco/sev/core.c) and registered /dev/sev-guest.
check_sev_guest() {
	[ -c /dev/sev-guest ] || { echo "no /dev/sev-guest"; return 1; }
}

# configfs-tsm is there (drivers/virt/coco/guest/report.c).
check_tsm() {
	[ -d /sys/kernel/config/tsm/report ] || { echo "no /sys/kernel/config/tsm/report"; return 1; }
}

# A shared-memory conversion round trip that userspace can trigger: a
# configfs-tsm report with no service provider goes to get_ext_report()
# (drivers/virt/coco/sev-guest/sev-guest.c), which makes a 16 KiB
# certificate buffer shared (set_memory_decrypted), sends an extended guest
# request, and makes it private again (set_memory_encrypted), leaking the
# pages with "failed to restore encryption mask" if that fails.
check_shared_rt() {
	r=/sys/kernel/config/tsm/report/svsm-rt
	mkdir "$r" || { echo "mkdir $r failed"; return 1; }
	# The report's VMPL may not be below the caller's: privlevel starts at
	# 0, privlevel_floor is the kernel's VMPCK id, which is its VMPL
	# (drivers/virt/coco/guest/report.c, sev-guest.c sev_guest_probe).
	cat "$r/privlevel_floor" >"$r/privlevel"
	head -c 64 /dev/urandom >"$r/inblob"
	n="$(cat "$r/outblob" | wc -c)"
	p="$(cat "$r/provider" 2>/dev/null)"
	rmdir "$r"
	[ "$n" -gt 0 ] || { echo "empty outblob"; return 1; }
	[ "$p" = sev_guest ] || { echo "provider '$p', want sev_guest"; return 1; }
	if klog | grep -q -e 'failed to mark page shared' -e 'failed to restore encryption mask'; then
		echo "page state change failed (dmesg)"
		return 1
	fi
}

# An attestation report from the SVSM (SVSM attestation protocol,
# ATTEST_SERVICES): a configfs-tsm report with service_provider "svsm"
# goes to sev_svsm_report_new() (drivers/virt/coco/sev-guest/sev-guest.c),
# which returns the SNP report in outblob and the services manifest in
# manifestblob. The host side verifies them (tools/svsm-verify) from the
# hex dumps printed here as "# svsm-report nonce|report|manifest HEX"
# comment lines, 32 bytes each, in order.
check_attest_svsm() {
	r=/sys/kernel/config/tsm/report/svsm-attest
	mkdir "$r" || { echo "mkdir $r failed"; return 1; }
	echo svsm >"$r/service_provider" || { rmdir "$r"; echo "no service_provider svsm"; return 1; }
	cat "$r/privlevel_floor" >"$r/privlevel"
	head -c 64 /dev/urandom >/tmp/nonce
	cat /tmp/nonce >"$r/inblob"
	cat "$r/outblob" >/tmp/report 2>/dev/null
	cat "$r/manifestblob" >/tmp/manifest 2>/dev/null
	rmdir "$r"
	n="$(wc -c </tmp/report)"
	m="$(wc -c </tmp/manifest)"
	[ "$n" -gt 0 ] || { echo "empty outblob"; return 1; }
	[ "$m" -gt 0 ] || { echo "empty manifestblob"; return 1; }
	# 32 bytes a line: a kernel log record holds at most 1 KiB.
	for f in nonce report manifest; do
		od -An -v -tx1 -w32 "/tmp/$f" | tr -d ' ' | while read -r hex; do
			echo "# svsm-report $f $hex"
		done >&3
	done
}

# tpm2-tools and its library closure (incl. the dlopen'ed tcti-device) run.
check_tpm2tools() {
	out="$(tpm2_getrandom --version 2>&1)" || { echo "tpm2_getrandom --version: $out"; return 1; }
	echo "$out" | grep -q 'version="5\.' || { echo "unexpected: $out"; return 1; }
}

# A TPM answers through the kernel's /dev/tpm0 (the SVSM vTPM under
# snpemu; an swtpm-backed tpm-crb under plain QEMU).
check_tpm() {
	[ -c /dev/tpm0 ] || { echo "no /dev/tpm0"; return 1; }
	out="$(tpm2_getrandom -T device:/dev/tpm0 16 --hex 2>&1)" || { echo "tpm2_getrandom: $out"; return 1; }
	[ "${#out}" -eq 32 ] || { echo "tpm2_getrandom printed '$out'"; return 1; }
}

# The tpm-svsm device (SVSM_VTPM_QUERY answered with bit 8) bound to the
# built-in tpm_svsm driver (drivers/char/tpm/tpm_svsm.c).
check_tpm_svsm() {
	[ -e /sys/bus/platform/drivers/tpm-svsm/tpm-svsm ] ||
		{ echo "tpm-svsm device not bound to its driver"; return 1; }
}

# Every module /init was given is loaded (a distribution kernel's
# initramfs, guest/README.md). sev_guest needs SNP to probe, so it is
# listed in svsm.optional_modules= when the machine has none.
check_modules() {
	[ -f /lib/modules/order ] || { echo "no /lib/modules/order"; return 1; }
	optional=""
	for arg in $(cat /proc/cmdline); do
		case "$arg" in svsm.optional_modules=*) optional="$(echo "${arg#*=}" | tr , ' ')" ;; esac
	done
	while read -r m; do
		case " $optional " in *" $m "*) continue ;; esac
		grep -q "^$m " /proc/modules || { echo "module $m not loaded"; return 1; }
	done </lib/modules/order
}

# checks_run NAME...: the plan, then one TAP line per check.
checks_run() {
	exec 4>&1
	echo "1..$#"
	i=0
	for c in "$@"; do
		i=$((i + 1))
		if ! type "check_$c" >/dev/null 2>&1; then
			echo "not ok $i - $c # no such check"
			continue
		fi
		# fd 3: lines a check prints for the host as they are (comments).
		why="$("check_$c" 2>&1 3>&4)"
		if [ $? -eq 0 ]; then
			echo "ok $i - $c"
		else
			echo "not ok $i - $c # $(echo "$why" | tail -1)"
		fi
	done
}
