/* SPDX-License-Identifier: MIT */
/*
 * svsm-igvm: build svsm.igvm from igvm.cfg, or dump any IGVM file.
 *
 *   svsm-igvm build -c igvm.cfg -o svsm.igvm [-m svsm.igvm.map]
 *                   [-D name=path ...]
 *   svsm-igvm dump FILE
 *   svsm-igvm --help
 *
 * Exit status: 0 success, 1 refused input, 2 usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "igvm/host.h"
#include "layout.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: svsm-igvm build -c CONFIG -o OUT [-m MAP] "
		"[-D NAME=VALUE]...\n"
		"       svsm-igvm dump FILE\n");
	return 2;
}

static int dump(const char *path)
{
	struct igvm_file *f = calloc(1, sizeof(*f));
	uint8_t *data = NULL;
	size_t len = 0;
	enum igvm_err err;
	int rc = 1;

	if (!f) {
		return 1;
	}
	if (!igvm_host_read_file(path, &data, &len)) {
		fprintf(stderr, "svsm-igvm: %s: %s\n", path, strerror(errno));
		free(f);
		return 1;
	}
	err = igvm_parse(data, len, f);
	if (err != IGVM_OK) {
		fprintf(stderr, "svsm-igvm: %s: offset 0x%zx: %s\n", path,
			f->err_offset, igvm_strerror(err));
	} else {
		igvm_dump(stdout, f);
		rc = 0;
	}
	free(data);
	free(f);
	return rc;
}

static int build(int argc, char **argv)
{
	const char *cfg_path = NULL, *out = NULL, *map_path = NULL;
	struct cfg_var vars[CFG_MAX_VARS];
	size_t var_count = 0;
	struct cfg cfg;
	struct layout *l = calloc(1, sizeof(*l));
	uint8_t *text = NULL, *file = NULL;
	size_t text_len = 0, len = 0;
	FILE *map = NULL;
	int rc = 1;

	if (!l) {
		return 1;
	}
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (i + 1 >= argc) {
			free(l);
			return usage();
		}
		if (!strcmp(a, "-c")) {
			cfg_path = argv[++i];
		} else if (!strcmp(a, "-o")) {
			out = argv[++i];
		} else if (!strcmp(a, "-m")) {
			map_path = argv[++i];
		} else if (!strcmp(a, "-D") && var_count < CFG_MAX_VARS &&
			   strchr(argv[i + 1], '=')) {
			char *eq = strchr(argv[++i], '=');

			*eq = '\0';
			vars[var_count].name = argv[i];
			vars[var_count++].value = eq + 1;
		} else {
			free(l);
			return usage();
		}
	}
	if (!cfg_path || !out) {
		free(l);
		return usage();
	}
	if (!igvm_host_read_file(cfg_path, &text, &text_len) ||
	    memchr(text, '\0', text_len)) {
		fprintf(stderr, "svsm-igvm: %s: %s\n", cfg_path,
			text ? "NUL byte in config" : strerror(errno));
		free(text);
		free(l);
		return 1;
	}
	text = realloc(text, text_len + 1);
	if (!text) {
		free(l);
		return 1;
	}
	text[text_len] = '\0';
	if (!cfg_parse(&cfg, cfg_path, (char *)text, vars, var_count) ||
	    !layout_load(l, &cfg)) {
		goto fail;
	}
	if (map_path) {
		map = fopen(map_path, "w");
		if (!map) {
			cfg_error(&cfg, 0, "cannot write map '%s': %s",
				  map_path, strerror(errno));
			goto fail;
		}
	}
	if (!layout_emit(l, &cfg, &file, &len, map)) {
		goto fail;
	}
	if (map && fclose(map) != 0) {
		map = NULL;
		cfg_error(&cfg, 0, "cannot write map '%s'", map_path);
		goto fail;
	}
	map = NULL;
	if (!igvm_host_write_file(out, file, len)) {
		cfg_error(&cfg, 0, "cannot write '%s': %s", out,
			  strerror(errno));
		goto fail;
	}
	rc = 0;
fail:
	if (rc) {
		fprintf(stderr, "svsm-igvm: %s\n", cfg.error);
	}
	if (map) {
		fclose(map);
	}
	free(file);
	free(text);
	layout_free(l);
	free(l);
	cfg_free(&cfg);
	return rc;
}

static int help(void)
{
	printf("usage: svsm-igvm build -c CONFIG -o OUT [-m MAP] "
	       "[-D NAME=VALUE]...\n"
	       "       svsm-igvm dump FILE\n"
	       "       svsm-igvm --help\n"
	       "\n"
	       "build  make the IGVM image OUT from the layout CONFIG "
	       "(igvm.cfg);\n"
	       "       ${NAME} in CONFIG is replaced by VALUE; MAP gets one "
	       "line per\n"
	       "       region and the predicted launch digest. A bad CONFIG "
	       "is refused\n"
	       "       with file:line: cause.\n"
	       "dump   print every header of any IGVM file; refuses a "
	       "malformed one.\n"
	       "\n"
	       "Exit status: 0 success, 1 refused input, 2 usage error.\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 &&
	    (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		return help();
	}
	if (argc >= 3 && !strcmp(argv[1], "dump")) {
		return argc == 3 ? dump(argv[2]) : usage();
	}
	if (argc >= 2 && !strcmp(argv[1], "build")) {
		return build(argc - 2, argv + 2);
	}
	return usage();
}
