/* inspect.c - `docker inspect` / `podman inspect` output (an array of container objects, or
 * one) to workloads: HostConfig (privileges, capabilities, namespaces, devices, limits,
 * security options, port bindings), Mounts (or HostConfig.Binds), Config (image, user, env)
 * and AppArmorProfile. */
#include "audit/readers.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static long num(ynode *n)
{
	const char *s = shp_y_str(n);
	return s ? strtol(s, NULL, 10) : 0;
}

static void mode(struct shp_wl_bool *b, ynode *n)
{
	const char *s = shp_y_str(n);
	if (s && *s)
		*b = (struct shp_wl_bool){1, !strcmp(s, "host"), shp_y_pos(n)};
}

static void container(yaml_document_t *d, ynode *o, const char *path, struct shp_workloads *w)
{
	const char *name = shp_y_str(shp_y_get(d, o, "Name"));
	struct shp_workload *x = shp_wl_new(w, path, "container", name && *name == '/' ? name + 1 : name, shp_y_pos(o));
	ynode *hc = shp_y_get(d, o, "HostConfig"), *cfg = shp_y_get(d, o, "Config"), *n;
	shp_wl_set_str(w, &x->image, shp_y_get(d, cfg, "Image"));
	n = shp_y_get(d, cfg, "User");
	if (shp_y_str(n) && *shp_y_str(n))
		shp_wl_set_str(w, &x->user, n);
	shp_wl_set_bool(&x->privileged, shp_y_get(d, hc, "Privileged"), 0);
	shp_wl_set_bool(&x->read_only_rootfs, shp_y_get(d, hc, "ReadonlyRootfs"), 0);
	mode(&x->host_pid, shp_y_get(d, hc, "PidMode"));
	mode(&x->host_ipc, shp_y_get(d, hc, "IpcMode"));
	mode(&x->host_network, shp_y_get(d, hc, "NetworkMode"));
	mode(&x->host_uts, shp_y_get(d, hc, "UTSMode"));
	mode(&x->host_userns, shp_y_get(d, hc, "UsernsMode"));
	const char *caps[2] = {"CapAdd", "CapDrop"};
	for (int a = 0; a < 2; a++) {
		ynode *l = shp_y_get(d, hc, caps[a]);
		for (size_t i = 0; i < shp_y_len(l); i++)
			if (shp_y_str(shp_y_item(d, l, i)))
				shp_wl_cap(w, x, a == 0, shp_y_str(shp_y_item(d, l, i)),
					   shp_y_pos(shp_y_item(d, l, i)));
	}
	ynode *so = shp_y_get(d, hc, "SecurityOpt");
	for (size_t i = 0; i < shp_y_len(so); i++)
		if (shp_y_str(shp_y_item(d, so, i)))
			shp_wl_security_opt(w, x, shp_y_str(shp_y_item(d, so, i)), shp_y_pos(shp_y_item(d, so, i)));
	if ((n = shp_y_get(d, o, "AppArmorProfile")) && shp_y_str(n) && *shp_y_str(n) && !x->apparmor.value)
		shp_wl_set_str(w, &x->apparmor, n);
	/* Mounts lists binds and volumes as they are; without it, HostConfig.Binds */
	ynode *mounts = shp_y_get(d, o, "Mounts");
	for (size_t i = 0; i < shp_y_len(mounts); i++) {
		ynode *m = shp_y_item(d, mounts, i);
		const char *type = shp_y_str(shp_y_get(d, m, "Type"));
		const char *prop = shp_y_str(shp_y_get(d, m, "Propagation"));
		struct shp_wl_mount wm = {.type = type ? type : "volume", .at = shp_y_pos(m)};
		wm.source = type && !strcmp(type, "bind") ? shp_y_str(shp_y_get(d, m, "Source")) : NULL;
		wm.target = shp_y_str(shp_y_get(d, m, "Destination"));
		wm.read_only = shp_y_bool(shp_y_get(d, m, "RW")) == 0;
		wm.propagation_shared = prop && strstr(prop, "shared") != NULL;
		if (wm.target)
			shp_wl_mount(w, x, &wm);
	}
	if (!shp_y_len(mounts)) {
		ynode *binds = shp_y_get(d, hc, "Binds");
		for (size_t i = 0; i < shp_y_len(binds); i++) {
			ynode *b = shp_y_item(d, binds, i);
			if (shp_y_str(b))
				shp_wl_volume_spec(w, x, shp_y_str(b), shp_y_pos(b));
		}
	}
	ynode *devs = shp_y_get(d, hc, "Devices");
	for (size_t i = 0; i < shp_y_len(devs); i++) {
		ynode *e = shp_y_item(d, devs, i);
		const char *p = shp_y_str(shp_y_get(d, e, "PathOnHost"));
		if (p)
			shp_wl_device(w, x, p, shp_y_pos(e));
	}
	/* 0 (and -1 for PIDs) is "no limit" in the engine's API */
	if ((n = shp_y_get(d, hc, "Memory")))
		x->memory_limit = (struct shp_wl_bool){1, num(n) > 0, shp_y_pos(n)};
	ynode *nano = shp_y_get(d, hc, "NanoCpus"), *quota = shp_y_get(d, hc, "CpuQuota");
	if (nano || quota)
		x->cpu_limit = (struct shp_wl_bool){1, num(nano) > 0 || num(quota) > 0, shp_y_pos(nano ? nano : quota)};
	if ((n = shp_y_get(d, hc, "PidsLimit")))
		x->pids_limit = (struct shp_wl_bool){1, num(n) > 0, shp_y_pos(n)};
	ynode *pb = shp_y_get(d, hc, "PortBindings");
	for (size_t i = 0; i < shp_y_npairs(pb); i++) {
		ynode *list = shp_y_val(d, pb, i);
		for (size_t j = 0; j < shp_y_len(list); j++) {
			ynode *b = shp_y_item(d, list, j);
			shp_wl_port(w, x, num(shp_y_get(d, b, "HostPort")), shp_y_pos(b));
		}
	}
	ynode *env = shp_y_get(d, cfg, "Env");
	for (size_t i = 0; i < shp_y_len(env); i++)
		if (shp_y_str(shp_y_item(d, env, i)))
			shp_wl_env_kv(w, x, shp_y_str(shp_y_item(d, env, i)), shp_y_pos(shp_y_item(d, env, i)));
}

static int is_container(yaml_document_t *d, ynode *o)
{
	return shp_y_is_map(o) && shp_y_get(d, o, "HostConfig") && shp_y_get(d, o, "Config");
}

int shp_audit_inspect(yaml_document_t *d, const char *path, struct shp_workloads *w)
{
	ynode *root = shp_y_root(d);
	if (is_container(d, root)) {
		container(d, root, path, w);
		return 1;
	}
	if (!shp_y_len(root) || !is_container(d, shp_y_item(d, root, 0)))
		return 0;
	for (size_t i = 0; i < shp_y_len(root); i++)
		if (is_container(d, shp_y_item(d, root, i)))
			container(d, shp_y_item(d, root, i), path, w);
	return 1;
}
