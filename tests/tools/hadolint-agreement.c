/* hadolint-agreement.c - runs hadolint's own rule test cases (corpus hadolint/cases.jsonl)
 * through shipshape and measures per rule whether our alias fires where hadolint's does.
 * Fails below 95% agreement, or on a disagreement not listed (with its reason) in
 * tests/hadolint-disagreements.tsv. Skips (77) when the corpus is absent. */
#include "rules/lint.h"
#include "util/file.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tally {
	char rule[16];
	int total, agree;
};

static int excluded(const char *rule)
{
	/* The label-schema family needs a label schema configured; DL1001 is about pragmas. */
	if (!strcmp(rule, "DL1001"))
		return 1;
	if (!strncmp(rule, "DL30", 4) && strlen(rule) == 6) {
		int n = atoi(rule + 2);
		return n >= 3049 && n <= 3058 && n != 3057;
	}
	return 0;
}

/* "def { allowedRegistries = [\"a\", \"b\"] }" -> trusted registries */
static void apply_config(struct shp_config *cfg, const char *c)
{
	const char *p = strstr(c, "allowedRegistries");
	if (!p)
		return;
	p = strchr(p, '[');
	const char *end = p ? strchr(p, ']') : NULL;
	while (p && end && (p = strchr(p, '"')) && p < end) {
		const char *q = strchr(p + 1, '"');
		if (!q)
			break;
		SHP_PUSH(cfg->trusted, cfg->ntrusted, cfg->ctrusted, shp_xstrndup(p + 1, (size_t)(q - p - 1)));
		p = q + 1;
	}
}

int main(int argc, char **argv)
{
	char *text = NULL, *known = NULL;
	size_t len, klen = 0;
	struct shp_error *err = NULL;
	if (argc < 2 || shp_read_file(argv[1], 64u << 20, &text, &len, &err) < 0) {
		shp_error_free(err);
		printf("SKIP: %s not readable (../shared/corpus is absent on a fresh clone)\n",
		       argc > 1 ? argv[1] : "?");
		return 77;
	}
	if (argc > 2 && shp_read_file(argv[2], 1u << 20, &known, &klen, &err) < 0) {
		shp_error_free(err);
		err = NULL;
		known = NULL;
	}
	struct tally t[128];
	size_t nt = 0;
	int total = 0, agree = 0, unexpected = 0, listed = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		cJSON *j = cJSON_Parse(line);
		if (!j)
			continue;
		const char *rule = cJSON_GetStringValue(cJSON_GetObjectItem(j, "rule"));
		const char *df = cJSON_GetStringValue(cJSON_GetObjectItem(j, "dockerfile"));
		const char *expect = cJSON_GetStringValue(cJSON_GetObjectItem(j, "expect"));
		const char *source = cJSON_GetStringValue(cJSON_GetObjectItem(j, "source"));
		const char *config = cJSON_GetStringValue(cJSON_GetObjectItem(j, "config"));
		int onbuild = cJSON_IsTrue(cJSON_GetObjectItem(j, "onbuild"));
		if (!rule || !df || !expect || strncmp(rule, "DL", 2) || strchr(rule, '\n') || excluded(rule) ||
		    !shp_rule_find(rule)) {
			cJSON_Delete(j);
			continue;
		}
		struct shp_config cfg = {.fail_on = SHP_SEV_NONE};
		if (config)
			apply_config(&cfg, config);
		struct shp_findings f = {0};
		int fired = 0, perr = 0;
		if (shp_lint_buffer("Dockerfile", df, strlen(df), &cfg, &f, &err) < 0) {
			perr = 1;
			shp_error_free(err);
			err = NULL;
		}
		for (size_t i = 0; i < f.n; i++)
			if (shp_rule_matches(f.v[i].rule, rule))
				fired = 1;
		int want = !strcmp(expect, "catches");
		int ok = fired == want;
		size_t k;
		for (k = 0; k < nt && strcmp(t[k].rule, rule); k++)
			;
		if (k == nt && nt < 128) {
			snprintf(t[nt].rule, sizeof t[nt].rule, "%s", rule);
			t[nt].total = t[nt].agree = 0;
			nt++;
		}
		if (k < nt) {
			t[k].total++;
			t[k].agree += ok;
		}
		total++;
		agree += ok;
		if (!ok) {
			char key[256];
			snprintf(key, sizeof key, "%s\t%s%s\t", rule, source ? source : "?", onbuild ? "+onbuild" : "");
			int is_listed = known && strstr(known, key);
			listed += is_listed;
			unexpected += !is_listed;
			printf("%s %s%s: hadolint %s, shipshape %s%s [%s]\n", is_listed ? "known   " : "UNLISTED", rule,
			       onbuild ? " (onbuild)" : "", want ? "fires" : "is quiet", fired ? "fires" : "is quiet",
			       perr ? " (parse error)" : "", source ? source : "?");
		}
		shp_findings_free(&f);
		shp_config_free(&cfg);
		cJSON_Delete(j);
	}
	printf("\nper rule (agree/total):\n");
	for (size_t k = 0; k < nt; k++)
		printf("  %s %d/%d%s", t[k].rule, t[k].agree, t[k].total, (k + 1) % 6 ? "" : "\n");
	double pct = total ? 100.0 * agree / total : 0;
	printf("\nhadolint agreement: %d/%d cases = %.1f%% over %zu rules (%d known disagreements, %d unlisted)\n",
	       agree, total, pct, nt, listed, unexpected);
	free(text);
	free(known);
	return pct >= 95.0 && !unexpected ? 0 : 1;
}
