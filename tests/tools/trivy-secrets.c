/* trivy-secrets.c - the scanner against Trivy's secret scanner's own test cases
 * (../shared/corpus/secrets/trivy-secret-scanner-expectations.json): each case's input file,
 * scanned with its trivy-secret.yaml, must yield a finding at each line Trivy expects one,
 * and a case that expects none must yield none. Trivy's rule ids are not ours, so findings
 * are compared by line. Prints the agreement per case and the total; fails under 95% of the
 * expected findings, or on a finding in a case that expects none. Disagreements on purpose
 * are listed in argv[2] ("case name<TAB>line<TAB>why"; line 0: the case's extra findings).
 * Exit 77 (skip) when the corpus is absent. */
#include "secrets/config.h"
#include "secrets/scan.h"
#include "util/file.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define FLOOR 950 /* tenths of a percent */
#define MAX_FOUND 64

struct found {
	const char *text;
	unsigned line[MAX_FOUND];
	size_t n;
};

static void on_secret(void *arg, int kind, size_t start, size_t end)
{
	(void)kind, (void)end;
	struct found *f = arg;
	unsigned line = 1;
	for (size_t i = 0; i < start; i++)
		line += f->text[i] == '\n';
	if (f->n < MAX_FOUND)
		f->line[f->n++] = line;
}

/* In a child (the configuration is once a process): the lines of the findings in input,
 * scanned under the path Trivy's test gives it, with config; written to fd. */
static void scan_case(const char *dir, const char *config, const char *input, int fd)
{
	struct shp_error *err = NULL;
	char path[8192 + 16];
	if (config && *config) {
		struct shp_secret_config c;
		snprintf(path, sizeof path, "%s/%s", dir, config);
		if (shp_secret_config_load(&c, path, &err) < 0 || shp_secrets_configure(&c, &err) < 0) {
			dprintf(fd, "error %s\n", err->msg);
			_exit(1);
		}
		shp_secret_config_free(&c);
	}
	char *text = NULL;
	size_t len;
	snprintf(path, sizeof path, "%s/%s", dir, input);
	if (shp_read_file(path, SHP_MAX_TEXT_FILE, &text, &len, &err) < 0) {
		dprintf(fd, "error %s\n", err->msg);
		_exit(1);
	}
	struct found f = {.text = text};
	shp_secrets_scan(text, len, input, on_secret, &f);
	for (size_t i = 0; i < f.n; i++)
		dprintf(fd, "%u\n", f.line[i]);
	_exit(0);
}

static size_t run_case(const char *dir, const char *config, const char *input, unsigned *lines, char *msg,
		       size_t msgsize)
{
	int p[2];
	if (pipe(p) < 0)
		exit(2);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		scan_case(dir, config, input, p[1]);
	}
	close(p[1]);
	FILE *in = fdopen(p[0], "r");
	char buf[1024];
	size_t n = 0;
	msg[0] = 0;
	while (fgets(buf, sizeof buf, in))
		if (!strncmp(buf, "error ", 6))
			snprintf(msg, msgsize, "%s", buf + 6);
		else if (n < MAX_FOUND)
			lines[n++] = (unsigned)atoi(buf);
	fclose(in);
	waitpid(pid, NULL, 0);
	return n;
}

/* Whether the list says line of case name is a disagreement: 1 on purpose, 2 a gap. */
static int deliberate(const char *list, const char *name, unsigned line)
{
	char want[512];
	snprintf(want, sizeof want, "%s\t%u\t", name, line);
	for (const char *p = list; p && *p;) {
		if (*p != '#' && !strncmp(p, want, strlen(want)))
			return strncmp(p + strlen(want), "Gap:", 4) ? 1 : 2;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	char *text = NULL, *list = NULL;
	size_t len, llen;
	struct shp_error *err = NULL;
	if (shp_read_file(argv[1], SHP_MAX_TEXT_FILE, &text, &len, &err) < 0) {
		printf("SKIP: %s (the shared corpus is absent)\n", err->msg);
		shp_error_free(err);
		return 77;
	}
	if (shp_read_file(argv[2], SHP_MAX_TEXT_FILE, &list, &llen, &err) < 0) {
		printf("%s\n", err->msg);
		return 1;
	}
	/* the cases' paths are relative to Trivy's package directory */
	char dir[4096];
	snprintf(dir, sizeof dir, "%.*s/trivy/pkg/fanal/secret", (int)(strrchr(argv[1], '/') - argv[1]), argv[1]);
	cJSON *cases = cJSON_Parse(text);
	size_t want_total = 0, want_found = 0, clean = 0, clean_quiet = 0, skipped = 0, gaps = 0;
	int bad_clean = 0;
	const cJSON *c;
	cJSON_ArrayForEach(c, cases)
	{
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "name"));
		const char *config = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "config"));
		const char *input = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "input"));
		const cJSON *want = cJSON_GetObjectItemCaseSensitive(c, "expected_findings");
		if (!name || !input)
			continue;
		unsigned lines[MAX_FOUND];
		char msg[1024];
		size_t n = run_case(dir, config, input, lines, msg, sizeof msg);
		if (msg[0]) {
			printf("%-70s error: %s", name, msg);
			bad_clean = 1;
			continue;
		}
		unsigned char used[MAX_FOUND] = {0};
		size_t w = 0, ok = 0;
		const cJSON *f;
		cJSON_ArrayForEach(f, want)
		{
			unsigned line =
				(unsigned)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(f, "StartLine"));
			int d = deliberate(list, name, line);
			if (d) {
				*(d == 1 ? &skipped : &gaps) += 1;
				continue;
			}
			w++;
			size_t k = 0;
			while (k < n && (used[k] || lines[k] != line))
				k++;
			if (k < n) {
				used[k] = 1;
				ok++;
			} else {
				printf("  miss: %s: line %u\n", name, line);
			}
		}
		want_total += w;
		want_found += ok;
		if (!cJSON_GetArraySize(want)) {
			clean++;
			if (n == 0 || deliberate(list, name, 0))
				clean_quiet++;
			else {
				bad_clean = 1;
				for (size_t k = 0; k < n; k++)
					printf("  extra: %s: line %u\n", name, lines[k]);
			}
		}
		printf("%-70s %zu/%zu%s\n", name, ok, w,
		       cJSON_GetArraySize(want)	   ? ""
		       : !n			   ? " (quiet)"
		       : deliberate(list, name, 0) ? " (not quiet, listed)"
						   : " (not quiet)");
	}
	cJSON_Delete(cases);
	free(text);
	free(list);
	unsigned pm = want_total ? (unsigned)(1000 * want_found / want_total) : 0;
	printf("Trivy's secret cases: expected findings found at their line %zu of %zu (%.1f%%), besides %zu not "
	       "found on purpose and %zu gaps of the built-in rules (all: %zu of %zu); clean cases quiet %zu of %zu\n",
	       want_found, want_total, pm / 10.0, skipped, gaps, want_found, want_total + skipped + gaps, clean_quiet,
	       clean);
	return want_total >= 40 && pm >= FLOOR && !bad_clean ? 0 : 1;
}
