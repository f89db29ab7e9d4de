/* cmd-slim.c - `shipshape slim IMAGE -o OUT`: a new image with only what the entrypoint
 * needs (slim/slim.h), and a report of what was kept, cleared, removed (packages, shells,
 * package managers, setuid files) and could not be seen, with the image rules' findings on
 * both images; text or JSON. OUT is a tarball, or docker://REF: the image pushed to a
 * registry. */
#include "cli/cli.h"
#include "image/image.h"
#include "image/reference.h"
#include "image/union.h"
#include "policy/policy.h"
#include "registry/registry.h"
#include "rules/image.h"
#include "slim/slim.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/note.h"
#include "util/size.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fputs("usage: shipshape slim [options] IMAGE -o OUT.tar|docker://REF\n\n"
	      "Makes a smaller, safer image without running it: only what the entrypoint and the\n"
	      "healthcheck reach is kept (their programs, the ELF loader and libraries those load, a\n"
	      "script's interpreter and the programs a shell script runs, the command an entrypoint\n"
	      "script hands over to with exec \"$@\", the files named on the command line, the paths a\n"
	      "program has compiled in and its configuration files name, and passwd, group, CA\n"
	      "certificates, time zone), in one layer with no setuid or setgid bits and no file\n"
	      "capabilities, run as a non-root user unless a kept program makes files where only root\n"
	      "may write. OUT is a docker-save tarball that is an OCI image layout too (docker load,\n"
	      "podman load, skopeo). The report says what was kept and removed (files, bytes,\n"
	      "packages by dpkg's and apk's file lists, shells, package managers, setuid files) and the\n"
	      "image rules' findings on both images.\n\n"
	      "options:\n"
	      "  -o, --output FILE    the image to write (a new file, or a regular file replaced;\n"
	      "                       -: stdout, as in shipshape slim IMG -o - | docker load)\n"
	      "  -o docker://[HOST[:PORT]/]NAME[:TAG]  push it to a registry instead (blobs the\n"
	      "                       repository has are skipped, those of a source image from the\n"
	      "                       same registry mounted); only docker:// pushes: any other OUT,\n"
	      "                       even one that looks like a reference, is a file\n"
	      "  -t, --tag NAME:TAG   its name in the tarball\n"
	      "      --include PATH   also keep PATH, everything below it and what that needs\n"
	      "                       (modules of interpreted programs, data files); repeatable\n"
	      "      --include-exe PROG  also keep a program (looked up on PATH) and what it loads;\n"
	      "                       repeatable\n"
	      "      --user USER      run as USER (default: the image's, or 65534:65534 if it ran as root\n"
	      "                       and nothing kept needs root)\n"
	      "      --static         do not run the image: keep only what static analysis finds\n"
	      "      --probe-http PORT[/PATH]  in the traced run, GET PATH (default /) on PORT once it\n"
	      "                       listens; repeatable (default: each EXPOSEd TCP port, and each\n"
	      "                       port the command listens on)\n"
	      "      --probe-cmd CMD  in the traced run, run CMD in the sandbox (sh -c when the image\n"
	      "                       has a shell), after the HTTP probes; repeatable\n"
	      "      --no-probe       no probes: the run ends when the command exits or the time passes\n"
	      "      --probe-time T   the longest a run takes, in seconds (default 30; 30s, 2m)\n"
	      "      --no-verify      do not run the slim image again with the same probes\n"
	      "      --dry-run        only say what would be kept\n"
	      "      --list           print the paths kept\n"
	      "  -f, --format FMT     the report's: text (default) or json\n"
	      "      --report FILE    write the report there (default: stdout; stderr with -o -)\n" SHP_IMAGE_HELP
	      "      --max-layer-bytes N  decompressed bytes allowed per layer (default 32G; K, M, G)\n"
	      "      --max-output-bytes N  bytes the image written may have (default 32G; K, M, G)\n"
	      "  -j, --jobs N         layers read in parallel (default: the number of cores)\n" SHP_QUIET_HELP,
	      f);
}

/* Where -o docker:// pushes, and what became of each blob (for the summary). */
struct push {
	struct shp_docker_ref to;
	char *from_repo; /* the source image's repository when it is on the same registry */
	struct shp_registry_opts ro;
	enum shp_push_how layer_how, config_how;
};

static int publish(void *arg, const struct shp_slim_image *im, struct shp_error **err)
{
	struct push *p = arg;
	struct shp_registry *r = shp_registry_new(&p->to, &p->ro);
	struct shp_push_blob layer = {.digest = im->layer_digest, .size = im->layer_bytes, .fd = im->layer_fd};
	struct shp_push_blob config = {
		.digest = im->config_digest, .size = im->config_len, .data = im->config, .fd = -1};
	int rc = -1;
	if (shp_registry_blob_push(r, &layer, p->from_repo, &p->layer_how, err) < 0 ||
	    shp_registry_blob_push(r, &config, p->from_repo, &p->config_how, err) < 0 ||
	    shp_registry_manifest_put(r, p->to.tag, im->manifest_media_type, im->manifest, im->manifest_len, err) < 0)
		goto out;
	rc = 0;
out:
	shp_registry_free(r);
	return rc;
}

