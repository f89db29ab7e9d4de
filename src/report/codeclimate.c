/* codeclimate.c - the Code Climate issue list GitLab reads as a Code Quality report
 * (artifacts:reports:codequality): a JSON array of issues, each with a description, the rule
 * as check_name, a severity of info/minor/major/critical/blocker, the place, and a fingerprint
 * that stays the same while the finding does (rule, file, place, layer, path, message). */
#include "report/report.h"
#include "util/digest.h"

#include <string.h>

static const char *cc_severity(enum shp_severity s)
{
	static const char *const v[] = {"info", "minor", "major", "critical", "blocker", "info"};
	return v[s];
}

static void cc_begin(struct shp_buf *out, const struct shp_report_opts *o)
{
	(void)o;
	shp_buf_puts(out, "[\n");
}

static void cc_items(struct shp_buf *out, const struct shp_finding *v, size_t count, const struct shp_report_opts *o)
{
	(void)o;
	for (size_t i = 0; i < count; i++) {
		const struct shp_finding *x = &v[i];
		const char *path = shp_report_relpath(x->file);
		struct shp_buf key = {0};
		shp_buf_printf(&key, "%s\n%s\n%d:%d\n%d\n%s\n%s", x->rule->id, path, x->line, x->col, x->layer,
			       x->path ? x->path : "", x->message);
		char fp[72];
		shp_sha256_buf(key.data, key.len, fp);
		shp_buf_free(&key);
		if (i)
			shp_buf_puts(out, ",\n");
		shp_buf_puts(out, "{\"type\":\"issue\",\"engine_name\":\"shipshape\",\"check_name\":");
		shp_buf_json_str(out, x->rule->id);
		shp_buf_puts(out, ",\"description\":");
		struct shp_buf d = {0};
		shp_report_message(&d, x);
		shp_buf_json_str(out, d.data);
		shp_buf_free(&d);
		/* the body: the evidence (secrets already redacted) and the fix */
		struct shp_buf body = {0};
		if (x->evidence)
			shp_buf_printf(&body, "Evidence: %s\n\n", x->evidence);
		shp_buf_printf(&body, "%s", x->rule->remediation);
		shp_buf_puts(out, ",\"content\":{\"body\":");
		shp_buf_json_str(out, body.data);
		shp_buf_free(&body);
		shp_buf_printf(out, "},\"categories\":[\"Security\"],\"severity\":\"%s\",\"fingerprint\":\"%s\"",
			       cc_severity(x->severity), fp + 7);
		shp_buf_puts(out, ",\"location\":{\"path\":");
		shp_buf_json_str(out, path);
		shp_buf_printf(out, ",\"lines\":{\"begin\":%d}}}", x->line > 0 ? x->line : 1);
	}
}

static void cc_end(struct shp_buf *out, const struct shp_report_summary *sum, const struct shp_report_opts *o)
{
	(void)sum;
	(void)o;
	shp_buf_puts(out, "\n]\n");
}

const struct shp_reporter shp_reporter_codeclimate = {cc_begin, cc_items, ",\n", cc_end};
