/* img-fs.c - rules on the final filesystem of an image (the union view): special
 * permissions, shells and package managers left in, SSH servers, caches, and tar entries
 * that try to leave the root. */
#include "rules/families.h"
#include "rules/image.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <string.h>

#define PATH_BUF 8192

static const char *const bin_dirs[] = {"bin", "usr/bin", "sbin", "usr/sbin", "usr/local/bin", "usr/local/sbin"};

/* Calls fn for every node visible in the final filesystem. */
static void each_visible(struct shp_image_ctx *ctx,
			 void (*fn)(struct shp_image_ctx *ctx, uint32_t node, const struct shp_entry *e, int layer))
{
	for (uint32_t i = 1; i < ctx->u->n; i++) {
		int layer;
		const struct shp_entry *e = shp_union_visible(ctx->u, i, &layer);
		if (e)
			fn(ctx, i, e, layer);
	}
}

static void on_setuid(struct shp_image_ctx *ctx, uint32_t node, const struct shp_entry *e, int layer)
{
	(void)node;
	if (!shp_image_setid(e))
		return;
	const char *bits = (e->mode & 06000) == 06000 ? "setuid and setgid" : e->mode & 04000 ? "setuid" : "setgid";
	char ev[64];
	snprintf(ev, sizeof ev, "mode %04o, owner %u:%u", e->mode, e->uid, e->gid);
	shp_image_report(ctx, layer, e->path, ev, "/%s is %s%s", e->path, bits,
			 e->uid == 0 && (e->mode & 04000) ? " root: it runs as root for any user" : "");
}

int shp_image_setid(const struct shp_entry *e) { return e->type == SHP_FT_FILE && (e->mode & 06000); }

static void on_world_writable(struct shp_image_ctx *ctx, uint32_t node, const struct shp_entry *e, int layer)
{
	(void)node;
	if (!(e->mode & 0002) || (e->type != SHP_FT_FILE && e->type != SHP_FT_DIR))
		return;
	if (e->type == SHP_FT_DIR && (e->mode & 01000))
		return; /* /tmp-style: sticky */
	char ev[32];
	snprintf(ev, sizeof ev, "mode %04o", e->mode);
	shp_image_report(ctx, layer, e->path, ev, "/%s is a world-writable %s", e->path,
			 e->type == SHP_FT_DIR ? "directory without the sticky bit" : "file");
}

static void on_caps(struct shp_image_ctx *ctx, uint32_t node, const struct shp_entry *e, int layer)
{
	(void)node;
	if (e->type == SHP_FT_FILE && (e->flags & SHP_EF_CAPS))
		shp_image_report(ctx, layer, e->path, "security.capability", "/%s carries file capabilities", e->path);
}

static void check_setuid(struct shp_image_ctx *ctx) { each_visible(ctx, on_setuid); }
static void check_world_writable(struct shp_image_ctx *ctx) { each_visible(ctx, on_world_writable); }
static void check_caps(struct shp_image_ctx *ctx) { each_visible(ctx, on_caps); }

static const char *const shells[] = {"sh",   "bash", "ash",  "dash", "zsh",	"ksh",
				     "mksh", "csh",  "tcsh", "fish", "busybox", NULL};
static const char *const package_managers[] = {"apt",	   "apt-get", "dpkg", "apk",  "yum", "dnf", "rpm",
					       "microdnf", "zypper",  "pip",  "pip3", "npm", "gem", NULL};
static const char *const ssh_servers[] = {"sshd", "dropbear", NULL};
static const char *const *const program_names[] = {
	[SHP_PROG_SHELL] = shells, [SHP_PROG_PACKAGE_MANAGER] = package_managers, [SHP_PROG_SSH_SERVER] = ssh_servers};

void shp_image_programs(const struct shp_union *u, enum shp_prog_kind kind, shp_image_program_fn fn, void *arg)
{
	const char *const *names = program_names[kind];
	for (size_t d = 0; d < sizeof bin_dirs / sizeof bin_dirs[0]; d++) {
		for (size_t k = 0; names[k]; k++) {
			char path[256];
			snprintf(path, sizeof path, "%s/%s", bin_dirs[d], names[k]);
			uint32_t node = shp_union_lookup(u, path);
			int loop, layer;
			if (!node || !shp_union_visible(u, node, &layer))
				continue;
			/* "/bin" may be a symlink to "usr/bin": count each program once */
			uint32_t target = shp_union_resolve(u, path, &loop);
			if (!target)
				continue; /* a dangling link is no program */
			fn(arg, path, node, target, layer);
		}
	}
}

struct found_programs {
	struct shp_buf list;
	int first_layer;
	size_t count;
};