/* The source's repository when the source is docker:// on the registry pushed to: its
 * blobs can be mounted rather than uploaded. */
static char *same_registry_repo(const char *input, const struct shp_docker_ref *to)
{
	if (strncmp(input, "docker://", 9))
		return NULL;
	struct shp_docker_ref from;
	struct shp_error *e = NULL;
	if (shp_docker_ref_parse(input + 9, &from, &e) < 0) {
		shp_error_free(e);
		return NULL;
	}
	char *repo = !strcmp(from.host, to->host) ? shp_xstrdup(from.repo) : NULL;
	shp_docker_ref_free(&from);
	return repo;
}

/* The image rules' findings of one image, by severity, after the policy (ignores). */
struct counts {
	int known; /* the image was read */
	size_t by[SHP_SEV_NONE];
	size_t total;
};

static void count_findings(const struct shp_image *img, const struct shp_union *u, const struct shp_config *cfg,
			   struct counts *c, struct shp_findings *f)
{
	shp_image_check(img, u, cfg, f);
	shp_policy_apply(cfg, f);
	*c = (struct counts){.known = 1};
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].severity < SHP_SEV_NONE) {
			c->by[f->v[i].severity]++;
			c->total++;
		}
}

/* "2 medium, 3 low" (or "none") */
static void counts_text(struct shp_buf *b, const struct counts *c)
{
	if (!c->total) {
		shp_buf_puts(b, "none");
		return;
	}
	int first = 1;
	for (int sev = SHP_SEV_CRITICAL; sev >= SHP_SEV_INFO; sev--)
		if (c->by[sev]) {
			shp_buf_printf(b, "%s%zu %s", first ? "" : ", ", c->by[sev], shp_severity_name(sev));
			first = 0;
		}
}

/* What the report says besides the slim result. */
struct report_in {
	const char *input;
	const struct shp_slim_opts *so;
	const struct shp_slim_result *r;
	const struct push *push;
	struct counts before, after;
	struct shp_findings after_findings; /* the image rules' on the slim image */
	const char *after_why;		    /* why the findings after are not known */
};

/* The removed and kept ones of a list, as "/usr/bin/bash removed, /usr/bin/sh kept". */
static void found_text(FILE *out, const char *label, const struct shp_slim_found *v, size_t n, int setid)
{
	struct shp_buf b = {0};
	for (size_t i = 0; i < n; i++) {
		shp_buf_puts(&b, i ? ", " : "");
		shp_buf_puts(&b, v[i].path); /* shp_cli_line escapes the line */
		shp_buf_puts(&b, v[i].kept ? (setid ? " kept (bits cleared)" : " kept") : " removed");
	}
	shp_cli_line(out, "  %-11s %s", label, n ? b.data : "none");
	shp_buf_free(&b);
}

/* "GET :8080/ 200 (52 bytes)", "sh -c 'x' exited with 0" */
static void probe_text(struct shp_buf *b, const struct shp_probe *p)
{
	if (p->cmd) {
		if (p->ran)
			shp_buf_printf(b, "%s: exited with %d (%llu bytes of output)", p->cmd, p->status,
				       (unsigned long long)p->bytes);
		else
			shp_buf_printf(b, "%s: did not run", p->cmd);
	} else if (!p->ran)
		shp_buf_printf(b, "GET :%u%s: nothing listened", p->port, p->path ? p->path : "/");
	else if (!p->status)
		shp_buf_printf(b, "GET :%u%s: no answer", p->port, p->path ? p->path : "/");
	else
		shp_buf_printf(b, "GET :%u%s: %d (%llu bytes)", p->port, p->path ? p->path : "/", p->status,
			       (unsigned long long)p->bytes);
	if (p->found)
		shp_buf_puts(b, ", a port it listened on");
}

static const char *run_text(const struct shp_sandbox_result *r, char *buf, size_t size)
{
	if (!r->started)
		snprintf(buf, size, "did not start");
	else if (r->proc_limit)
		snprintf(buf, size, "made more than %u processes and was killed", SHP_SANDBOX_MAX_PROCS);
	else if (r->path_limit)
		snprintf(buf, size, "named more paths than the sandbox records and was killed");
	else if (r->exited)
		snprintf(buf, size, "exited with %d", r->exit_code);
	else
		snprintf(buf, size, "ran until the end%s", r->timed_out ? " of the probe time" : " of the probes");
	return buf;
}

