# SPDX-License-Identifier: MIT
#
# Checks of the guest on several vCPUs (issue 13; tests/linux snp-smp),
# sourced by checks.sh. The vCPU count the image was built for is
# svsm.cpus=N on the (measured) kernel command line.

smp_cpus() {
	for arg in $(cat /proc/cmdline); do
		case "$arg" in svsm.cpus=*) echo "${arg#svsm.cpus=}" && return ;; esac
	done
	echo 1
}

# All N vCPUs are online: Linux found them in the MADT and started every
# AP through the SVSM (SVSM_CORE_CREATE_VCPU, then the AP_CREATION
# VMGEXIT: wakeup_cpu_via_vmgexit in arch/x86/coco/sev/core.c, which
# prints "SNP AP CREATE error" or "set VMSA page failed" when either is
# refused); kernel/smp.c prints "smp: Brought up 1 node, N CPUs", and
# arch/x86/kernel/cpu/topology.c "APIC ID mismatch" when the hypervisor's
# CPUID gives an AP another vCPU's APIC ID.
check_nproc() {
	n="$(smp_cpus)"
	got="$(nproc)"
	[ "$got" = "$n" ] || { echo "nproc is $got, want $n"; return 1; }
	want=0
	[ "$n" -gt 1 ] && want="0-$((n - 1))"
	on="$(cat /sys/devices/system/cpu/online)"
	[ "$on" = "$want" ] || { echo "online CPUs '$on', want '$want'"; return 1; }
	s=s
	[ "$n" -eq 1 ] && s=""
	klog | grep -q "smp: Brought up 1 node, $n CPU$s\$" ||
		{ echo "no 'smp: Brought up 1 node, $n CPU$s' in dmesg"; return 1; }
	bad="$(klog | grep -m1 -e 'SNP AP CREATE error' -e 'set VMSA page failed' \
		-e 'failed to come online' -e 'Unsupported SNP start_ip' \
		-e 'APIC ID mismatch')"
	[ -z "$bad" ] || { echo "dmesg: $bad"; return 1; }
	echo "svsm-smp: nproc $got, online $on" >&3
}

# tpm_rm HEX: one TPM command through the kernel's resource manager on fd
# 5 (/dev/tpmrm0: every process its own open; /dev/tpm0 admits one);
# prints the response in hex.
tpm_rm() {
	printf "$(echo "$1" | sed 's/\(..\)/\\x\1/g')" >&5
	dd bs=4096 count=1 <&5 2>/dev/null | od -An -v -tx1 | tr -d ' \n'
}

# hex of a string's bytes.
str_hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }

# TPM2_PCR_Read of one SHA-256 PCR: header (tag, size, command code),
# TPML_PCR_SELECTION (count 1, SHA-256, 3 select bytes, bit P%8 of byte
# P/8). The digest is at byte 30 of the answer (header 10,
# pcrUpdateCounter 4, the selection 10, TPML_DIGEST count 4, size 2).
pcr_read_cmd() {
	sel=""
	for b in 0 1 2; do
		v=0
		[ $(($1 / 8)) -eq "$b" ] && v=$((1 << ($1 % 8)))
		sel="$sel$(printf '%02x' "$v")"
	done
	echo "8001""00000014""0000017e""00000001""000b""03$sel"
}

# TPM2_PCR_Extend of PCR $1 with SHA-256 digest $2, password session
# (TPM_RS_PW, empty auth): as tpm_cc_pcrextend in checks.sh.
pcr_extend_cmd() {
	echo "8002""00000041""00000182""$(printf '%08x' "$1")" \
		"00000009""40000009""0000""00""0000" "00000001""000b""$2" | tr -d ' '
}

# TPM2_Hash of the string $1 (TPM2B_MAX_BUFFER), SHA-256, hierarchy
# TPM_RH_NULL (no ticket): 18 bytes besides the data.
hash_cmd() {
	echo "8001""$(printf '%08x' $((${#1} + 18)))""0000017d" \
		"$(printf '%04x' ${#1})$(str_hex "$1")""000b""40000007" | tr -d ' '
}

