/* SPDX-License-Identifier: MIT */
/*
 * igvm.cfg lexer. Small on purpose: the format is ours (docs/abi.md §16), and a
 * config error must always point at a line.
 */
#include "cfg.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cfg_error(struct cfg *cfg, int line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	if (cfg->failed) {
		return; /* keep the first error: later ones are often fallout */
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0) {
		snprintf(cfg->error, sizeof(cfg->error), "%s:%d: %s", cfg->path,
			 line, msg);
	} else {
		snprintf(cfg->error, sizeof(cfg->error), "%s: %s", cfg->path,
			 msg);
	}
	cfg->failed = true;
}

static char *trim(char *s)
{
	char *e;

	while (*s && isspace((unsigned char)*s)) {
		s++;
	}
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1])) {
		*--e = '\0';
	}
	return s;
}

static bool is_ident(const char *s)
{
	if (!*s) {
		return false;
	}
	for (; *s; s++) {
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-') {
			return false;
		}
	}
	return true;
}

/* Expand ${name}; an undefined variable is an error at @line. */
static char *substitute(struct cfg *cfg, int line, const char *v,
			const struct cfg_var *vars, size_t var_count)
{
	size_t cap = strlen(v) + 1, n = 0;
	char *out = malloc(cap);

	if (!out) {
		cfg_error(cfg, line, "out of memory");
		return NULL;
	}
	while (*v) {
		const char *val = NULL;
		const char *end;

		if (v[0] != '$' || v[1] != '{') {
			out[n++] = *v++;
			continue;
		}
		end = strchr(v, '}');
		if (!end) {
			cfg_error(cfg, line, "unterminated ${ in value");
			free(out);
			return NULL;
		}
		for (size_t i = 0; i < var_count; i++) {
			if (strlen(vars[i].name) == (size_t)(end - v - 2) &&
			    !strncmp(vars[i].name, v + 2, end - v - 2)) {
				val = vars[i].value;
			}
		}
		if (!val) {
			cfg_error(cfg, line,
				  "undefined variable ${%.*s} (pass -D "
				  "%.*s=...)",
				  (int)(end - v - 2), v + 2, (int)(end - v - 2),
				  v + 2);
			free(out);
			return NULL;
		}
		cap += strlen(val);
		out = realloc(out, cap);
		if (!out) {
			cfg_error(cfg, line, "out of memory");
			return NULL;
		}
		memcpy(out + n, val, strlen(val));
		n += strlen(val);
		v = end + 1;
	}
	out[n] = '\0';
	return out;
}

static bool add_section(struct cfg *cfg, int line, char *hdr)
{
	struct cfg_section *s;
	char *name = hdr + strcspn(hdr, " \t");
	char *kind = hdr;

	if (*name) {
		*name++ = '\0';
		name = trim(name);
	}
	if (!is_ident(kind) || (*name && !is_ident(name))) {
		cfg_error(cfg, line, "malformed section header");
		return false;
	}
	for (size_t i = 0; i < cfg->section_count; i++) {
		if (!strcmp(cfg->sections[i].kind, kind) &&
		    !strcmp(cfg->sections[i].name, name)) {
			cfg_error(cfg, line,
				  "section [%s%s%s] repeated (first at line "
				  "%d)",
				  kind, *name ? " " : "", name,
				  cfg->sections[i].line);
			return false;
		}
	}
	s = realloc(cfg->sections, (cfg->section_count + 1) * sizeof(*s));
	if (!s) {
		cfg_error(cfg, line, "out of memory");
		return false;
	}
	cfg->sections = s;
	s = &cfg->sections[cfg->section_count++];
	memset(s, 0, sizeof(*s));
	s->kind = strdup(kind);
	s->name = strdup(name);
	s->line = line;
	return s->kind && s->name;
}

