/* runline.c - `docker run ...` / `podman run ...` command lines to workloads: a file of them
 * (one per line, "\" continuations, # comments, an optional sudo) or one given with --run.
 * Words are split as a POSIX shell would (quotes, backslashes); options are read up to the
 * image, which ends them. */
#include "audit/readers.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Splits a command line into words (malloc'd array of malloc'd strings) and where each
 * starts in it (malloc'd). */
static char **words(const char *s, size_t *n, size_t **offs)
{
	const char *s0 = s;
	char **v = NULL;
	size_t cap = 0, ocap = 0, no = 0;
	*n = 0;
	*offs = NULL;
	struct shp_buf b = {0}; /* one scratch buffer; each word is copied out at its size */
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		SHP_PUSH(*offs, no, ocap, (size_t)(s - s0));
		shp_buf_reset(&b);
		shp_buf_puts(&b, "");
		char q = 0;
		for (; *s && (q || (*s != ' ' && *s != '\t')); s++) {
			if (!q && (*s == '\'' || *s == '"'))
				q = *s;
			else if (q && *s == q)
				q = 0;
			else if (*s == '\\' && q != '\'' && s[1])
				shp_buf_putc(&b, *++s);
			else
				shp_buf_putc(&b, *s);
		}
		SHP_PUSH(v, *n, cap, shp_xstrndup(b.data, b.len));
	}
	shp_buf_free(&b);
	return v;
}

/* docker run options that take no value (all others do, unless written --opt=value). */
static int is_bool_opt(const char *o)
{
	static const char *const flags[] = {"--privileged",
					    "--read-only",
					    "--rm",
					    "--init",
					    "--detach",
					    "--interactive",
					    "--tty",
					    "--publish-all",
					    "--no-healthcheck",
					    "--oom-kill-disable",
					    "--sig-proxy",
					    "--disable-content-trust",
					    "--quiet",
					    "--help",
					    "--replace",
					    "--rootfs"};
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
		if (!strcmp(o, flags[i]))
			return 1;
	return 0;
}

