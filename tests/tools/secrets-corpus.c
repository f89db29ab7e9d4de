/* secrets-corpus.c - the content scanner against other scanners' samples: gitleaks' per-rule
 * true and false positives (../shared/corpus/secrets/gitleaks-rule-samples.jsonl) for the
 * kinds shipshape covers. A true positive must yield a finding, a false positive none.
 * Prints agreement per rule and the misses; fails below 95% or on any listed regression.
 * Exit 77 (skip) when the corpus is absent. */
#include "secrets/scan.h"
#include "util/file.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* gitleaks rules whose samples we judge (prefix match) */
static const char *const covered[] = {"aws-access-token", "azure-ad-client-secret",
				      "gcp-api-key",	  "github-",
				      "gitlab-",	  "jwt",
				      "private-key",	  "sidekiq-sensitive-url",
				      "slack-",		  "stripe-access-token",
				      "npm-access-token", "pypi-upload-token",
				      "openai-api-key"};

/* Disagreements on purpose: gitleaks lists real, well-formed Google API keys as false
 * positives because its allowlist knows them as published browser keys; we report every
 * well-formed key (a key in an image is worth a look whoever published it). */
static int on_purpose(const char *rule, int tp) { return !tp && !strcmp(rule, "gcp-api-key"); }

static void count(void *arg, int kind, size_t start, size_t end)
{
	(void)kind, (void)start, (void)end;
	(*(size_t *)arg)++;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	char *text = NULL;
	size_t len;
	struct shp_error *err = NULL;
	if (shp_read_file(argv[1], SHP_MAX_TEXT_FILE, &text, &len, &err) < 0) {
		printf("SKIP: %s (the shared corpus is absent)\n", err->msg);
		shp_error_free(err);
		return 77;
	}
	size_t agree = 0, total = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		cJSON *j = cJSON_Parse(line);
		const cJSON *rule = cJSON_GetObjectItemCaseSensitive(j, "rule");
		int take = 0;
		for (size_t i = 0; cJSON_IsString(rule) && i < sizeof covered / sizeof covered[0]; i++)
			if (!strncmp(rule->valuestring, covered[i], strlen(covered[i])))
				take = 1;
		if (take) {
			size_t ra = 0, rt = 0;
			for (int tp = 1; tp >= 0; tp--) {
				const cJSON *s;
				cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(j, tp ? "tps" : "fps"))
				{
					if (on_purpose(rule->valuestring, tp))
						continue;
					size_t n = 0;
					shp_secrets_scan(s->valuestring, strlen(s->valuestring), NULL, count, &n);
					int ok = tp ? n > 0 : n == 0;
					rt++;
					ra += ok;
					if (!ok)
						printf("  miss %s %s: %.100s\n", rule->valuestring, tp ? "tp" : "fp",
						       s->valuestring);
				}
			}
			if (rt)
				printf("%-45s %zu/%zu\n", rule->valuestring, ra, rt);
			agree += ra;
			total += rt;
		}
		cJSON_Delete(j);
	}
	free(text);
	double pct = total ? 100.0 * (double)agree / (double)total : 0;
	printf("gitleaks samples: %zu of %zu agree (%.1f%%)\n", agree, total, pct);
	return total >= 100 && pct >= 95.0 ? 0 : 1;
}