static bool add_key(struct cfg *cfg, int line, char *text,
		    const struct cfg_var *vars, size_t var_count)
{
	struct cfg_section *s;
	struct cfg_key *k;
	char *eq = strchr(text, '=');
	char *key, *value;

	if (cfg->section_count == 0) {
		cfg_error(cfg, line, "key outside any [section]");
		return false;
	}
	if (!eq) {
		cfg_error(cfg, line, "expected key = value");
		return false;
	}
	*eq = '\0';
	key = trim(text);
	value = trim(eq + 1);
	if (!is_ident(key)) {
		cfg_error(cfg, line, "malformed key '%s'", key);
		return false;
	}
	s = &cfg->sections[cfg->section_count - 1];
	for (size_t i = 0; i < s->key_count; i++) {
		if (!strcmp(s->keys[i].key, key)) {
			cfg_error(cfg, line,
				  "key '%s' repeated (first at line %d)", key,
				  s->keys[i].line);
			return false;
		}
	}
	k = realloc(s->keys, (s->key_count + 1) * sizeof(*k));
	if (!k) {
		cfg_error(cfg, line, "out of memory");
		return false;
	}
	s->keys = k;
	k = &s->keys[s->key_count];
	memset(k, 0, sizeof(*k));
	k->key = strdup(key);
	k->value = substitute(cfg, line, value, vars, var_count);
	k->line = line;
	if (!k->key || !k->value) {
		free(k->key);
		free(k->value);
		return false;
	}
	s->key_count++;
	return true;
}

bool cfg_parse(struct cfg *cfg, const char *path, const char *text,
	       const struct cfg_var *vars, size_t var_count)
{
	char *copy = strdup(text);
	char *line_start = copy;
	int line = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->path = path;
	if (!copy) {
		cfg_error(cfg, 0, "out of memory");
		return false;
	}
	while (line_start && !cfg->failed) {
		char *nl = strchr(line_start, '\n');
		char *l;

		if (nl) {
			*nl = '\0';
		}
		line++;
		/* Comments run to the end of the line (values hold no ;/#). */
		line_start[strcspn(line_start, ";#")] = '\0';
		l = trim(line_start);
		if (*l == '[') {
			char *close = strchr(l, ']');

			if (!close || close[1] != '\0') {
				cfg_error(cfg, line,
					  "malformed section header");
			} else {
				*close = '\0';
				add_section(cfg, line, trim(l + 1));
			}
		} else if (*l) {
			add_key(cfg, line, l, vars, var_count);
		}
		line_start = nl ? nl + 1 : NULL;
	}
	free(copy);
	return !cfg->failed;
}

void cfg_free(struct cfg *cfg)
{
	for (size_t i = 0; i < cfg->section_count; i++) {
		struct cfg_section *s = &cfg->sections[i];

		for (size_t j = 0; j < s->key_count; j++) {
			free(s->keys[j].key);
			free(s->keys[j].value);
		}
		free(s->keys);
		free(s->kind);
		free(s->name);
	}
	free(cfg->sections);
	cfg->sections = NULL;
	cfg->section_count = 0;
}

struct cfg_key *cfg_get(struct cfg_section *s, const char *key)
{
	for (size_t i = 0; i < s->key_count; i++) {
		if (!strcmp(s->keys[i].key, key)) {
			s->keys[i].used = true;
			return &s->keys[i];
		}
	}
	return NULL;
}

bool cfg_u64(struct cfg *cfg, const struct cfg_key *k, uint64_t *out)
{
	const char *v = k->value;
	char *end = NULL;
	uint64_t mult = 1;
	unsigned long long n;

	if (!isdigit((unsigned char)*v)) {
		cfg_error(cfg, k->line, "%s: '%s' is not a number", k->key, v);
		return false;
	}
	errno = 0;
	n = strtoull(v, &end, 0);
	switch (*end) {
	case 'K':
		mult = 1ull << 10;
		end++;
		break;
	case 'M':
		mult = 1ull << 20;
		end++;
		break;
	case 'G':
		mult = 1ull << 30;
		end++;
		break;
	default:
		break;
	}
	if (*end != '\0' || errno == ERANGE ||
	    (n != 0 && UINT64_MAX / mult < n)) {
		cfg_error(cfg, k->line, "%s: '%s' is not a valid number",
			  k->key, v);
		return false;
	}
	*out = n * mult;
	return true;
}

bool cfg_bool(struct cfg *cfg, const struct cfg_key *k, bool *out)
{
	if (!strcmp(k->value, "yes")) {
		*out = true;
	} else if (!strcmp(k->value, "no")) {
		*out = false;
	} else {
		cfg_error(cfg, k->line, "%s: expected yes or no, got '%s'",
			  k->key, k->value);
		return false;
	}
	return true;
}

bool cfg_check_unused(struct cfg *cfg, const struct cfg_section *s)
{
	for (size_t i = 0; i < s->key_count; i++) {
		if (!s->keys[i].used) {
			cfg_error(cfg, s->keys[i].line,
				  "unknown key '%s' in [%s%s%s]",
				  s->keys[i].key, s->kind, *s->name ? " " : "",
				  s->name);
			return false;
		}
	}
	return true;
}