/* The traced run, its probes and the verification. */
static void trace_text(FILE *out, const struct shp_slim_result *r)
{
	char how[128];
	shp_cli_line(out, "  traced      %zu paths, %u process(es); the command %s", r->run.npaths, r->run.procs,
		     run_text(&r->run, how, sizeof how));
	for (size_t i = 0; i < r->run.nprobes; i++) {
		struct shp_buf b = {0};
		probe_text(&b, &r->run.probes[i]);
		shp_cli_line(out, "  probe       %s", b.data);
		shp_buf_free(&b);
	}
	if (r->verified == 1)
		shp_cli_line(out,
			     "  verified    the slim image's run gave the same results (%zu probe(s); the command %s)",
			     r->check.nprobes, run_text(&r->check, how, sizeof how));
	for (size_t i = 0; i < r->ndiffer; i++)
		shp_cli_line(out, "  DIFFERS     %s", r->differ[i]);
	for (size_t i = 0; i < r->nmissed; i++)
		shp_cli_line(out, "  missed      %s (the slim image's run looked for it)", r->missed[i]);
	/* why it failed, in its own words */
	if (r->run.output_len && (!r->run.started || (r->run.exited && r->run.exit_code != 0))) {
		int n = (int)r->run.output_len;
		while (n && (r->run.output[n - 1] == '\n' || r->run.output[n - 1] == '\r'))
			n--;
		shp_cli_line(out, "  output      %.*s", n, r->run.output);
	}
}

static void report_text(FILE *out, const struct report_in *ri)
{
	const struct shp_slim_opts *so = ri->so;
	const struct shp_slim_result *r = ri->r;
	const struct push *push = ri->push;
	char in[32], kept[32];
	shp_size_human(in, sizeof in, r->bytes_in);
	shp_size_human(kept, sizeof kept, r->bytes_kept);
	shp_cli_line(out, "%s -> %s", ri->input,
		     so->dry_run			? "(dry run)"
		     : shp_output_is_stdout(so->output) ? "<stdout>"
							: so->output);
	shp_cli_line(out, "  entrypoint  %s", r->entrypoint ? r->entrypoint : "(none)");
	shp_cli_line(out, "  kept        %zu of %zu files, %s of %s (%.1f%%)", r->files_kept, r->files_in, kept, in,
		     r->bytes_in ? 100.0 * (double)r->bytes_kept / (double)r->bytes_in : 0.0);
	if (strcmp(r->user, r->was_user))
		shp_cli_line(out, "  user        %s (was %s)", r->user, r->was_user[0] ? r->was_user : "root");
	else
		shp_cli_line(out, "  user        %s", r->user);
	if (!so->dry_run) {
		if (r->setid_cleared || r->caps_dropped)
			shp_cli_line(out, "  cleared     %zu setuid/setgid bit(s), %zu file capability set(s)",
				     r->setid_cleared, r->caps_dropped);
		shp_cli_line(out, "  image       %s (layer %s)", r->manifest_digest, r->layer_digest);
	}
	if (push && !so->dry_run) {
		shp_cli_line(out, "  layer       %s%s%s", shp_push_how_name(push->layer_how),
			     push->layer_how == SHP_PUSH_MOUNTED ? " from " : "",
			     push->layer_how == SHP_PUSH_MOUNTED ? push->from_repo : "");
		shp_cli_line(out, "  config      %s%s%s", shp_push_how_name(push->config_how),
			     push->config_how == SHP_PUSH_MOUNTED ? " from " : "",
			     push->config_how == SHP_PUSH_MOUNTED ? push->from_repo : "");
	}
	if (r->npkgs) {
		size_t gone = 0, part = 0;
		struct shp_buf rm = {0}, pk = {0};
		for (size_t i = 0; i < r->npkgs; i++) {
			const struct shp_slim_pkg *p = &r->pkgs[i];
			if (!p->kept) {
				shp_buf_puts(&rm, gone++ ? ", " : "");
				shp_buf_puts(&rm, p->name);
			} else if (p->kept < p->files) {
				shp_buf_puts(&pk, part++ ? ", " : "");
				shp_buf_puts(&pk, p->name);
				shp_buf_printf(&pk, " (%zu of %zu files)", p->kept, p->files);
			}
		}
		shp_cli_line(out, "  packages    %zu removed, %zu partly kept, %zu kept whole (of %zu)", gone, part,
			     r->npkgs - gone - part, r->npkgs);
		if (gone)
			shp_cli_line(out, "  removed     %s", rm.data);
		if (part)
			shp_cli_line(out, "  partly kept %s", pk.data);
		shp_buf_free(&rm);
		shp_buf_free(&pk);
	}
	if (r->traced)
		trace_text(out, r);
	found_text(out, "shells", r->shells, r->nshells, 0);
	found_text(out, "pkg mgrs", r->package_managers, r->npackage_managers, 0);
	found_text(out, "setuid", r->setid, r->nsetid, 1);
	struct shp_buf b = {0};
	shp_buf_puts(&b, "before ");
	counts_text(&b, &ri->before);
	shp_buf_puts(&b, "; after ");
	if (ri->after.known)
		counts_text(&b, &ri->after);
	else
		shp_buf_printf(&b, "not counted (%s)", ri->after_why);
	shp_cli_line(out, "  findings    %s (the image rules)", b.data);
	shp_buf_free(&b);
	for (size_t i = 0; i < r->nnotes; i++)
		shp_cli_line(out, "  note        %s", r->notes[i]);
}

