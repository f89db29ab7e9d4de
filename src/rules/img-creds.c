/* img-creds.c - credentials that files of known formats give away (secrets/credfiles.c, read
 * while the layers streamed): accounts of /etc/shadow that take a password hash or none, IDs
 * /etc/passwd and /etc/group give twice, keystores a well-known password opens. What the
 * container sees is the final (union) view: a shadow file a later layer replaced is judged by
 * the later one. A hash or a keystore in a version a later layer deleted or replaced is still
 * in the image tarball, and reported at medium unless the same one is visible. */
#include "rules/families.h"
#include "rules/image.h"
#include "secrets/credfiles.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#include <string.h>

/* Package documentation and test fixtures are not the image's credentials. */
static int not_the_image_s(enum shp_cred_what what, const char *path)
{
	return what == SHP_CRED_KEYSTORE && shp_image_sample_path(path);
}

/* A hit of the same kind, name and fingerprint as h that is visible, or hidden and met before
 * (layer, index) in the scan order: h then says nothing new. */
static int said_before(const struct shp_image_ctx *ctx, const struct shp_cred_hit *h, size_t L0, size_t i0)
{
	const struct shp_image *img = ctx->img;
	for (size_t L = 0; L < img->nlayers; L++) {
		const struct shp_layer_scan *s = &img->scans[img->layers[L].scan];
		size_t n;
		const struct shp_cred_hit *v = shp_layer_creds(s, &n);
		for (size_t i = 0; i < n; i++) {
			if ((L == L0 && i == i0) || v[i].what != h->what || strcmp(v[i].fp, h->fp) ||
			    strcmp(v[i].name, h->name))
				continue;
			const char *path = s->entries[v[i].entry].path;
			if (not_the_image_s(h->what, path))
				continue;
			uint32_t ev = shp_union_event(ctx->u, path, (int)L, v[i].entry);
			if (!ev || ctx->u->ev[ev].end_layer < 0 || L < L0 || (L == L0 && i < i0))
				return 1;
		}
	}
	return 0;
}

/* Each hit of kind what: visible ones at the rule's severity; hidden ones (if hidden_too) at
 * medium, said once. */
static void each(struct shp_image_ctx *ctx, enum shp_cred_what what, int hidden_too)
{
	const struct shp_image *img = ctx->img;
	for (size_t L = 0; L < img->nlayers; L++) {
		const struct shp_layer_scan *s = &img->scans[img->layers[L].scan];
		size_t n;
		const struct shp_cred_hit *v = shp_layer_creds(s, &n);
		for (size_t i = 0; i < n; i++) {
			const struct shp_cred_hit *h = &v[i];
			if (h->what != what)
				continue;
			const char *path = s->entries[h->entry].path;
			uint32_t ev = shp_union_event(ctx->u, path, (int)L, h->entry);
			int hidden = ev && ctx->u->ev[ev].end_layer >= 0;
			if (not_the_image_s(what, path) || (hidden && (!hidden_too || said_before(ctx, h, L, i))))
				continue;
			_cleanup_free_ char *added = shp_image_layer_desc(img, (int)L);
			_cleanup_free_ char *where =
				h->line ? shp_asprintf("/%s (line %u)", path, h->line) : shp_asprintf("/%s", path);
			_cleanup_free_ char *gone = NULL;
			if (hidden) {
				_cleanup_free_ char *layer = shp_image_layer_desc(img, ctx->u->ev[ev].end_layer);
				gone = shp_asprintf(" and %s in %s: hidden from the container but still in the image "
						    "tarball",
						    shp_image_end_name(ctx->u->ev[ev].end_how), layer);
			}
			struct shp_finding *f = NULL;
			switch (what) {
			case SHP_CRED_HASH:
				f = shp_image_report(ctx, (int)L, path, NULL,
						     "account %s in %s has a %s password hash: it can log in with a "
						     "password, and anyone who pulls the image can crack the hash "
						     "offline; added in %s%s",
						     h->name, where, h->detail, added, gone ? gone : "");
				break;
			case SHP_CRED_EMPTY:
				f = shp_image_report(ctx, (int)L, path, NULL,
						     "account %s in %s has an empty password field: it logs in "
						     "without a password; added in %s",
						     h->name, where, added);
				break;
			case SHP_CRED_DUP_UID:
			case SHP_CRED_DUP_GID:
				f = shp_image_report(ctx, (int)L, path, NULL, "%s %s in %s has %s; added in %s",
						     what == SHP_CRED_DUP_UID ? "account" : "group", h->name, where,
						     h->detail, added);
				/* a second UID 0 is a second root, under another name */
				if (what == SHP_CRED_DUP_GID || strncmp(h->detail, "UID 0,", 6))
					f->severity = SHP_SEV_MEDIUM;
				break;
			case SHP_CRED_KEYSTORE:
				f = shp_image_report(
					ctx, (int)L, path, NULL,
					"%s keystore %s holds a private or secret key and opens with %s%s%s; "
					"added in %s%s",
					h->detail, where, *h->name ? "the well-known password \"" : "",
					*h->name ? h->name : "an empty password", *h->name ? "\"" : "", added,
					gone ? gone : "");
				break;
			default: break;
			}
			if (f && hidden && f->severity > SHP_SEV_MEDIUM)
				f->severity = SHP_SEV_MEDIUM;
		}
	}
}

