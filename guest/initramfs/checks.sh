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

# The host link (tests/linux/host_link.py): the guest asks the host harness
# for fresh data on its console, COM2 = ttyS1 (snpemu forwards its RX
# interrupt), and hands files out as hex lines on the kernel log. Nothing
# of it is on the kernel command line, which is measured: every run gets
# new data with the same image.
HOST_TTY=/dev/ttyS1

# host_get NAME BYTES: prints BYTES fresh random bytes from the host in hex
# ("svsm-host: want NAME BYTES" on fd 3, the answer one line on the tty).
host_get() {
	# No echo: the answer must not come back to the host as console output.
	stty -F "$HOST_TTY" -echo 2>/dev/null
	echo "svsm-host: want $1 $2" >&3
	ans=""
	read -r -t 60 ans <"$HOST_TTY" || true
	case "$ans" in *[!0-9a-f]*) ans="" ;; esac
	[ "${#ans}" -eq $(($2 * 2)) ] || return 1
	echo "$ans"
}

# host_put NAME FILE: FILE for the host, 64 bytes a line (a kernel log
# record holds at most 1 KiB), then its size and SHA-256 so that the host
# notices a lost line.
host_put() {
	od -An -v -tx1 -w64 "$2" | tr -d ' ' | while read -r hex; do
		echo "svsm-blob $1 $hex"
	done >&3
	echo "svsm-blob-end $1 $(wc -c <"$2") $(sha256sum <"$2" | cut -d' ' -f1)" >&3
}

# hex2bin: hex text on stdin to bytes on stdout.
hex2bin() { xxd -r -p; }

# An attestation report from the SVSM (SVSM attestation protocol,
# ATTEST_SERVICES) over the host's nonce: a configfs-tsm report with
# service_provider "svsm" goes to sev_svsm_report_new()
# (drivers/virt/coco/sev-guest/sev-guest.c), which returns the SNP report
# in outblob, the services manifest in manifestblob and the certificate
# table the SVSM got with the extended guest request in auxblob. All three
# go to the host, which checks them with svsm-verify and the OpenSSL
# command line against its own nonce (tests/linux/host_link.py).
check_attest_svsm() {
	# Fail before asking: a harness without the host link (plain QEMU)
	# would leave host_get waiting for its timeout.
	[ -c /dev/sev-guest ] || { echo "no /dev/sev-guest"; return 1; }
	nonce="$(host_get report-nonce 64)" || { echo "no nonce from the host"; return 1; }
	echo "$nonce" | hex2bin >/tmp/nonce
	r=/sys/kernel/config/tsm/report/svsm-attest
	mkdir "$r" || { echo "mkdir $r failed"; return 1; }
	echo svsm >"$r/service_provider" || { rmdir "$r"; echo "no service_provider svsm"; return 1; }
	cat "$r/privlevel_floor" >"$r/privlevel"
	cat /tmp/nonce >"$r/inblob"
	cat "$r/outblob" >/tmp/report 2>/dev/null
	g1="$(cat "$r/generation")"
	cat "$r/manifestblob" >/tmp/manifest 2>/dev/null
	cat "$r/auxblob" >/tmp/certs 2>/dev/null
	g2="$(cat "$r/generation")"
	rmdir "$r"
	[ "$(wc -c </tmp/report)" -eq 1184 ] || { echo "outblob is $(wc -c </tmp/report) bytes, want 1184"; return 1; }
	[ -s /tmp/manifest ] || { echo "empty manifestblob"; return 1; }
	[ -s /tmp/certs ] || { echo "empty auxblob (no certificates)"; return 1; }
	[ "$g1" = "$g2" ] || { echo "report generation changed ($g1 -> $g2)"; return 1; }
	for f in report manifest certs; do
		host_put "$f" "/tmp/$f"
	done
}