static void json_str_or_null(struct shp_buf *b, const char *v)
{
	if (v)
		shp_buf_json_str(b, v);
	else
		shp_buf_puts(b, "null");
}

static void found_json(struct shp_buf *b, const char *key, const struct shp_slim_found *v, size_t n)
{
	shp_buf_printf(b, ",\"%s\":[", key);
	for (size_t i = 0; i < n; i++) {
		shp_buf_puts(b, i ? ",{\"path\":" : "{\"path\":");
		shp_buf_json_str(b, v[i].path);
		shp_buf_printf(b, ",\"mode\":\"%04o\",\"kept\":%s}", v[i].mode & 07777, v[i].kept ? "true" : "false");
	}
	shp_buf_putc(b, ']');
}

static void counts_json(struct shp_buf *b, const struct counts *c)
{
	if (!c->known) {
		shp_buf_puts(b, "null");
		return;
	}
	shp_buf_putc(b, '{');
	for (int sev = SHP_SEV_CRITICAL; sev >= SHP_SEV_INFO; sev--)
		shp_buf_printf(b, "\"%s\":%zu,", shp_severity_name(sev), c->by[sev]);
	shp_buf_printf(b, "\"total\":%zu}", c->total);
}

static void probes_json(struct shp_buf *b, const struct shp_probe *v, size_t n)
{
	shp_buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		const struct shp_probe *p = &v[i];
		shp_buf_puts(b, i ? "," : "");
		if (p->cmd) {
			shp_buf_puts(b, "{\"kind\":\"command\",\"command\":");
			shp_buf_json_str(b, p->cmd);
			shp_buf_printf(b, ",\"ran\":%s,\"exit_code\":", p->ran ? "true" : "false");
			if (p->ran)
				shp_buf_printf(b, "%d", p->status);
			else
				shp_buf_puts(b, "null");
			shp_buf_printf(b, ",\"bytes\":%llu}", (unsigned long long)p->bytes);
			continue;
		}
		shp_buf_printf(b, "{\"kind\":\"http\",\"port\":%u,\"path\":", p->port);
		shp_buf_json_str(b, p->path ? p->path : "/");
		shp_buf_printf(b, ",\"found\":%s,\"ran\":%s,\"status\":%d,\"bytes\":%llu}", p->found ? "true" : "false",
			       p->ran ? "true" : "false", p->status, (unsigned long long)p->bytes);
	}
	shp_buf_putc(b, ']');
}

static void run_json(struct shp_buf *b, const struct shp_sandbox_result *r)
{
	shp_buf_printf(b, "{\"started\":%s,\"exited\":%s,\"exit_code\":", r->started ? "true" : "false",
		       r->exited ? "true" : "false");
	if (r->exited)
		shp_buf_printf(b, "%d", r->exit_code);
	else
		shp_buf_puts(b, "null");
	shp_buf_printf(b, ",\"timed_out\":%s,\"process_limit\":%s,\"path_limit\":%s,\"processes\":%u,\"probes\":",
		       r->timed_out ? "true" : "false", r->proc_limit ? "true" : "false",
		       r->path_limit ? "true" : "false", r->procs);
	probes_json(b, r->probes, r->nprobes);
	shp_buf_puts(b, ",\"output\":");
	shp_buf_json_str(b, r->output);
	shp_buf_putc(b, '}');
}

static void strings_json(struct shp_buf *b, char *const *v, size_t n)
{
	shp_buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		shp_buf_puts(b, i ? "," : "");
		shp_buf_json_str(b, v[i]);
	}
	shp_buf_putc(b, ']');
}

/* The "trace" member: the traced run, what it touched, and the verification. */
static void trace_json(struct shp_buf *b, const struct shp_slim_result *r)
{
	if (!r->traced) {
		shp_buf_puts(b, "null");
		return;
	}
	shp_buf_puts(b, "{\"run\":");
	run_json(b, &r->run);
	shp_buf_printf(b, ",\"one_user_id\":%s,\"root_needed_because\":", r->run.one_id ? "true" : "false");
	json_str_or_null(b, r->run.root_why);
	shp_buf_puts(b, ",\"touched\":");
	strings_json(b, r->run.paths, r->run.npaths);
	shp_buf_puts(b, ",\"written\":");
	strings_json(b, r->run.wrote, r->run.nwrote);
	shp_buf_puts(b, ",\"verification\":");
	if (r->verified < 0)
		shp_buf_puts(b, "null");
	else {
		shp_buf_printf(b, "{\"same\":%s,\"run\":", r->verified ? "true" : "false");
		run_json(b, &r->check);
		shp_buf_puts(b, ",\"differences\":");
		strings_json(b, r->differ, r->ndiffer);
		shp_buf_puts(b, ",\"missed\":");
		strings_json(b, r->missed, r->nmissed);
		shp_buf_putc(b, '}');
	}
	shp_buf_putc(b, '}');
}

