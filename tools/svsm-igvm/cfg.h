/* SPDX-License-Identifier: MIT */
/*
 * igvm.cfg reader: an INI dialect (docs/abi.md §16). `[section]` or
 * `[section name]`, `key = value`, `;` or `#` comments, C integer literals
 * with optional K/M/G suffixes, `${var}` substituted from the command line.
 * Every item remembers its line so that errors name file:line.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CFG_MAX_VARS 16

struct cfg_key {
	char *key;
	char *value; /* after ${var} substitution */
	int line;
	bool used; /* consumed by the schema; leftovers are "unknown key" */
};

struct cfg_section {
	char *kind; /* "region" in [region svsm] */
	char *name; /* "svsm", or "" */
	int line;
	struct cfg_key *keys;
	size_t key_count;
};

struct cfg_var {
	const char *name;
	const char *value;
};

struct cfg {
	const char *path;
	struct cfg_section *sections;
	size_t section_count;
	char error[512]; /* first error: "path:line: message" */
	bool failed;
};

/**
 * Parse @text (NUL-terminated) read from @path, substituting @vars. On a
 * syntax error returns false with cfg->error set.
 */
bool cfg_parse(struct cfg *cfg, const char *path, const char *text,
	       const struct cfg_var *vars, size_t var_count);
void cfg_free(struct cfg *cfg);

/** Record the first error, as "path:line: message" (line 0: no line). */
void cfg_error(struct cfg *cfg, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/** Find (and mark used) a key; NULL if absent. */
struct cfg_key *cfg_get(struct cfg_section *s, const char *key);

/** Integer with K/M/G suffix; false (and an error) if malformed. */
bool cfg_u64(struct cfg *cfg, const struct cfg_key *k, uint64_t *out);
/** "yes"/"no". */
bool cfg_bool(struct cfg *cfg, const struct cfg_key *k, bool *out);

/** Report the first key of @s nobody consumed; false if one exists. */
bool cfg_check_unused(struct cfg *cfg, const struct cfg_section *s);