# par_worker I K: one of check_par's processes (its own shell, pinned to
# vCPU I-1 by taskset). Prints one line on success ("I: ...") or why it
# failed, and exits non-zero on failure.
par_worker() {
	i=$1 k=$2 cpu=$(($1 - 1)) pcr=$((10 + $1))
	d=/tmp/par/$i
	allowed="$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status)"
	[ "$allowed" = "$cpu" ] || { echo "$i: runs on CPUs '$allowed', want $cpu"; return 1; }
	# The attestation report over this process's own nonce (check_attest_svsm).
	r=/sys/kernel/config/tsm/report/svsm-par-$i
	mkdir "$r" || { echo "$i: mkdir $r failed"; return 1; }
	echo svsm >"$r/service_provider" || { rmdir "$r"; echo "$i: no service_provider svsm"; return 1; }
	cat "$r/privlevel_floor" >"$r/privlevel"
	hex2bin <"$d/nonce.hex" >"$r/inblob"
	cat "$r/outblob" >"$d/report" 2>/dev/null
	cat "$r/manifestblob" >"$d/manifest" 2>/dev/null
	cat "$r/auxblob" >"$d/certs" 2>/dev/null
	rmdir "$r"
	[ "$(wc -c <"$d/report")" -eq 1184 ] || { echo "$i: outblob is $(wc -c <"$d/report") bytes"; return 1; }
	[ -s "$d/manifest" ] && [ -s "$d/certs" ] || { echo "$i: empty manifestblob or auxblob"; return 1; }
	# K TPM2_Hash of data no other process sends (TPM_RH_NULL: no
	# ticket), each digest compared with sha256sum's: an answer given to
	# the wrong process or garbled fails here.
	exec 5<>/dev/tpmrm0 || { echo "$i: cannot open /dev/tpmrm0"; return 1; }
	j=0
	while [ "$j" -lt "$k" ]; do
		data="svsm-par-$i-$j-$$"
		resp="$(tpm_rm "$(hash_cmd "$data")")"
		want="$(printf '%s' "$data" | sha256sum | cut -d' ' -f1)"
		case "$resp" in
		8001????????00000000????"$want"*) ;;
		*) exec 5>&-; echo "$i: TPM2_Hash #$j answered ${resp:0:80}..., want digest $want"; return 1 ;;
		esac
		j=$((j + 1))
	done
	# K TPM2_PCR_Extend of this process's own PCR (11-15: locality 0
	# may extend them, nothing else here does), then the value read back
	# must be the chain computed here.
	old="$(tpm_rm "$(pcr_read_cmd "$pcr")")"
	val="${old:60:64}"
	[ "${#val}" -eq 64 ] || { exec 5>&-; echo "$i: PCR_Read of PCR $pcr answered ${old:0:80}"; return 1; }
	j=0
	while [ "$j" -lt "$k" ]; do
		dig="$(echo "svsm-par-$i-$j" | sha256sum | cut -d' ' -f1)"
		resp="$(tpm_rm "$(pcr_extend_cmd "$pcr" "$dig")")"
		[ "${resp:12:8}" = 00000000 ] || { exec 5>&-; echo "$i: PCR_Extend #$j response code ${resp:12:8}"; return 1; }
		val="$(echo "$val$dig" | hex2bin | sha256sum | cut -d' ' -f1)"
		j=$((j + 1))
	done
	new="$(tpm_rm "$(pcr_read_cmd "$pcr")")"
	exec 5>&-
	[ "${new:60:64}" = "$val" ] || { echo "$i: PCR $pcr is ${new:60:64}, want $val"; return 1; }
	echo "$i: CPU $cpu: report fetched, $k hashes and $k extends of PCR $pcr answered correctly"
}

# Attestation and the vTPM from N processes at once (N = svsm.cpus), one
# pinned to each vCPU, so that every vCPU's SVSM context serves calls.
# The kernel serialises each device (configfs-tsm's tsm_rwsem and
# sev-guest's mutex, the TPM chip's lock), so the SVSM sees the calls
# interleaved from N vCPUs, not simultaneous. The nonces are fetched
# first, one at a time: the answers come on one tty, and a line read by
# the wrong process would be a harness error. Every process must get the
# same manifest and certificate table (one vTPM, one VCEK chain): compared
# here, they go to the host once (par-manifest, par-certs), each process's
# report as par-report-I; the host verifies every report against its own
# nonce (tests/linux/host_link.py par_checks). The console is slow under
# emulation: 4 copies of the certificates would cost minutes.
check_par() {
	n="$(smp_cpus)" k=4
	[ "$n" -le 5 ] || { echo "PCRs 11-15 serve at most 5 processes"; return 1; }
	[ -c /dev/sev-guest ] && [ -c /dev/tpmrm0 ] || { echo "no /dev/sev-guest or /dev/tpmrm0"; return 1; }
	rm -rf /tmp/par
	i=1
	while [ "$i" -le "$n" ]; do
		mkdir -p "/tmp/par/$i"
		host_get "par-nonce-$i" 64 >"/tmp/par/$i/nonce.hex" || { echo "no nonce $i from the host"; return 1; }
		i=$((i + 1))
	done
	pids="" i=1
	while [ "$i" -le "$n" ]; do
		taskset "$(printf '%x' $((1 << (i - 1))))" \
			sh -c ". /lib/svsm/checks.sh; par_worker $i $k" >"/tmp/par/$i/out" 2>&1 &
		pids="$pids $!"
		i=$((i + 1))
	done
	fail=0 i=1
	for p in $pids; do
		wait "$p" || fail=1
		echo "svsm-par: $(tail -1 "/tmp/par/$i/out")" >&3
		i=$((i + 1))
	done
	[ "$fail" -eq 0 ] || { echo "a process failed (svsm-par lines above)"; return 1; }
	i=1
	while [ "$i" -le "$n" ]; do
		for f in manifest certs; do
			cmp -s "/tmp/par/1/$f" "/tmp/par/$i/$f" ||
				{ echo "process $i got another $f than process 1"; return 1; }
		done
		host_put "par-report-$i" "/tmp/par/$i/report"
		i=$((i + 1))
	done
	host_put par-manifest /tmp/par/1/manifest
	host_put par-certs /tmp/par/1/certs
}