/* The "slim" member of the JSON report (docs/json-schema.json, "slim"). */
static void slim_json(struct shp_buf *b, const void *ctx)
{
	const struct report_in *ri = ctx;
	const struct shp_slim_opts *so = ri->so;
	const struct shp_slim_result *r = ri->r;
	shp_buf_puts(b, "\"slim\":{\"input\":");
	shp_buf_json_str(b, ri->input);
	shp_buf_puts(b, ",\"output\":");
	json_str_or_null(b, so->dry_run ? NULL : so->output);
	shp_buf_printf(b, ",\"dry_run\":%s,\"entrypoint\":", so->dry_run ? "true" : "false");
	json_str_or_null(b, r->entrypoint);
	shp_buf_puts(b, ",\"user\":");
	shp_buf_json_str(b, r->user);
	shp_buf_puts(b, ",\"was_user\":");
	shp_buf_json_str(b, r->was_user);
	shp_buf_printf(b,
		       ",\"files\":{\"before\":%zu,\"after\":%zu},\"bytes\":{\"before\":%llu,\"after\":%llu},"
		       "\"cleared\":{\"setid\":%zu,\"capabilities\":%zu},\"image\":",
		       r->files_in, r->files_kept, (unsigned long long)r->bytes_in, (unsigned long long)r->bytes_kept,
		       r->setid_cleared, r->caps_dropped);
	if (so->dry_run)
		shp_buf_puts(b, "null");
	else
		shp_buf_printf(b,
			       "{\"manifest_digest\":\"%s\",\"config_digest\":\"%s\",\"layer_digest\":\"%s\","
			       "\"layer_bytes\":%llu}",
			       r->manifest_digest, r->config_digest, r->layer_digest,
			       (unsigned long long)r->layer_bytes);
	shp_buf_puts(b, ",\"packages\":[");
	for (size_t i = 0; i < r->npkgs; i++) {
		const struct shp_slim_pkg *p = &r->pkgs[i];
		shp_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
		shp_buf_json_str(b, p->name);
		const char *status = !p->kept ? "removed" : p->kept < p->files ? "partly-kept" : "kept";
		shp_buf_printf(b,
			       ",\"type\":\"%s\",\"status\":\"%s\",\"files\":%zu,\"files_kept\":%zu,\"bytes\":%llu,"
			       "\"bytes_kept\":%llu}",
			       p->type, status, p->files, p->kept, (unsigned long long)p->bytes,
			       (unsigned long long)p->bytes_kept);
	}
	shp_buf_putc(b, ']');
	found_json(b, "shells", r->shells, r->nshells);
	found_json(b, "package_managers", r->package_managers, r->npackage_managers);
	found_json(b, "setid", r->setid, r->nsetid);
	shp_buf_puts(b, ",\"image_findings\":{\"before\":");
	counts_json(b, &ri->before);
	shp_buf_puts(b, ",\"after\":");
	counts_json(b, &ri->after);
	shp_buf_puts(b, ",\"after_unknown_because\":");
	json_str_or_null(b, ri->after.known ? NULL : ri->after_why);
	shp_buf_puts(b, "},\"trace\":");
	trace_json(b, r);
	shp_buf_puts(b, ",\"notes\":[");
	for (size_t i = 0; i < r->nnotes; i++) {
		shp_buf_puts(b, i ? "," : "");
		shp_buf_json_str(b, r->notes[i]);
	}
	shp_buf_puts(b, "]}");
}

/* The JSON report: the findings are the image rules' on the slim image (none when it was not
 * read back), and "slim" says what slim did. */
static void report_json(struct shp_buf *b, struct report_in *ri)
{
	shp_report(b, SHP_FMT_JSON, &ri->after_findings,
		   &(struct shp_report_opts){.fail_on = SHP_SEV_NONE,
					     .files = ri->after.known ? 1 : 0,
					     .command = "slim",
					     .extra_fn = slim_json,
					     .extra_ctx = ri});
}

/* What the report is and where it goes. */
struct report_opts {
	int json;		      /* -f json */
	const char *path;	      /* --report FILE, or NULL */
	int list;		      /* --list: the kept paths after the text */
	const struct shp_config *cfg; /* what the image rules are run with */
};

static int run(const char *input, struct shp_slim_opts *o, struct shp_image_opts *iop, struct report_opts *ro,
	       struct push *pushing);