static void check_hashes(struct shp_image_ctx *ctx) { each(ctx, SHP_CRED_HASH, 1); }
static void check_empty(struct shp_image_ctx *ctx) { each(ctx, SHP_CRED_EMPTY, 0); }
static void check_ids(struct shp_image_ctx *ctx)
{
	each(ctx, SHP_CRED_DUP_UID, 0);
	each(ctx, SHP_CRED_DUP_GID, 0);
}
static void check_keystores(struct shp_image_ctx *ctx) { each(ctx, SHP_CRED_KEYSTORE, 1); }

const struct shp_rule shp_rules_img_creds[] = {
	{.id = "SHP2013",
	 .slug = "image-password-hash",
	 .severity = SHP_SEV_HIGH,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "Account with a password hash in /etc/shadow",
	 .rationale = "An account whose /etc/shadow field is a crypt hash ($1$, $5$, $6$, $y$, $2b$, DES...) "
		      "logs in with a password, the same in every container; and whoever pulls the image can "
		      "crack the hash offline. Root is no exception: its hash is reported at the same severity. "
		      "The scheme is named, never the hash. A hash only in a shadow file a later layer replaced "
		      "or deleted is still in the image tarball: medium. Locked fields (*, !, !!, !hash) are "
		      "quiet.",
	 .remediation = "Lock the account (passwd -l, or usermod -p '*'), or create it with --disabled-password; "
			"authenticate with keys or the orchestrator's secrets, and set passwords at run time.",
	 .check_image = check_hashes},
	{.id = "SHP2014",
	 .slug = "image-empty-password",
	 .severity = SHP_SEV_CRITICAL,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "Account with an empty password in /etc/shadow",
	 .rationale = "An empty password field in /etc/shadow lets anyone log in as that account (su, login, "
		      "an SSH server that permits empty passwords) without a password.",
	 .remediation = "Lock the account (passwd -l, or usermod -p '*') or give it a password at run time.",
	 .aliases = {"DKL-LI-0001"},
	 .check_image = check_empty},
	{.id = "SHP2015",
	 .slug = "image-duplicate-id",
	 .severity = SHP_SEV_HIGH,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "UID or GID given twice in /etc/passwd or /etc/group",
	 .rationale = "Two accounts with one UID are one user to the kernel: files, processes and permissions "
		      "cannot tell them apart, and a second UID 0 is a second root under another name (high; "
		      "other duplicates, and duplicate GIDs, medium).",
	 .remediation = "Give each account and group its own ID (usermod -u, groupmod -g), or remove the "
			"duplicate line.",
	 .aliases = {"DKL-LI-0002"},
	 .check_image = check_ids},
	{.id = "SHP2016",
	 .slug = "image-keystore-known-password",
	 .severity = SHP_SEV_HIGH,
	 .scope = SHP_SCOPE_IMAGE,
	 .title = "Keystore with a private key and a well-known password",
	 .rationale = "A Java keystore (JKS, JCEKS) or PKCS#12 file (.jks, .keystore, .jceks, .truststore, .p12, "
		      ".pfx) that holds a private or secret key and opens with an empty or well-known password "
		      "(changeit, changeme, password, secret, 123456, keystore, android, or the file's own base "
		      "name) gives its key to whoever pulls the image. Trust stores with certificates only (Java's "
		      "cacerts) are quiet; so are keystores under /usr/share and in test or example directories. "
		      "One a later layer deleted or replaced is still in the tarball: medium. Keystores over 1 MiB "
		      "are listed as not scanned.",
	 .remediation = "Keep keys out of the image: mount the keystore at run time, with a strong password "
			"provided as a secret; rotate the key.",
	 .check_image = check_keystores},
	{0},
};
