/* secrets-corpus.c - the content scanner against other scanners' samples: gitleaks' per-rule
 * true and false positives (../shared/corpus/secrets/gitleaks-rule-samples.jsonl), every rule.
 * A true positive must yield a finding, a false positive none. Prints agreement per rule, the
 * misses and the figures; fails below the floors or on a regression. Exit 77 (skip) when the
 * corpus is absent. */
#include "secrets/scan.h"
#include "util/file.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The floors: true positives found, false positives reported, over all samples (in tenths
 * of a percent): issue 24's 95% and 3%. */
#define TP_FLOOR 950
#define FP_CEILING 30

/* Disagreements on purpose, with the reason. */
static const struct {
	const char *rule;
	int tp;		    /* the kind of sample: 1 a true positive we do not report, 0 a false one we do */
	const char *sample; /* a part of the samples meant (NULL: all of the rule's) */
	const char *why;
} on_purpose[] = {
	/* gitleaks lists real, well-formed Google API keys as false positives because its
	 * allowlist knows them as published browser keys; we report every well-formed key (a
	 * key in an image is worth a look whoever published it). */
	{"gcp-api-key", 0, NULL, "published browser keys are reported"},
	/* a value that spells EXAMPLE is a documentation placeholder to us (AWS's own examples) */
	{"aws-amazon-bedrock-api-key-long-lived", 1, "EXAMPLE", "EXAMPLE placeholders are quiet"},
	/* the key file's "type" field alone is no secret: the private key inside it is found */
	{"gcp-service-account", 1, "\"type\"", "the key is found, not the type field"},
	/* a well-formed admin key filed as the plain key's false positive: our admin rule finds it */
	{"anthropic-api-key", 0, "sk-ant-admin01-", "the admin key is reported as one"},
	/* a JWT is reported wherever it is, also after a wrong "Basic" */
	{"curl-auth-header", 0, "Basic eyJ", "a JWT is reported wherever it is"},
	/* a header on the line after a curl command that does not continue to it (no "\" at the
	 * end) is another command's */
	{"curl-auth-header", 1, "octopus.corp.net/\n", "a line the command does not continue to"},
};

static int deliberate(const char *rule, int tp, const char *sample)
{
	for (size_t i = 0; i < sizeof on_purpose / sizeof on_purpose[0]; i++)
		if (on_purpose[i].tp == tp && !strcmp(rule, on_purpose[i].rule) &&
		    (!on_purpose[i].sample || strstr(sample, on_purpose[i].sample)))
			return 1;
	return 0;
}

static void count(void *arg, int kind, size_t start, size_t end)
{
	(void)kind, (void)start, (void)end;
	(*(size_t *)arg)++;
}

/* Whether s is some rule's true positive: a sample gitleaks files as one rule's false positive
 * but another's true one (an admin key under the plain key's rule) is a secret all the same. */
static int any_tp(cJSON **all, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++) {
		const cJSON *t;
		cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(all[i], "tps"))
		{
			if (cJSON_IsString(t) && !strcmp(t->valuestring, s))
				return 1;
		}
	}
	return 0;
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
	cJSON *all[1024];
	size_t nall = 0;
	for (char *line = strtok(text, "\n"); line && nall < 1024; line = strtok(NULL, "\n"))
		if ((all[nall] = cJSON_Parse(line)))
			nall++;
	size_t tp_found = 0, tp_total = 0, fp_reported = 0, fp_total = 0;
	for (size_t r = 0; r < nall; r++) {
		const cJSON *rule = cJSON_GetObjectItemCaseSensitive(all[r], "rule");
		if (!cJSON_IsString(rule))
			continue;
		size_t ra = 0, rt = 0;
		for (int tp = 1; tp >= 0; tp--) {
			const cJSON *s;
			cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(all[r], tp ? "tps" : "fps"))
			{
				if (!cJSON_IsString(s) || deliberate(rule->valuestring, tp, s->valuestring) ||
				    (!tp && any_tp(all, nall, s->valuestring)))
					continue;
				size_t n = 0;
				shp_secrets_scan(s->valuestring, strlen(s->valuestring), NULL, count, &n);
				int ok = tp ? n > 0 : n == 0;
				rt++;
				ra += ok;
				if (tp) {
					tp_total++;
					tp_found += ok;
				} else {
					fp_total++;
					fp_reported += !ok;
				}
				if (!ok)
					printf("  miss %s %s: %.100s\n", rule->valuestring, tp ? "tp" : "fp",
					       s->valuestring);
			}
		}
		if (rt)
			printf("%-45s %zu/%zu\n", rule->valuestring, ra, rt);
	}
	for (size_t r = 0; r < nall; r++)
		cJSON_Delete(all[r]);
	free(text);
	size_t nk;
	shp_secret_kinds(&nk);
	unsigned tp_pm = tp_total ? (unsigned)(1000 * tp_found / tp_total) : 0;
	unsigned fp_pm = fp_total ? (unsigned)(1000 * fp_reported / fp_total) : 1000;
	printf("gitleaks samples, %zu rules, %zu kinds of ours: true positives found %zu of %zu (%.1f%%), false "
	       "positives reported %zu of %zu (%.1f%%)\n",
	       nall, nk, tp_found, tp_total, tp_pm / 10.0, fp_reported, fp_total, fp_pm / 10.0);
	return tp_total >= 200 && tp_pm >= TP_FLOOR && fp_pm <= FP_CEILING ? 0 : 1;
}
