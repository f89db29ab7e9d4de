/* corpus-parse.c - parses and lints every Dockerfile under a directory (the shared
 * corpus) and fails on any parser error. Skips (77) when the corpus is absent. */
#include "rules/lint.h"
#include "util/file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static size_t files, errors, findings;

static int any_but_index(const char *b) { return strcmp(b, "INDEX.tsv") != 0 && strcmp(b, "README.md") != 0; }

static int one(const char *path, void *arg)
{
	(void)arg;
	struct shp_error *err = NULL;
	char *text = NULL;
	size_t len;
	struct shp_findings f = {0};
	files++;
	if (shp_read_file(path, SHP_MAX_TEXT_FILE, &text, &len, &err) < 0 ||
	    shp_lint_buffer(path, text, len, NULL, &f, &err) < 0) {
		printf("PARSE ERROR %s\n", err->msg);
		errors++;
	}
	findings += f.n;
	shp_findings_free(&f);
	shp_error_free(err);
	free(text);
	return 0;
}

int main(int argc, char **argv)
{
	struct stat st;
	if (argc < 2 || stat(argv[1], &st) != 0) {
		printf("SKIP: corpus %s not found (../shared/corpus is absent on a fresh clone)\n",
		       argc > 1 ? argv[1] : "?");
		return 77;
	}
	struct shp_error *err = NULL;
	if (shp_walk_dir(argv[1], any_but_index, one, NULL, &err) < 0) {
		printf("%s\n", err->msg);
		return 1;
	}
	printf("corpus: %zu Dockerfiles, %zu parse errors, %zu findings\n", files, errors, findings);
	return errors || files == 0 ? 1 : 0;
}