static void found_program(void *arg, const char *path, uint32_t node, uint32_t target, int layer)
{
	(void)node;
	(void)target;
	struct found_programs *f = arg;
	shp_buf_printf(&f->list, "%s/%s", f->list.len ? ", " : "", path);
	if (f->first_layer < 0 || layer < f->first_layer)
		f->first_layer = layer;
	f->count++;
}

/* Reports, once for the image, which of the programs of kind are present in the bin dirs. */
static void programs(struct shp_image_ctx *ctx, enum shp_prog_kind kind, const char *what)
{
	struct found_programs f = {.first_layer = -1};
	shp_image_programs(ctx->u, kind, found_program, &f);
	if (f.count)
		shp_image_report(ctx, f.first_layer, NULL, f.list.data, "%zu %s present in the final filesystem",
				 f.count, what);
	shp_buf_free(&f.list);
}

static void check_shells(struct shp_image_ctx *ctx) { programs(ctx, SHP_PROG_SHELL, "shell(s)"); }

static void check_package_managers(struct shp_image_ctx *ctx)
{
	programs(ctx, SHP_PROG_PACKAGE_MANAGER, "package manager(s)");
}

static void check_sshd(struct shp_image_ctx *ctx) { programs(ctx, SHP_PROG_SSH_SERVER, "SSH server(s)"); }

struct usage {
	size_t files;
	uint64_t bytes;
	int layer;
};

static void visible_usage(const struct shp_union *u, uint32_t node, struct usage *us, const char *const *skip)
{
	for (uint32_t c = u->nodes[node].first_child; c; c = u->nodes[c].next_sibling) {
		int skipped = 0;
		for (size_t i = 0; skip && skip[i]; i++)
			if (!strcmp(u->nodes[c].name, skip[i]))
				skipped = 1;
		int layer;
		const struct shp_entry *e = shp_union_visible(u, c, &layer);
		if (skipped || !e)
			continue;
		if (e->type == SHP_FT_FILE) {
			us->files++;
			us->bytes += e->size;
			if (us->layer < 0 || layer > us->layer)
				us->layer = layer;
		}
		if (e->type == SHP_FT_DIR)
			visible_usage(u, c, us, NULL);
	}
}

static void check_caches(struct shp_image_ctx *ctx)
{
	static const struct {
		const char *dir, *what;
	} caches[] = {
		{"var/lib/apt/lists", "apt package lists"},
		{"var/cache/apt/archives", "downloaded .deb files"},
		{"var/cache/apk", "apk cache"},
		{"var/cache/yum", "yum cache"},
		{"var/cache/dnf", "dnf cache"},
		{"root/.cache/pip", "pip cache"},
		{"root/.npm/_cacache", "npm cache"},
		{"usr/local/share/.cache/yarn", "yarn cache"},
	};
	static const char *const skip[] = {"lock", "partial", "auxfiles", NULL};
	for (size_t i = 0; i < sizeof caches / sizeof caches[0]; i++) {
		uint32_t node = shp_union_lookup(ctx->u, caches[i].dir);
		if (!node || !shp_union_visible(ctx->u, node, NULL))
			continue;
		struct usage us = {0, 0, -1};
		visible_usage(ctx->u, node, &us, skip);
		if (!us.files || !us.bytes)
			continue;
		char ev[96];
		snprintf(ev, sizeof ev, "%zu files, %llu bytes", us.files, (unsigned long long)us.bytes);
		shp_image_report(ctx, us.layer, caches[i].dir, ev, "%s left in /%s", caches[i].what, caches[i].dir);
	}
}

/* Entries that try to leave the root: names with "..", hardlinks to outside, and
 * relative symlinks that climb above "/" (harmless to us, dangerous to naive extractors). */
static void check_unsafe(struct shp_image_ctx *ctx)
{
	const struct shp_image *img = ctx->img;
	for (size_t L = 0; L < img->nlayers; L++) {
		const struct shp_layer_scan *s = &img->scans[img->layers[L].scan];
		if (img->layers[L].scan != L && img->layers[L].scan < L)
			continue; /* the same blob was reported at its first position */
		for (size_t i = 0; i < s->nentries; i++) {
			const struct shp_entry *e = &s->entries[i];
			if (e->flags & SHP_EF_ESCAPE)
				shp_image_report(ctx, (int)L, e->path, NULL,
						 "a tar entry's name climbs above the root with \"..\" (read as /%s)",
						 e->path);
			if (e->flags & SHP_EF_LINK_ESCAPE)
				shp_image_report(ctx, (int)L, e->path, e->link, "hardlink /%s points outside the root",
						 e->path);
			if (e->type == SHP_FT_SYMLINK && e->link && e->link[0] != '/') {
				/* depth of the link's directory vs the ".." it starts with */
				int depth = 0;
				for (const char *p = e->path; *p; p++)
					depth += *p == '/';
				int up = 0, max_up = 0;
				for (const char *p = e->link; *p;) {
					const char *end = strchrnul(p, '/');
					size_t n = (size_t)(end - p);
					if (n == 2 && p[0] == '.' && p[1] == '.')
						up++;
					else if (n && !(n == 1 && *p == '.'))
						up--;
					if (up > max_up)
						max_up = up;
					p = *end ? end + 1 : end;
				}
				if (max_up > depth)
					shp_image_report(
						ctx, (int)L, e->path, e->link,
						"symlink /%s climbs above the root (a trap for extractors that "
						"follow links)",
						e->path);
			}
		}
	}
}

