/* config.h - custom secret rules from the peers' files: Trivy's trivy-secret.yaml and
 * gitleaks' .gitleaks.toml, read into a struct shp_secret_config (secrets/scan.h) for
 * shp_secrets_configure(). Neither peer reads the other's file; the name's extension says
 * which one a file is (.toml: gitleaks'). */
#pragma once
#include "secrets/scan.h"
#include "util/error.h"

#include <stddef.h>

/* Sanity limit: configuration files are small. */
#define SHP_SECRET_CONFIG_MAX (1u << 20)

/* Reads text[0..len) of the file called name: Trivy's format, or gitleaks' when name ends in
 * ".toml". Every regex is checked here, so that an error names its place
 * ("name:line:col: rules[0].regex: invalid regex at offset 3: ..."; gitleaks' places are its
 * tables, "name: rules[2] (id): ..."). -1 and *err (exit 3) on error; c is freed then. */
int shp_secret_config_parse(struct shp_secret_config *c, const char *name, const char *text, size_t len,
			    struct shp_error **err);
/* The same for the file at path (at most SHP_SECRET_CONFIG_MAX bytes). */
int shp_secret_config_load(struct shp_secret_config *c, const char *path, struct shp_error **err);
/* The file of the working directory, if there is one: trivy-secret.yaml, else .gitleaks.toml.
 * 1 read, 0 none, -1 and *err. */
int shp_secret_config_load_default(struct shp_secret_config *c, struct shp_error **err);