# The vTPM's own attestation (ATTEST_SINGLE_SERVICE): configfs-tsm with
# service_guid = the vTPM's GUID and manifest version 0 returns a report
# whose manifest is the EK's public area alone (docs/attestation.md §4.3);
# the host verifies it and compares that EK with the one tpm_ek read
# (svsm-verify --ek-pub).
check_attest_vtpm() {
	[ -c /dev/sev-guest ] || { echo "no /dev/sev-guest"; return 1; }
	nonce="$(host_get vtpm-nonce 64)" || { echo "no nonce from the host"; return 1; }
	r=/sys/kernel/config/tsm/report/svsm-vtpm
	mkdir "$r" || { echo "mkdir $r failed"; return 1; }
	{ echo svsm >"$r/service_provider" &&
		echo c476f1eb-0123-45a5-9641-b4e7dde5bfe3 >"$r/service_guid" &&
		echo 0 >"$r/service_manifest_version"; } ||
		{ rmdir "$r"; echo "configfs-tsm refused the vTPM service"; return 1; }
	cat "$r/privlevel_floor" >"$r/privlevel"
	echo "$nonce" | hex2bin >"$r/inblob"
	cat "$r/outblob" >/tmp/vtpm-report 2>/dev/null
	cat "$r/manifestblob" >/tmp/vtpm-manifest 2>/dev/null
	cat "$r/auxblob" >/tmp/vtpm-certs 2>/dev/null
	rmdir "$r"
	[ "$(wc -c </tmp/vtpm-report)" -eq 1184 ] || { echo "outblob is $(wc -c </tmp/vtpm-report) bytes, want 1184"; return 1; }
	[ -s /tmp/vtpm-manifest ] || { echo "empty manifestblob"; return 1; }
	for f in vtpm-report vtpm-manifest vtpm-certs; do
		host_put "$f" "/tmp/$f"
	done
}

# tpm2-tools through the kernel's resource manager: each tool's transient
# objects are flushed when it exits, the context files stay loadable.
export TPM2TOOLS_TCTI=device:/dev/tpmrm0
tpm_dir=/tmp/tpm

# TPM2_PCR_Read, TPM2_PCR_Extend of PCR 16 (the debug PCR, resettable,
# used by nothing else) and the value read back equals
# SHA-256(old || digest), computed here.
check_tpm_pcr() {
	old="$(tpm2_pcrread sha256:16 2>&1)" || { echo "pcrread: $old"; return 1; }
	old="$(echo "$old" | sed -n 's/.*16 *: *0x\([0-9A-Fa-f]*\).*/\1/p' | tr A-F a-f)"
	[ "${#old}" -eq 64 ] || { echo "pcrread printed no sha256 PCR 16"; return 1; }
	d="$(echo svsm-linux-client | sha256sum | cut -d' ' -f1)"
	out="$(tpm2_pcrextend "16:sha256=$d" 2>&1)" || { echo "pcrextend: $out"; return 1; }
	want="$(echo "$old$d" | hex2bin | sha256sum | cut -d' ' -f1)"
	new="$(tpm2_pcrread sha256:16 2>&1 | sed -n 's/.*16 *: *0x\([0-9A-Fa-f]*\).*/\1/p' | tr A-F a-f)"
	[ "$new" = "$want" ] || { echo "PCR 16 is $new after the extend, want $want"; return 1; }
}

# TPM2_CreatePrimary in the owner hierarchy, RSA-2048 and ECC P-256 (the
# tools' default templates), each printing its public area.
check_tpm_primary() {
	mkdir -p "$tpm_dir"
	for alg in rsa ecc; do
		out="$(tpm2 createprimary -C o -G "$alg" -c "$tpm_dir/primary-$alg.ctx" 2>&1)" ||
			{ echo "createprimary -G $alg: $(echo "$out" | tail -1)"; return 1; }
		echo "$out" | grep -q "^name-alg:" || { echo "createprimary -G $alg printed no public area"; return 1; }
	done
}