int shp_cmd_slim(int argc, char **argv)
{
	enum {
		OPT_INCLUDE = 2001,
		OPT_INCLUDE_EXE,
		OPT_USER,
		OPT_DRY,
		OPT_LIST,
		OPT_MAXB,
		OPT_MAXOUT,
		OPT_REPORT,
		OPT_STATIC,
		OPT_PROBE_HTTP,
		OPT_PROBE_CMD,
		OPT_NO_PROBE,
		OPT_PROBE_TIME,
		OPT_NO_VERIFY
	};
	static const struct option longopts[] = {{"output", required_argument, 0, 'o'},
						 {"tag", required_argument, 0, 't'},
						 {"include", required_argument, 0, OPT_INCLUDE},
						 {"include-exe", required_argument, 0, OPT_INCLUDE_EXE},
						 {"user", required_argument, 0, OPT_USER},
						 {"dry-run", no_argument, 0, OPT_DRY},
						 {"static", no_argument, 0, OPT_STATIC},
						 {"probe-http", required_argument, 0, OPT_PROBE_HTTP},
						 {"probe-cmd", required_argument, 0, OPT_PROBE_CMD},
						 {"no-probe", no_argument, 0, OPT_NO_PROBE},
						 {"probe-time", required_argument, 0, OPT_PROBE_TIME},
						 {"no-verify", no_argument, 0, OPT_NO_VERIFY},
						 {"list", no_argument, 0, OPT_LIST},
						 {"format", required_argument, 0, 'f'},
						 {"report", required_argument, 0, OPT_REPORT},
						 {"max-layer-bytes", required_argument, 0, OPT_MAXB},
						 {"max-output-bytes", required_argument, 0, OPT_MAXOUT},
						 SHP_IMAGE_LONGOPTS,
						 {"jobs", required_argument, 0, 'j'},
						 {"help", no_argument, 0, 'h'},
						 SHP_QUIET_LONGOPT,
						 {0, 0, 0, 0}};
	struct shp_image_opts io = {0}; /* the image rules run on it as `image` runs them: secrets too */
	struct shp_slim_opts so = {0};
	_cleanup_free_ const char **inc = shp_xcalloc((size_t)argc + 1, sizeof *inc);
	_cleanup_free_ const char **exe = shp_xcalloc((size_t)argc + 1, sizeof *exe);
	so.include = inc;
	so.include_exe = exe;
	_cleanup_free_ struct shp_probe *probes = shp_xcalloc((size_t)argc + 1, sizeof *probes);
	so.probes = probes;
	struct report_opts ro = {0};
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:t:f:j:hq", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout); return SHP_EXIT_OK;
		case 'q': shp_set_quiet(1); break;
		case 'o': so.output = optarg; break;
		case 't': so.tag = optarg; break;
		case OPT_INCLUDE: inc[so.ninclude++] = optarg; break;
		case OPT_INCLUDE_EXE: exe[so.ninclude_exe++] = optarg; break;
		case OPT_USER:
			if (!*optarg || strlen(optarg) > 60) {
				shp_cli_error("slim: --user \"%s\": expected a user name or UID[:GID]", optarg);
				return SHP_EXIT_USAGE;
			}
			so.user = optarg;
			break;
		case OPT_DRY: so.dry_run = 1; break;
		case OPT_STATIC: so.static_only = 1; break;
		case OPT_NO_PROBE: so.no_probe = 1; break;
		case OPT_NO_VERIFY: so.no_verify = 1; break;
		case OPT_PROBE_CMD: probes[so.nprobes++] = (struct shp_probe){.cmd = optarg}; break;
		case OPT_PROBE_HTTP: {
			char *end;
			unsigned long port = strtoul(optarg, &end, 10);
			if (!isdigit((unsigned char)optarg[0]) || !port || port > 65535 || (*end && *end != '/')) {
				shp_cli_error("slim: --probe-http \"%s\": expected PORT or PORT/PATH", optarg);
				return SHP_EXIT_USAGE;
			}
			probes[so.nprobes++] = (struct shp_probe){.port = (unsigned)port, .path = *end ? end : NULL};
			break;
		}
		case OPT_PROBE_TIME: {
			char *end;
			double t = strtod(optarg, &end);
			double scale = !*end || !strcmp(end, "s") ? 1000
				       : !strcmp(end, "m")	  ? 60000
				       : !strcmp(end, "ms")	  ? 1
								  : 0;
			if (!isdigit((unsigned char)optarg[0]) || !scale || t * scale < 1 || t * scale > 86400000.0) {
				shp_cli_error("slim: --probe-time \"%s\": expected a time such as 30s or 2m", optarg);
				return SHP_EXIT_USAGE;
			}
			so.probe_ms = (unsigned)(t * scale);
			break;
		}
		case OPT_LIST: ro.list = 1; break;
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "json")) {
				shp_cli_error("slim: --format \"%s\": the report is text or json", optarg);
				return SHP_EXIT_USAGE;
			}
			ro.json = !strcmp(optarg, "json");
			break;
		case OPT_REPORT: ro.path = optarg; break;
		case OPT_MAXB:
			if (shp_parse_size(optarg, SHP_SIZE_BINARY, &io.max_layer_bytes) < 0) {
				shp_cli_error("slim: --max-layer-bytes \"%s\": expected a size such as 4G", optarg);
				return SHP_EXIT_USAGE;
			}
			break;
		case OPT_MAXOUT:
			if (shp_parse_size(optarg, SHP_SIZE_BINARY, &so.max_output_bytes) < 0 || !so.max_output_bytes) {
				shp_cli_error("slim: --max-output-bytes \"%s\": expected a size such as 4G", optarg);
				return SHP_EXIT_USAGE;
			}
			break;
		default:
			if (shp_cli_image_opt_or_usage(&io, "slim", c, optarg, argv[optind - 1], longopts,
						       "o:t:f:j:hq") < 0)
				return SHP_EXIT_USAGE;
			break;
		}
	}
	if (so.static_only && (so.nprobes || so.no_probe || so.probe_ms || so.no_verify)) {
		shp_cli_error("slim: --static runs nothing: the probe options and --no-verify are for the traced run");
		return SHP_EXIT_USAGE;
	}
	if (so.no_probe && so.nprobes) {
		shp_cli_error("slim: --no-probe and --probe-http or --probe-cmd say opposite things");
		return SHP_EXIT_USAGE;
	}
	if (argc - optind != 1 || (!so.output && !so.dry_run)) {
		if (argc - optind == 1)
			shp_cli_error("slim: say where the image goes with -o OUT.tar (or --dry-run)");
		usage(stderr);
		return SHP_EXIT_USAGE;
	}
	const char *input = argv[optind];
	/* the configuration files: the registry mirrors the image is read through */
	struct shp_cli_opts co;
	shp_cli_opts_init(&co);
	if (shp_cli_finish_opts(&co) < 0) {
		shp_cli_opts_free(&co);
		return SHP_EXIT_INPUT;
	}
	shp_cli_image_config(&io, &co);
	_cleanup_error_ struct shp_error *err = NULL;
	struct push push = {0}, *pushing = NULL;
	if (so.output && !strncmp(so.output, "docker://", 9)) {
		if (shp_docker_ref_parse(so.output + 9, &push.to, &err) < 0) {
			shp_cli_error("slim: -o %s: %s", so.output, err->msg);
			shp_cli_opts_free(&co);
			return SHP_EXIT_USAGE;
		}
		pushing = &push;
		if (push.to.digest || !push.to.tag) {
			shp_cli_error("slim: -o %s: push by tag (the image's digest is known once it is made)",
				      so.output);
			shp_docker_ref_free(&push.to);
			shp_cli_opts_free(&co);
			return SHP_EXIT_USAGE;
		}
		push.from_repo = same_registry_repo(input, &push.to);
		push.ro = (struct shp_registry_opts){.username = io.username,
						     .password = io.password,
						     .registry_token = io.registry_token,
						     .insecure = io.insecure};
		so.publish = publish;
		so.publish_arg = &push;
	}
	ro.cfg = &co.cfg;
	int rc = run(input, &so, &io, &ro, pushing);
	if (pushing) {
		shp_docker_ref_free(&push.to);
		free(push.from_repo);
	}
	shp_cli_opts_free(&co);
	return rc;
}