/* --mount type=bind,source=/x,target=/y,readonly,bind-propagation=rshared */
static void mount(struct shp_workloads *w, struct shp_workload *x, const char *v, shp_pos at)
{
	struct shp_wl_mount m = {.at = at, .type = "volume"};
	_cleanup_free_ char *c = shp_xstrdup(v);
	char *save = NULL;
	for (char *kv = strtok_r(c, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');
		const char *val = eq ? eq + 1 : "";
		if (eq)
			*eq = 0;
		if (!strcmp(kv, "type"))
			m.type = val;
		else if (!strcmp(kv, "source") || !strcmp(kv, "src"))
			m.source = val;
		else if (!strcmp(kv, "target") || !strcmp(kv, "dst") || !strcmp(kv, "destination"))
			m.target = val;
		else if (!strcmp(kv, "readonly") || !strcmp(kv, "ro"))
			m.read_only = !eq || !strcmp(val, "true") || !strcmp(val, "1");
		else if (!strcmp(kv, "bind-propagation"))
			m.propagation_shared = strstr(val, "shared") != NULL;
	}
	if (strcmp(m.type, "bind"))
		m.source = NULL;
	if (m.target)
		shp_wl_mount(w, x, &m);
}

static void option(struct shp_workloads *w, struct shp_workload *x, const char *o, const char *v, shp_pos at)
{
	if (!strcmp(o, "--privileged"))
		x->privileged = (struct shp_wl_bool){1, 1, at};
	else if (!strcmp(o, "--read-only"))
		x->read_only_rootfs = (struct shp_wl_bool){1, 1, at};
	else if (!strcmp(o, "--cap-add") || !strcmp(o, "--cap-drop"))
		shp_wl_cap(w, x, o[6] == 'a', v, at);
	else if (!strcmp(o, "-u") || !strcmp(o, "--user"))
		x->user = (struct shp_wl_str){shp_wl_dup(w, v), at};
	else if (!strcmp(o, "--security-opt"))
		shp_wl_security_opt(w, x, v, at);
	else if (!strcmp(o, "--pid"))
		x->host_pid = (struct shp_wl_bool){1, !strcmp(v, "host"), at};
	else if (!strcmp(o, "--ipc"))
		x->host_ipc = (struct shp_wl_bool){1, !strcmp(v, "host"), at};
	else if (!strcmp(o, "--network") || !strcmp(o, "--net"))
		x->host_network = (struct shp_wl_bool){1, !strcmp(v, "host"), at};
	else if (!strcmp(o, "--uts"))
		x->host_uts = (struct shp_wl_bool){1, !strcmp(v, "host"), at};
	else if (!strcmp(o, "--userns"))
		x->host_userns = (struct shp_wl_bool){1, !strcmp(v, "host"), at};
	else if (!strcmp(o, "-v") || !strcmp(o, "--volume"))
		shp_wl_volume_spec(w, x, v, at);
	else if (!strcmp(o, "--mount"))
		mount(w, x, v, at);
	else if (!strcmp(o, "--device"))
		shp_wl_device(w, x, v, at);
	else if (!strcmp(o, "-m") || !strcmp(o, "--memory"))
		x->memory_limit = (struct shp_wl_bool){1, strcmp(v, "0") != 0, at};
	else if (!strcmp(o, "--cpus") || !strcmp(o, "--cpu-quota"))
		x->cpu_limit = (struct shp_wl_bool){1, atof(v) > 0, at};
	else if (!strcmp(o, "--pids-limit"))
		x->pids_limit = (struct shp_wl_bool){1, atol(v) > 0, at};
	else if (!strcmp(o, "-p") || !strcmp(o, "--publish"))
		shp_wl_port_spec(w, x, v, at);
	else if (!strcmp(o, "-e") || !strcmp(o, "--env"))
		shp_wl_env_kv(w, x, v, at);
	else if (!strcmp(o, "--name"))
		x->name = shp_wl_dup(w, v);
}

/* One command line: its words and where each is written. */
static void run_line(char **v, const shp_pos *at, size_t n, const char *path, struct shp_workloads *w)
{
	size_t i = 0;
	if (i < n && !strcmp(v[i], "sudo"))
		i++;
	if (i + 1 >= n || (strcmp(v[i], "docker") && strcmp(v[i], "podman")))
		return;
	i++;
	if (!strcmp(v[i], "container") && i + 1 < n)
		i++;
	if (strcmp(v[i], "run") && strcmp(v[i], "create"))
		return;
	struct shp_workload *x = shp_wl_new(w, path, "docker run", NULL, at[0]);
	for (i++; i < n; i++) {
		const char *a = v[i];
		if (a[0] != '-' || !strcmp(a, "-")) {
			x->image = (struct shp_wl_str){shp_wl_dup(w, a), at[i]};
			break; /* the image; what follows is the command */
		}
		if (a[1] != '-' && strlen(a) > 2 && !strchr(a, '=')) {
			/* -dit: short boolean flags together, or -p8080:80 */
			if (strchr("dit", a[1]) && strspn(a + 1, "dit") == strlen(a + 1))
				continue;
			char o[3] = {'-', a[1], 0};
			option(w, x, o, a + 2, at[i]);
			continue;
		}
		const char *eq = strchr(a, '=');
		_cleanup_free_ char *o = eq ? shp_xstrndup(a, (size_t)(eq - a)) : shp_xstrdup(a);
		const char *val = eq ? eq + 1 : "";
		int takes = !eq && !is_bool_opt(o) && strcmp(o, "-d") && strcmp(o, "-i") && strcmp(o, "-t") &&
			    strcmp(o, "-P");
		shp_pos where = at[i];
		if (takes && i + 1 < n)
			val = v[++i];
		option(w, x, o, val, where);
	}
	if (!x->name)
		x->name = shp_wl_dup(w, x->image.value ? x->image.value : "?");
}

/* A command joined from its lines: where each line's part starts in it. */
struct part {
	size_t off;
	int line;
};

/* Where byte off of the joined command is written (the parts are in order: a binary search,
 * so a command of a million continued lines costs no more than its length). */
static shp_pos place(const struct part *p, size_t np, size_t off)
{
	size_t lo = 0, hi = np; /* the last part starting at or before off is in [lo, hi) */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (p[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	return shp_pos_at(p[lo].line, (long)(off - p[lo].off) + 1);
}

int shp_audit_runlines(const char *text, size_t len, const char *path, struct shp_workloads *w)
{
	int found = 0, line = 1;
	struct shp_buf cmd = {0};
	shp_buf_puts(&cmd, "");
	struct part *parts = NULL;
	size_t np = 0, pcap = 0;
	SHP_PUSH(parts, np, pcap, ((struct part){0, 1}));
	for (size_t i = 0; i <= len; i++) {
		char c = i < len ? text[i] : '\n';
		if (c == '\\' && i + 1 < len && text[i + 1] == '\n') { /* a continuation */
			i++;
			line++;
			shp_buf_putc(&cmd, ' ');
			SHP_PUSH(parts, np, pcap, ((struct part){cmd.len, line}));
			continue;
		}
		if (c != '\n') {
			shp_buf_putc(&cmd, c == '\r' ? ' ' : c);
			continue;
		}
		size_t lead = strspn(cmd.data, " \t");
		const char *s = cmd.data + lead;
		if (*s && *s != '#') {
			size_t n, *offs;
			char **v = words(s, &n, &offs);
			shp_pos *at = shp_xcalloc(n + 1, sizeof *at);
			for (size_t k = 0; k < n; k++)
				at[k] = place(parts, np, lead + offs[k]);
			size_t before = w->n;
			run_line(v, at, n, path, w);
			found |= w->n > before;
			for (size_t k = 0; k < n; k++)
				free(v[k]);
			free(v);
			free(offs);
			free(at);
		}
		shp_buf_reset(&cmd);
		shp_buf_puts(&cmd, "");
		np = 0;
		SHP_PUSH(parts, np, pcap, ((struct part){0, ++line}));
	}
	free(parts);
	shp_buf_free(&cmd);
	return found;
}

int shp_audit_looks_runlines(const char *text, size_t len)
{
	const char *end = text + len;
	for (const char *p = text; p < end;) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p < end && *p != '#' && *p != '\n') {
			if (end - p > 5 && !strncmp(p, "sudo ", 5))
				p += 5;
			return (end - p > 11 && !strncmp(p, "docker run ", 11)) ||
			       (end - p > 11 && !strncmp(p, "podman run ", 11)) ||
			       (end - p > 21 && !strncmp(p, "docker container run ", 21));
		}
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	return 0;
}