# The endorsement key (TCG default template, RSA-2048) and its public key
# read back with TPM2_ReadPublic; the PEM goes to the host, which compares
# it with the EK in the attestation manifest.
check_tpm_ek() {
	mkdir -p "$tpm_dir"
	out="$(tpm2 createek -c "$tpm_dir/ek.ctx" -G rsa -u "$tpm_dir/ek.pub" 2>&1)" ||
		{ echo "createek: $(echo "$out" | tail -1)"; return 1; }
	out="$(tpm2 readpublic -c "$tpm_dir/ek.ctx" -f pem -o "$tpm_dir/ek.pem" 2>&1)" ||
		{ echo "readpublic: $(echo "$out" | tail -1)"; return 1; }
	grep -q 'BEGIN PUBLIC KEY' "$tpm_dir/ek.pem" || { echo "readpublic wrote no PEM"; return 1; }
	host_put ek-pem "$tpm_dir/ek.pem"
}

# An attestation key under the EK (tpm2_createak: TPM2_Create/Load with
# the endorsement policy) and TPM2_Quote over PCRs 0, 10 and 16 with a
# fresh nonce from the host; quote, signature, PCR values and the AK's
# public key go to the host, which checks them with tpm2_checkquote.
check_tpm_quote() {
	[ -f "$tpm_dir/ek.ctx" ] || { echo "no EK (the tpm_ek check runs first)"; return 1; }
	out="$(tpm2 createak -C "$tpm_dir/ek.ctx" -c "$tpm_dir/ak.ctx" -G rsa -g sha256 -s rsassa \
		-u "$tpm_dir/ak.pem" -f pem -n "$tpm_dir/ak.name" 2>&1)" ||
		{ echo "createak: $(echo "$out" | tail -1)"; return 1; }
	q="$(host_get quote-nonce 32)" || { echo "no nonce from the host"; return 1; }
	out="$(tpm2 quote -c "$tpm_dir/ak.ctx" -l sha256:0,10,16 -q "$q" -g sha256 \
		-m "$tpm_dir/quote.msg" -s "$tpm_dir/quote.sig" -o "$tpm_dir/quote.pcrs" 2>&1)" ||
		{ echo "quote: $(echo "$out" | tail -1)"; return 1; }
	for f in ak.pem quote.msg quote.sig quote.pcrs; do
		host_put "$f" "$tpm_dir/$f"
	done
}

# sev_guest_marker: one configfs-tsm report straight from the PSP (no
# SVSM call for the report itself); snpemu's greq_stats=1 prints its
# counters at each such request, which brackets what the bench check
# measures (tests/linux/host_link.py differences them).
sev_guest_marker() {
	m=/sys/kernel/config/tsm/report/svsm-mark
	mkdir "$m" || return 1
	cat "$m/privlevel_floor" >"$m/privlevel"
	head -c 64 /dev/zero >"$m/inblob"
	cat "$m/outblob" >/dev/null
	rmdir "$m"
}

# raw_tpm HEX COUNT: sends the TPM command HEX to /dev/tpm0 COUNT times
# (one write, one read each, as the TPM character device wants) and fails
# unless every response code is 0.
raw_tpm() {
	cmd="$(echo "$1" | sed 's/\(..\)/\\x\1/g')"
	i=0
	exec 5<>/dev/tpm0 || return 1
	while [ "$i" -lt "$2" ]; do
		printf "$cmd" >&5
		rc="$(dd bs=4096 count=1 <&5 2>/dev/null | od -An -v -tx1 -j6 -N4 | tr -d ' \n')"
		[ "$rc" = 00000000 ] || { exec 5>&-; echo "TPM response code $rc"; return 1; }
		i=$((i + 1))
	done
	exec 5>&-
}

# The same loop shape with no TPM: the shell's and dd's own cost.
raw_null() {
	i=0
	while [ "$i" -lt "$1" ]; do
		printf 'x' >/dev/null
		dd bs=4096 count=1 </dev/zero 2>/dev/null | od -An -v -tx1 -j6 -N4 >/dev/null
		i=$((i + 1))
	done
}