/* The image rules' findings on the slim image, read back from the tarball written; NULL, or
 * why they are not known. */
static const char *count_after(const struct shp_slim_opts *so, const struct shp_image_opts *iop,
			       const struct shp_config *cfg, struct counts *c, struct shp_findings *f)
{
	if (so->dry_run)
		return "a dry run writes no image";
	if (so->publish)
		return "the image was pushed, not written here";
	if (shp_output_is_stdout(so->output))
		return "the image went to stdout";
	struct shp_image_opts io = *iop;
	io.no_cache = 1; /* it is new: caching its layer would only fill the cache */
	_cleanup_error_ struct shp_error *err = NULL;
	_cleanup_image_ struct shp_image *img = NULL;
	if (shp_image_open(so->output, &io, &img, &err) < 0 || shp_image_scan(img, &io, &err) < 0)
		return "the image written could not be read back";
	struct shp_union u;
	shp_union_build(&u, img);
	count_findings(img, &u, cfg, c, f);
	shp_union_free(&u);
	return NULL;
}

/* The report, in its format, with --list's paths after the text. */
static void report(FILE *out, const struct report_opts *ro, struct report_in *ri)
{
	if (ro->json) {
		struct shp_buf b = {0};
		report_json(&b, ri);
		fputs(b.data, out);
		shp_buf_free(&b);
		return;
	}
	report_text(out, ri);
	if (ro->list)
		for (size_t i = 0; i < ri->r->nkept; i++)
			shp_cli_line(out, "%s", ri->r->kept[i]);
}

/* --report FILE: made beside it and put in place; never over image, the tarball just
 * written (or NULL), whatever name reaches it */
