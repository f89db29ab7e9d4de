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

/* Splits a command line into words (malloc'd array of malloc'd strings). */
static char **words(const char *s, size_t *n)
{
	char **v = NULL;
	size_t cap = 0;
	*n = 0;
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		struct shp_buf b = {0};
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
		SHP_PUSH(v, *n, cap, b.data);
	}
	return v;
}

/* docker run options that take no value (all others do, unless written --opt=value). */
static int is_bool_opt(const char *o)
{
	static const char *const flags[] = {"--privileged", "--read-only", "--rm", "--init", "--detach", "--interactive",
					    "--tty", "--publish-all", "--no-healthcheck", "--oom-kill-disable",
					    "--sig-proxy", "--disable-content-trust", "--quiet", "--help", "--replace",
					    "--rootfs"};
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
		if (!strcmp(o, flags[i]))
			return 1;
	return 0;
}

/* --mount type=bind,source=/x,target=/y,readonly,bind-propagation=rshared */
static void mount(struct shp_workloads *w, struct shp_workload *x, const char *v, int line)
{
	struct shp_wl_mount m = {.line = line, .type = "volume"};
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

static void option(struct shp_workloads *w, struct shp_workload *x, const char *o, const char *v, int line)
{
	if (!strcmp(o, "--privileged"))
		x->privileged = (struct shp_wl_bool){1, 1, line};
	else if (!strcmp(o, "--read-only"))
		x->read_only_rootfs = (struct shp_wl_bool){1, 1, line};
	else if (!strcmp(o, "--cap-add") || !strcmp(o, "--cap-drop"))
		shp_wl_cap(w, x, o[6] == 'a', v, line);
	else if (!strcmp(o, "-u") || !strcmp(o, "--user"))
		x->user = (struct shp_wl_str){shp_wl_dup(w, v), line};
	else if (!strcmp(o, "--security-opt"))
		shp_wl_security_opt(w, x, v, line);
	else if (!strcmp(o, "--pid"))
		x->host_pid = (struct shp_wl_bool){1, !strcmp(v, "host"), line};
	else if (!strcmp(o, "--ipc"))
		x->host_ipc = (struct shp_wl_bool){1, !strcmp(v, "host"), line};
	else if (!strcmp(o, "--network") || !strcmp(o, "--net"))
		x->host_network = (struct shp_wl_bool){1, !strcmp(v, "host"), line};
	else if (!strcmp(o, "--uts"))
		x->host_uts = (struct shp_wl_bool){1, !strcmp(v, "host"), line};
	else if (!strcmp(o, "--userns"))
		x->host_userns = (struct shp_wl_bool){1, !strcmp(v, "host"), line};
	else if (!strcmp(o, "-v") || !strcmp(o, "--volume"))
		shp_wl_volume_spec(w, x, v, line);
	else if (!strcmp(o, "--mount"))
		mount(w, x, v, line);
	else if (!strcmp(o, "--device"))
		shp_wl_device(w, x, v, line);
	else if (!strcmp(o, "-m") || !strcmp(o, "--memory"))
		x->memory_limit = (struct shp_wl_bool){1, strcmp(v, "0") != 0, line};
	else if (!strcmp(o, "--cpus") || !strcmp(o, "--cpu-quota"))
		x->cpu_limit = (struct shp_wl_bool){1, atof(v) > 0, line};
	else if (!strcmp(o, "--pids-limit"))
		x->pids_limit = (struct shp_wl_bool){1, atol(v) > 0, line};
	else if (!strcmp(o, "-p") || !strcmp(o, "--publish"))
		shp_wl_port_spec(w, x, v, line);
	else if (!strcmp(o, "-e") || !strcmp(o, "--env"))
		shp_wl_env_kv(w, x, v, line);
	else if (!strcmp(o, "--name"))
		x->name = shp_wl_dup(w, v);
}

/* One command line (its words) at line. */
static void run_line(char **v, size_t n, const char *path, int line, struct shp_workloads *w)
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
	struct shp_workload *x = shp_wl_new(w, path, "docker run", NULL, line);
	for (i++; i < n; i++) {
		const char *a = v[i];
		if (a[0] != '-' || !strcmp(a, "-")) {
			x->image = (struct shp_wl_str){shp_wl_dup(w, a), line};
			break; /* the image; what follows is the command */
		}
		if (a[1] != '-' && strlen(a) > 2 && !strchr(a, '=')) {
			/* -dit: short boolean flags together, or -p8080:80 */
			if (strchr("dit", a[1]) && strspn(a + 1, "dit") == strlen(a + 1))
				continue;
			char o[3] = {'-', a[1], 0};
			option(w, x, o, a + 2, line);
			continue;
		}
		const char *eq = strchr(a, '=');
		_cleanup_free_ char *o = eq ? shp_xstrndup(a, (size_t)(eq - a)) : shp_xstrdup(a);
		const char *val = eq ? eq + 1 : "";
		int takes = !eq && !is_bool_opt(o) && strcmp(o, "-d") && strcmp(o, "-i") && strcmp(o, "-t") &&
			    strcmp(o, "-P");
		if (takes && i + 1 < n)
			val = v[++i];
		option(w, x, o, val, line);
	}
	if (!x->name)
		x->name = shp_wl_dup(w, x->image.value ? x->image.value : "?");
}

int shp_audit_runlines(const char *text, size_t len, const char *path, struct shp_workloads *w)
{
	int found = 0, line = 1, start = 1;
	struct shp_buf cmd = {0};
	shp_buf_puts(&cmd, "");
	for (size_t i = 0; i <= len; i++) {
		char c = i < len ? text[i] : '\n';
		if (c == '\\' && i + 1 < len && text[i + 1] == '\n') { /* a continuation */
			i++;
			line++;
			shp_buf_putc(&cmd, ' ');
			continue;
		}
		if (c != '\n') {
			shp_buf_putc(&cmd, c == '\r' ? ' ' : c);
			continue;
		}
		const char *s = cmd.data + strspn(cmd.data, " \t");
		if (*s && *s != '#') {
			size_t n;
			char **v = words(s, &n);
			size_t before = w->n;
			run_line(v, n, path, start, w);
			found |= w->n > before;
			for (size_t k = 0; k < n; k++)
				free(v[k]);
			free(v);
		}
		shp_buf_reset(&cmd);
		shp_buf_puts(&cmd, "");
		start = ++line;
	}
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
			return (end - p > 11 && !strncmp(p, "docker run ", 11)) || (end - p > 11 && !strncmp(p, "podman run ", 11)) ||
			       (end - p > 21 && !strncmp(p, "docker container run ", 21));
		}
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	return 0;
}