# Figures for the host (printed, never judged): kernel-log timestamps and
# snpemu's counters around an SVSM attestation report, TPM2_GetRandom and
# TPM2_PCR_Extend through /dev/tpm0. Fails only if a step fails.
bench_n=20
# TPM2_GetRandom(16); TPM2_PCR_Extend(PCR 16, SHA-256 of zeros) with a
# password session (TPM_RS_PW, empty auth).
tpm_cc_getrandom=80010000000c0000017b0010
tpm_cc_pcrextend=80020000004100000182000000100000000940000009000000000000000001000b$(printf '%064d' 0)
# tpm_loops MARK: the TPM loops of the figures, each followed by "MARK
# NAME" (a marker request on snpemu, nothing elsewhere).
tpm_loops() {
	echo "svsm-bench: null-start $bench_n" >&3
	raw_null "$bench_n"
	echo "svsm-bench: null-end" >&3
	$1 null || return 1
	echo "svsm-bench: getrandom-start $bench_n" >&3
	raw_tpm "$tpm_cc_getrandom" "$bench_n" || return 1
	echo "svsm-bench: getrandom-end" >&3
	$1 getrandom || return 1
	echo "svsm-bench: pcrextend-start $bench_n" >&3
	raw_tpm "$tpm_cc_pcrextend" "$bench_n" || return 1
	echo "svsm-bench: pcrextend-end" >&3
	$1 pcrextend || return 1
	echo "svsm-bench: tools-start" >&3
	tpm2_getrandom 16 >/dev/null || { echo "tpm2_getrandom failed"; return 1; }
	echo "svsm-bench: tools-end" >&3
}

bench_mark() {
	echo "svsm-bench: $1" >&3
	sev_guest_marker || { echo "marker report failed"; return 1; }
}

check_bench() {
	bench_mark base0 && bench_mark base1 || return 1
	r=/sys/kernel/config/tsm/report/svsm-bench
	mkdir "$r" && echo svsm >"$r/service_provider" && cat "$r/privlevel_floor" >"$r/privlevel" &&
		head -c 64 /dev/urandom >"$r/inblob" || { echo "configfs-tsm setup failed"; return 1; }
	echo "svsm-bench: report-start" >&3
	n="$(cat "$r/outblob" | wc -c)"
	echo "svsm-bench: report-end" >&3
	rmdir "$r"
	[ "$n" -eq 1184 ] || { echo "SVSM report of $n bytes"; return 1; }
	bench_mark report || return 1
	tpm_loops bench_mark
}

# The TPM loops alone, for any TPM behind /dev/tpm0 (the linux-tpm-tcg
# benchmark: swtpm through QEMU's tpm-crb on plain TCG).
check_bench_tpm() {
	[ -c /dev/tpm0 ] || { echo "no /dev/tpm0"; return 1; }
	tpm_loops true
}