static int report_to_file(const char *path, const char *image, const struct report_opts *ro, struct report_in *ri)
{
	_cleanup_error_ struct shp_error *err = NULL;
	struct shp_inputs in = {0};
	if (image)
		shp_inputs_add(&in, image, SHP_IN_FILE);
	int r = shp_output_check(path, SHP_OUT_REPLACE, &in, &err);
	shp_inputs_free(&in);
	if (r < 0) {
		shp_cli_error("slim: --report %s", err->msg);
		return SHP_EXIT_INPUT;
	}
	struct shp_outfile of = {.fd = -1};
	if (shp_outfile_open(&of, path, &err) < 0) {
		shp_cli_error("slim: --report %s", err->msg);
		return SHP_EXIT_INPUT;
	}
	int fd = dup(of.fd);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		if (fd >= 0)
			close(fd);
		shp_outfile_abort(&of);
		shp_cli_error("slim: --report %s: %s", path, strerror(errno));
		return SHP_EXIT_INPUT;
	}
	report(f, ro, ri);
	int bad = ferror(f) | (fclose(f) != 0);
	if (bad) {
		shp_outfile_abort(&of);
		shp_cli_error("slim: --report %s: could not be written", path);
		return SHP_EXIT_INPUT;
	}
	if (shp_outfile_commit(&of, &err) < 0) {
		shp_cli_error("slim: --report %s", err->msg);
		return SHP_EXIT_INPUT;
	}
	return SHP_EXIT_OK;
}

static int run(const char *input, struct shp_slim_opts *o, struct shp_image_opts *iop, struct report_opts *ro,
	       struct push *pushing)
{
	struct shp_slim_opts so = *o;
	struct shp_image_opts io = *iop;
	_cleanup_error_ struct shp_error *err = NULL;
	int to_stdout = so.output && shp_output_is_stdout(so.output);
	if (to_stdout && !so.dry_run && isatty(STDOUT_FILENO)) {
		shp_cli_error("slim: -o -: refusing to write an image to a terminal (| docker load)");
		return SHP_EXIT_USAGE;
	}
	int writes_file = so.output && !so.dry_run && !pushing && !to_stdout;
	struct shp_inputs in = {0};
	_cleanup_free_ char *in_path = shp_image_ref_path(input); /* oci:DIR:REF reads DIR */
	if (in_path)
		shp_inputs_add(&in, in_path, SHP_IN_TREE);
	if (writes_file && shp_output_check(so.output, SHP_OUT_REPLACE, &in, &err) < 0) {
		shp_inputs_free(&in);
		shp_cli_error("slim: %s", err->msg);
		return SHP_EXIT_INPUT;
	}
	/* the report is neither the image read nor the one written */
	if (ro->path) {
		int r = shp_output_is_stdout(ro->path)
				? shp_error_set(&err, SHP_EXIT_USAGE,
						"--report -: the report goes to stdout without it")
				: shp_output_check(ro->path, SHP_OUT_REPLACE, &in, &err);
		if (r == 0 && writes_file && !strcmp(ro->path, so.output))
			r = shp_error_set(&err, SHP_EXIT_USAGE, "--report %s: that is where the image goes", ro->path);
		if (r < 0) {
			shp_inputs_free(&in);
			shp_cli_error("slim: %s", err->msg);
			return err->code;
		}
	}
	shp_inputs_free(&in);
	so.max_layer_bytes = io.max_layer_bytes;
	so.jobs = io.jobs;
	_cleanup_image_ struct shp_image *img = NULL;
	if (shp_image_open(input, &io, &img, &err) < 0 || shp_image_scan(img, &io, &err) < 0) {
		shp_cli_error("%s", err->msg);
		return shp_cli_image_exit(err);
	}
	struct shp_union u;
	shp_union_build(&u, img);
	struct shp_slim_result res;
	if (shp_slim(img, &u, &so, &res, &err) < 0) {
		shp_union_free(&u);
		shp_slim_result_free(&res);
		shp_cli_error("%s", err->msg);
		return SHP_EXIT_INPUT;
	}
	struct report_in ri = {.input = input, .so = &so, .r = &res, .push = pushing};
	struct shp_findings before = {0};
	count_findings(img, &u, ro->cfg, &ri.before, &before);
	shp_findings_free(&before);
	shp_union_free(&u);
	ri.after_why = count_after(&so, &io, ro->cfg, &ri.after, &ri.after_findings);
	int rc = SHP_EXIT_OK;
	if (ro->path)
		rc = report_to_file(ro->path, writes_file ? so.output : NULL, ro, &ri);
	else {
		/* with -o -, stdout holds the image: the report goes to stderr */
		FILE *say = to_stdout && !so.dry_run ? stderr : stdout;
		if (say != stderr || !shp_quiet() || ro->json)
			report(say, ro, &ri);
	}
	/* a slim image that does not do what the image did is not handed over as if it did */
	if (rc == SHP_EXIT_OK && res.verified == 0) {
		shp_cli_error("slim: %s: the slim image does not behave as the image did (%s)", so.output,
			      res.differ[0]);
		rc = SHP_EXIT_FINDINGS;
	}
	shp_slim_result_free(&res);
	shp_findings_free(&ri.after_findings);
	if (fflush(stdout) != 0)
		rc = SHP_EXIT_INPUT;
	return rc;
}