static void on_symlink(struct shp_image_ctx *ctx, uint32_t node, const struct shp_entry *e, int layer)
{
	if (e->type != SHP_FT_SYMLINK)
		return;
	char buf[PATH_BUF];
	const char *path = shp_union_path(ctx->u, node, buf, sizeof buf);
	int loop;
	shp_union_resolve(ctx->u, path, &loop);
	if (loop)
		shp_image_report(ctx, layer, e->path, e->link, "symlink /%s never resolves (a loop of links)", e->path);
}

static void check_loops(struct shp_image_ctx *ctx) { each_visible(ctx, on_symlink); }

const struct shp_rule shp_rules_img_fs[] = {
	{.id = "SHP2020",
	 .slug = "image-setuid",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "setuid or setgid file",
	 .rationale = "setuid/setgid binaries run with their owner's privileges whoever starts them; each is a "
		      "path to root for an attacker inside the container.",
	 .remediation = "Remove the bits in the build (chmod a-s) or the binaries; run with no-new-privileges.",
	 .aliases = {"CIS-DI-0008", "CIS-4.8"},
	 .check_image = check_setuid},
	{.id = "SHP2021",
	 .slug = "image-world-writable",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "World-writable file or directory",
	 .rationale = "Any user in the container can change a world-writable file, or replace files in a "
		      "world-writable directory that lacks the sticky bit.",
	 .remediation = "chmod o-w the path in the build (or add the sticky bit to shared directories).",
	 .check_image = check_world_writable},
	{.id = "SHP2022",
	 .slug = "image-file-capabilities",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "File with capabilities",
	 .rationale = "A security.capability attribute gives the binary privileges (e.g. cap_net_raw, "
		      "cap_sys_admin) whoever runs it, much like setuid.",
	 .remediation = "Remove the attribute (setcap -r) unless the binary needs it, and drop capabilities at "
			"run time.",
	 .check_image = check_caps},
	{.id = "SHP2030",
	 .slug = "image-shell",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "Shell in the image",
	 .rationale = "A shell lets an attacker who gets code execution run arbitrary commands; minimal "
		      "(distroless, scratch) images have none.",
	 .remediation = "Use a distroless or scratch final stage, or `shipshape slim`.",
	 .check_image = check_shells},
	{.id = "SHP2031",
	 .slug = "image-package-manager",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "Package manager in the image",
	 .rationale = "A package manager left in lets an attacker install tools, and drifts the container from "
		      "what was scanned.",
	 .remediation = "Install in a build stage and copy only the result into a final stage without one.",
	 .aliases = {"CIS-DI-0003"},
	 .check_image = check_package_managers},
	{.id = "SHP2032",
	 .slug = "image-ssh-server",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "SSH server in the image",
	 .rationale = "An SSH daemon is a network service with its own credentials; containers are entered "
		      "with exec.",
	 .remediation = "Remove openssh-server / dropbear from the image.",
	 .check_image = check_sshd},
	{.id = "SHP2033",
	 .slug = "image-cache-left",
	 .severity = SHP_SEV_LOW,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "Package manager cache left in the image",
	 .rationale = "Package lists and download caches add size and stale metadata without any use at run "
		      "time.",
	 .remediation = "Clean in the same RUN (rm -rf /var/lib/apt/lists/*, apk --no-cache, pip "
			"--no-cache-dir, npm cache clean --force) or use cache mounts.",
	 .aliases = {"DKL-DI-0005"},
	 .check_image = check_caches},
	{.id = "SHP2050",
	 .slug = "image-unsafe-entry",
	 .severity = SHP_SEV_HIGH,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "Layer entry escapes the root",
	 .rationale = "Tar entries named with \"..\", hardlinks to outside the root and symlinks that climb "
		      "above it are how malicious layers overwrite host files in careless extractors.",
	 .remediation = "Rebuild the image with a standard builder; do not pull images from this source.",
	 .check_image = check_unsafe},
	{.id = "SHP2051",
	 .slug = "image-symlink-loop",
	 .severity = SHP_SEV_INFO,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "Symlink loop",
	 .rationale = "A symlink that never resolves breaks whatever opens it, and is sometimes used to trip "
		      "scanners.",
	 .remediation = "Fix or remove the link.",
	 .check_image = check_loops},
	{0},
};