# IMA found the TPM at boot and its measurement list replays to PCR 10.
# Without a TPM, IMA runs in "TPM-bypass" mode and its boot_aggregate is
# all zeros (security/integrity/ima/ima_init.c); with one, it is a hash of
# PCRs 0-9. A policy rule (written once: CONFIG_IMA_WRITE_POLICY is off)
# has IMA measure one file of ours on the tmpfs, so the list grows by an
# entry whose file hash we know, and PCR 10 (SHA-256 bank) must equal the
# replay of the template hashes in ascii_runtime_measurements_sha256.
check_ima() {
	ima=/sys/kernel/security/ima
	[ -d "$ima" ] || { echo "no $ima"; return 1; }
	list="$ima/ascii_runtime_measurements_sha256"
	[ -r "$list" ] || { echo "no $list"; return 1; }
	agg="$(awk '$5 == "boot_aggregate" {print $4; exit}' "$list")"
	[ -n "$agg" ] || { echo "no boot_aggregate entry"; return 1; }
	case "${agg#*:}" in
	*[!0]*) ;;
	*) echo "boot_aggregate is all zeros: IMA found no TPM"; return 1 ;;
	esac
	echo "svsm-ima-test $(date)" >/tmp/ima-file
	chown 4242 /tmp/ima-file
	echo 'measure func=FILE_CHECK mask=MAY_READ fsmagic=0x01021994 fowner=4242' >"$ima/policy" ||
		{ echo "IMA refused the policy rule"; return 1; }
	cat /tmp/ima-file >/dev/null
	fh="$(sha256sum /tmp/ima-file | cut -d' ' -f1)"
	grep -q " sha256:$fh /tmp/ima-file\$" "$list" ||
		{ echo "no measurement of /tmp/ima-file with sha256:$fh"; return 1; }
	pcr="$(printf '%064d' 0)"
	for th in $(awk '$1 == 10 {print $2}' "$list"); do
		pcr="$(echo "$pcr$th" | hex2bin | sha256sum | cut -d' ' -f1)"
	done
	tpm="$(tpm2_pcrread sha256:10 2>&1 | sed -n 's/.*10 *: *0x\([0-9A-Fa-f]*\).*/\1/p' | tr A-F a-f)"
	[ "$pcr" = "$tpm" ] || { echo "replay of $(wc -l <"$list") entries gives $pcr, PCR 10 is ${tpm:-unreadable}"; return 1; }
	echo "svsm-ima: $(wc -l <"$list") entries replay to PCR 10" >&3
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

# The host's ACPI tables, which the SVSM loaded from fw_cfg and named in
# boot_params.acpi_rsdp_addr (docs/linux-boot.md §10): Linux found the MADT,
# FADT and DSDT (drivers/acpi/sysfs.c exports each table it knows), and the
# MADT's enabled local APICs (ACPI 6.5 §5.2.12: entries after the 44-byte
# header, type 0 with flags bit 0, or type 9 for x2APIC) are the CPUs Linux
# counts as possible (arch/x86/kernel/acpi/boot.c registers one per entry).
# No ACPICA error or warning in dmesg (drivers/acpi/acpica/utxferror.c
# prefixes: "ACPI Error", "ACPI BIOS Error", "ACPI Warning").
check_acpi() {
	bad="$(klog | grep -m1 -e 'ACPI Error' -e 'ACPI BIOS Error' -e 'ACPI Warning')"
	[ -z "$bad" ] || { echo "dmesg: $bad"; return 1; }
	for t in APIC FACP DSDT; do
		[ -r "/sys/firmware/acpi/tables/$t" ] || { echo "no ACPI table $t in sysfs"; return 1; }
	done
	set -- $(od -An -v -tu1 /sys/firmware/acpi/tables/APIC)
	shift 44
	n=0
	while [ $# -ge 2 ]; do
		len=$2
		[ "$len" -ge 2 ] || { echo "MADT entry of length $len"; return 1; }
		if [ "$1" = 0 ] && [ $(($5 & 1)) = 1 ]; then n=$((n + 1)); fi
		if [ "$1" = 9 ] && [ $(($9 & 1)) = 1 ]; then n=$((n + 1)); fi
		[ $# -ge "$len" ] || break
		shift "$len"
	done
	p="$(cat /sys/devices/system/cpu/possible)"
	p=$(( ${p#*-} + 1 ))
	echo "svsm-acpi: the MADT lists $n CPUs, Linux has $p possible" >&3
	[ "$n" -ge 1 ] && [ "$n" = "$p" ] || { echo "MADT: $n CPUs, Linux: $p possible"; return 1; }
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

# The checks of the other files (checks-smp.sh: several vCPUs).
for f in /lib/svsm/checks-*.sh; do
	[ -r "$f" ] && . "$f"
done
