/* SPDX-License-Identifier: MIT */
/*
 * Names for errors and header types (freestanding: constant strings only).
 */
#include "igvm/parse.h"

const char *igvm_strerror(enum igvm_err err)
{
	switch (err) {
	case IGVM_OK:
		return "no error";
	case IGVM_E_TRUNCATED:
		return "file shorter than the fixed header";
	case IGVM_E_MAGIC:
		return "bad magic (not an IGVM file)";
	case IGVM_E_VERSION:
		return "unsupported format_version";
	case IGVM_E_V2_FIELDS:
		return "v2 architecture or page size unsupported";
	case IGVM_E_HEADER_OFFSET:
		return "variable header offset or size out of range";
	case IGVM_E_TOTAL_SIZE:
		return "total_file_size does not match the file length";
	case IGVM_E_CHECKSUM:
		return "header checksum (CRC-32) mismatch";
	case IGVM_E_NO_FILE_DATA:
		return "file data section is empty";
	case IGVM_E_HEADER_TRUNCATED:
		return "variable header runs past the header section";
	case IGVM_E_PADDING:
		return "non-zero padding after a variable header";
	case IGVM_E_UNKNOWN_TYPE:
		return "unknown variable header type";
	case IGVM_E_UNSUPPORTED_TYPE:
		return "variable header type not supported by this parser";
	case IGVM_E_SECTION_ORDER:
		return "header out of section order "
		       "(platform -> initialization -> directive)";
	case IGVM_E_LENGTH:
		return "variable header length wrong for its type";
	case IGVM_E_RESERVED:
		return "reserved field or flag is non-zero";
	case IGVM_E_PLATFORM:
		return "invalid SUPPORTED_PLATFORM header";
	case IGVM_E_DUPLICATE_PLATFORM:
		return "platform type or compatibility bit declared twice";
	case IGVM_E_NO_PLATFORM:
		return "no SUPPORTED_PLATFORM header";
	case IGVM_E_MASK:
		return "compatibility mask empty or names an undeclared "
		       "platform";
	case IGVM_E_ALIGN:
		return "address or size not 4 KiB aligned";
	case IGVM_E_PAGE_FLAGS:
		return "unsupported PAGE_DATA flags";
	case IGVM_E_DATA_TYPE:
		return "unknown PAGE_DATA data_type";
	case IGVM_E_FILE_OFFSET:
		return "file_offset outside the file data section";
	case IGVM_E_OVERLAP:
		return "guest physical range overlaps an earlier one";
	case IGVM_E_TOO_FRAGMENTED:
		return "too many disjoint guest ranges for this parser";
	case IGVM_E_PARAM_SIZE:
		return "parameter area size zero or not a 4 KiB multiple";
	case IGVM_E_PARAM_DUPLICATE:
		return "parameter area index declared twice";
	case IGVM_E_PARAM_UNDECLARED:
		return "parameter area used before it was declared";
	case IGVM_E_PARAM_INSERTED:
		return "parameter area used or inserted after its insertion";
	case IGVM_E_PARAM_OFFSET:
		return "parameter byte_offset outside its area";
	case IGVM_E_TOO_MANY_AREAS:
		return "too many parameter areas for this parser";
	case IGVM_E_ID_BLOCK:
		return "invalid SNP_ID_BLOCK";
	case IGVM_E_NO_SNP:
		return "no SEV-SNP platform in the file";
	case IGVM_E_VMSA:
		return "VMSA layout unusable for the chosen host profile";
	case IGVM_E_ARG:
		return "invalid argument";
	case IGVM_E_QEMU_TYPE:
		return "header type QEMU's IGVM loader does not support";
	case IGVM_E_QEMU_MEMMAP:
		return "MEMORY_MAP byte_offset is not 0 (QEMU writes at 0)";
	case IGVM_E_VMSA_FIELD:
		return "VMSA sets a field QEMU/KVM do not accept";
	case IGVM_E_SEV_FEATURES:
		return "VMSA sev_features lack SNP or exceed what KVM supports";
	case IGVM_E_QEMU_MEMORY:
		return "a required range or parameter area lies partly in RAM "
		       "(QEMU: region size exceeded)";
	case IGVM_E_COUNT:
		break;
	}
	return "unknown error";
}

const char *igvm_type_name(uint32_t type)
{
	switch (type) {
	case IGVM_VHT_SUPPORTED_PLATFORM:
		return "SUPPORTED_PLATFORM";
	case IGVM_VHT_GUEST_POLICY:
		return "GUEST_POLICY";
	case IGVM_VHT_RELOCATABLE_REGION:
		return "RELOCATABLE_REGION";
	case IGVM_VHT_PAGE_TABLE_RELOCATION:
		return "PAGE_TABLE_RELOCATION";
	case IGVM_VHT_PARAMETER_AREA:
		return "PARAMETER_AREA";
	case IGVM_VHT_PAGE_DATA:
		return "PAGE_DATA";
	case IGVM_VHT_PARAMETER_INSERT:
		return "PARAMETER_INSERT";
	case IGVM_VHT_VP_CONTEXT:
		return "VP_CONTEXT";
	case IGVM_VHT_REQUIRED_MEMORY:
		return "REQUIRED_MEMORY";
	case IGVM_VHT_VP_COUNT_PARAMETER:
		return "VP_COUNT_PARAMETER";
	case IGVM_VHT_SRAT:
		return "SRAT";
	case IGVM_VHT_MADT:
		return "MADT";
	case IGVM_VHT_MMIO_RANGES:
		return "MMIO_RANGES";
	case IGVM_VHT_SNP_ID_BLOCK:
		return "SNP_ID_BLOCK";
	case IGVM_VHT_MEMORY_MAP:
		return "MEMORY_MAP";
	case IGVM_VHT_ERROR_RANGE:
		return "ERROR_RANGE";
	case IGVM_VHT_COMMAND_LINE:
		return "COMMAND_LINE";
	case IGVM_VHT_SLIT:
		return "SLIT";
	case IGVM_VHT_PPTT:
		return "PPTT";
	case IGVM_VHT_VBS_MEASUREMENT:
		return "VBS_MEASUREMENT";
	case IGVM_VHT_DEVICE_TREE:
		return "DEVICE_TREE";
	case IGVM_VHT_ENVIRONMENT_INFO_PARAMETER:
		return "ENVIRONMENT_INFO";
	default:
		return "UNKNOWN";
	}
}
