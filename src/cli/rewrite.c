/* rewrite.c - how fix and pin put a rewritten file out (see cli.h): a diff, stdout, or the
 * file written over in place as util/output.h puts a file in place. */
#include "cli/cli.h"
#include "policy/policy.h"
#include "util/diff.h"
#include "util/file.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int shp_cli_rewrite_opt(struct shp_rewrite *rw, int c)
{
	if (c == SHP_REWRITE_OPT_DIFF)
		rw->diff = 1;
	else if (c == SHP_REWRITE_OPT_STDOUT)
		rw->to_stdout = 1;
	else
		return 0;
	return 1;
}

int shp_cli_rewrite_check(const struct shp_rewrite *rw, const char *cmd, size_t nfiles, int stdin_in)
{
	if ((rw->diff && rw->to_stdout) || ((rw->to_stdout || stdin_in) && nfiles > 1)) {
		shp_cli_error("%s: --stdout and - take one file, and not with --diff", cmd);
		return -1;
	}
	return 0;
}

int shp_cli_rewrite_dry(const struct shp_rewrite *rw, const char *path)
{
	return rw->diff || rw->to_stdout || !strcmp(path, "-");
}

/* Writes text over the file path names (links followed), as util/output.h puts a file in
 * place: an interrupted write leaves the old file whole, and its owner, mode and hard links
 * stay. */
static int write_over(const char *path, const char *text, size_t len, struct shp_error **err)
{
	struct shp_outfile of;
	if (shp_outfile_open(&of, path, err) < 0)
		return -1;
	if (shp_write_all(of.fd, text, len) < 0) {
		shp_error_errno(err, errno, "%s: write failed", path);
		shp_outfile_abort(&of);
		return -1;
	}
	return shp_outfile_commit(&of, err);
}

int shp_cli_rewrite_out(const struct shp_rewrite *rw, const char *path, const char *name, const char *old,
			size_t oldlen, const char *text, size_t len, struct shp_buf *diff, struct shp_error **err)
{
	if (rw->diff) {
		shp_diff_unified(diff, name, old, oldlen, text, len);
		return 0;
	}
	if (rw->to_stdout || !strcmp(path, "-")) {
		if (fwrite(text, 1, len, stdout) != len || fflush(stdout))
			return shp_error_set(err, SHP_EXIT_INPUT, "<stdout>: write failed");
		return 0;
	}
	if (len == oldlen && !memcmp(text, old, len))
		return 0;
	return write_over(path, text, len, err);
}

int shp_cli_rewrite_finish(const struct shp_rewrite *rw, int to_stdout, struct shp_cli_opts *o, struct shp_findings *f,
			   struct shp_buf *diff, size_t changed, struct shp_report_opts ro, int bad)
{
	int rc;
	if (rw->diff) {
		shp_findings_free(f);
		rc = shp_cli_write(o, diff, changed);
	} else if (to_stdout) {
		shp_policy_apply(&o->cfg, f);
		size_t failing = 0;
		for (size_t i = 0; i < f->n; i++)
			failing += shp_severity_fails(f->v[i].severity, o->fail_on);
		shp_findings_free(f);
		rc = failing ? SHP_EXIT_FINDINGS : SHP_EXIT_OK;
	} else {
		shp_findings_sort(f);
		rc = shp_cli_report(o, f, ro);
		shp_findings_free(f);
	}
	if (bad)
		rc = SHP_EXIT_INPUT;
	shp_cli_opts_free(o);
	return rc;
}
