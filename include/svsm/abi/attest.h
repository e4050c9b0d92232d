/* SPDX-License-Identifier: MIT */
/*
 * The attestation protocol (protocol 1; SVSM spec, AMD pub. 58019, tables
 * 11 and 13; docs/attestation.md §4): the request the guest passes in RCX
 * and the services manifest. Guest-visible ABI, <stdint.h> only.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* ATTEST_SERVICES: the first 0x40 bytes; ATTEST_SINGLE_SERVICE: all. */
struct svsm_attest_req {
	uint64_t report_gpa; /* page aligned */
	uint32_t report_size;
	uint32_t reserved_0x0c;
	uint64_t nonce_gpa;
	uint16_t nonce_size; /* must be 64 */
	uint8_t reserved_0x1a[6];
	uint64_t manifest_gpa; /* page aligned */
	uint32_t manifest_size;
	uint32_t reserved_0x2c;
	uint64_t certs_gpa;  /* page aligned if certs_size != 0 */
	uint32_t certs_size; /* 0: no certificates wanted */
	uint32_t reserved_0x3c;
	/* ATTEST_SINGLE_SERVICE only: */
	uint8_t service_guid[16];
	uint32_t manifest_version;
	uint32_t reserved_0x54;
};
_Static_assert(offsetof(struct svsm_attest_req, nonce_gpa) == 0x10, "T11");
_Static_assert(offsetof(struct svsm_attest_req, manifest_gpa) == 0x20, "T11");
_Static_assert(offsetof(struct svsm_attest_req, certs_gpa) == 0x30, "T11");
_Static_assert(offsetof(struct svsm_attest_req, service_guid) == 0x40, "T13");
_Static_assert(sizeof(struct svsm_attest_req) == 0x58, "SVSM spec table 13");
#define SVSM_ATTEST_SERVICES_REQ_SIZE 0x40
#define SVSM_ATTEST_NONCE_SIZE 64
#define SVSM_ATTEST_REPORT_SIZE 0x4a0

/* Services manifest: header, count entries, then the services' data. */
struct svsm_services_manifest_hdr {
	uint8_t guid[16]; /* SVSM_ATTEST_GUID_SERVICES */
	uint32_t size;    /* header + entries + data */
	uint32_t count;
};
_Static_assert(sizeof(struct svsm_services_manifest_hdr) == 24, "§4.3");

struct svsm_services_manifest_entry {
	uint8_t guid[16];
	uint32_t offset; /* from the start of the manifest */
	uint32_t length;
};
_Static_assert(sizeof(struct svsm_services_manifest_entry) == 24, "§4.3");

/* GUIDs in little-endian ("mixed-endian") byte order. */
/* 63849ebb-3d92-4670-a1ff-58f9c94b87bb */
#define SVSM_ATTEST_GUID_SERVICES                                           \
	{                                                                   \
		0xbb, 0x9e, 0x84, 0x63, 0x92, 0x3d, 0x70, 0x46, 0xa1, 0xff, \
			0x58, 0xf9, 0xc9, 0x4b, 0x87, 0xbb                  \
	}
/* c476f1eb-0123-45a5-9641-b4e7dde5bfe3 */
#define SVSM_ATTEST_GUID_VTPM                                               \
	{                                                                   \
		0xeb, 0xf1, 0x76, 0xc4, 0x23, 0x01, 0xa5, 0x45, 0x96, 0x41, \
			0xb4, 0xe7, 0xdd, 0xe5, 0xbf, 0xe3                  \
	}
