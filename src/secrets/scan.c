/* scan.c - the content secret scanner (see scan.h). Hyperscan runs every pattern at once
 * as a detector (prefilter, one report per kind); PCRE2 then finds each exact match of the
 * kinds that fired, so the common case - a file without secrets - costs one pass. */
#include "secrets/scan.h"
#include "finding/finding.h"
#include "secrets/hsdb.h"
#include "secrets/patterns.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/xalloc.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <hs/hs.h>
#include <math.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

static struct shp_secret_kind kinds[NPAT];
static hs_database_t *hs_db;
static hs_database_t *hs_bin;	       /* the detectors of binary_kinds alone, for binary files */
static unsigned char in_binary[NPAT];  /* the kind is one of binary_kinds */
static unsigned char at_keyword[NPAT]; /* its matches start at its keywords (secret_at_keyword) */
static hs_scratch_t *hs_proto;
static int hs_built_in; /* hs_db and hs_bin are the build's (else compiled by this process) */
static pcre2_code *pcre[NPAT];
/* the same, compiled anchored, for a rule tried at its keywords: JIT-compiled code matches
 * only with the options it was compiled for (PCRE2_ANCHORED given to pcre2_match() runs the
 * interpreter, which took 40 times as long on an image's files) */
static pcre2_code *pcre_at[NPAT];
static pcre2_code *allow[NPAT]; /* the rule's allow pattern, if it has one */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t scratch_key;
static pthread_key_t found_key; /* the thread's struct hs_found */

/* Custom rules (shp_secrets_configure), compiled. */
struct callow {
	pcre2_code **re, **path;
	char **stop, **rules;
	size_t nre, npath, nstop, nrules;
	enum shp_allow_target target;
	int all;
};
struct crule {
	pcre2_code *re, *path, **blocks;
	char *group_name;
	int group, first_group, keywords;
	int detected; /* its regex is in re_db: it runs only when the database says it may match */
	double entropy;
	struct callow *allows;
	size_t nallows, nblocks;
};
static struct custom {
	struct shp_secret_kind *kinds; /* NPAT built-in ones, then the rules' */
	unsigned char *off;	       /* [nkinds]: the kind is not looked for */
	size_t nkinds, nrules, nallows, nblocks;
	struct crule *rules;
	struct callow *allows; /* for every rule */
	pcre2_code **blocks;
	hs_database_t *kw_db; /* the rules' keywords, a rule's index its id */
	hs_database_t *re_db; /* the rules' regexes in Hyperscan's prefilter mode, the same ids */
	int path_allows;      /* some allow is of paths alone: a file it allows is not scanned */
	char digest[72];
} * cust;

/* PCRE2's limits on a custom rule's match, whose pattern is the user's: the steps one try
 * takes (backtracking), its heap (KiB) and JIT stack. A try over them is given up. */
#define CUSTOM_MATCH_LIMIT 100000u
#define CUSTOM_HEAP_LIMIT 16384u
#define CUSTOM_JIT_STACK (4u << 20)

static void free_scratch(void *p) { hs_free_scratch(p); }

static void free_found(void *p);

/* The databases gen-hsdb compiled at build time: compiling them here took 50 ms, a third of
 * a re-scan of an image whose layers all come from the cache, and Dockerfile and image
 * config checks scan too. Hyperscan refuses them (0) when it is another version or the
 * machine lacks the CPU features they were compiled for (AVX2, see gen-hsdb.c):
 * hs_alloc_scratch checks the latter. Then they are compiled here, as before. */
static int load_built_in(void)
{
	if (hs_deserialize_database((const char *)shp_hsdb_all, shp_hsdb_all_size, &hs_db) == HS_SUCCESS &&
	    hs_deserialize_database((const char *)shp_hsdb_bin, shp_hsdb_bin_size, &hs_bin) == HS_SUCCESS &&
	    hs_alloc_scratch(hs_db, &hs_proto) == HS_SUCCESS && hs_alloc_scratch(hs_bin, &hs_proto) == HS_SUCCESS)
		return 1;
	if (hs_db)
		hs_free_database(hs_db);
	if (hs_bin)
		hs_free_database(hs_bin);
	hs_db = hs_bin = NULL;
	return 0;
}

/* Rule k's regexes, compiled and JIT-compiled when it is first needed (its detector matched):
 * all 248 rules' took 7 ms of every process, four times a Dockerfile's lint, where a text
 * needs a few. Any thread may come first; the lock is taken once per rule. */
static atomic_uchar ready[NPAT];
static pthread_mutex_t compile_lock = PTHREAD_MUTEX_INITIALIZER;

static pcre2_code *compile_one(size_t k, const char *re, uint32_t options)
{
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, options, &ec, &eo, NULL);
	if (!c) {
		fprintf(stderr, "shipshape: internal error: secret pattern %s does not compile at %zu\n",
			patterns[k].kind.id, (size_t)eo);
		abort();
	}
	pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	return c;
}

static void need(size_t k)
{
	if (atomic_load_explicit(&ready[k], memory_order_acquire))
		return;
	pthread_mutex_lock(&compile_lock);
	if (!atomic_load_explicit(&ready[k], memory_order_relaxed)) {
		pcre[k] = compile_one(k, patterns[k].re, 0);
		if (at_keyword[k])
			pcre_at[k] = compile_one(k, patterns[k].re, PCRE2_ANCHORED);
		if (patterns[k].allow)
			allow[k] = compile_one(k, patterns[k].allow, 0);
		atomic_store_explicit(&ready[k], 1, memory_order_release);
	}
	pthread_mutex_unlock(&compile_lock);
}

static void compile(void)
{
	for (size_t i = 0; i < NPAT; i++) {
		kinds[i] = patterns[i].kind;
		int sev = patterns[i].sev != SEV_DEFAULT ? patterns[i].sev : patterns[i].kv ? SEV_HIGH : SEV_CRITICAL;
		kinds[i].severity = 1 + (sev == SEV_CRITICAL ? SHP_SEV_CRITICAL
					 : sev == SEV_HIGH   ? SHP_SEV_HIGH
							     : SHP_SEV_MEDIUM);
		in_binary[i] = (unsigned char)secret_binary_kind(i);
		at_keyword[i] = (unsigned char)secret_at_keyword(i);
	}
	hs_built_in = load_built_in();
	if (!hs_built_in) {
		hs_db = secret_detectors(0, NULL);
		hs_bin = secret_detectors(1, NULL);
		if (hs_alloc_scratch(hs_db, &hs_proto) != HS_SUCCESS ||
		    hs_alloc_scratch(hs_bin, &hs_proto) != HS_SUCCESS)
			abort();
	}
	pthread_key_create(&scratch_key, free_scratch);
	pthread_key_create(&found_key, free_found);
}

int shp_secrets_built_in(void)
{
	pthread_once(&once, compile);
	return hs_built_in;
}

const struct shp_secret_kind *shp_secret_kinds(size_t *n)
{
	pthread_once(&once, compile);
	*n = cust ? cust->nkinds : NPAT;
	return cust ? cust->kinds : kinds;
}

const char *shp_secret_pattern(size_t k) { return k < NPAT ? patterns[k].re : NULL; }

const char *shp_secret_where(size_t k, int *binary)
{
	static const char *const formats[NFILE_KINDS] = {
		[ANY_FILE] = "any text",
		[KV_FILE] = ".env, .properties and other KEY=value files",
		[NPMRC_FILE] = ".npmrc",
		[NETRC_FILE] = ".netrc",
		[DOCKER_CONFIG_FILE] = "Docker's config.json, containers' auth.json",
		[HTPASSWD_FILE] = "htpasswd files",
		[MAVEN_FILE] = "Maven's settings.xml and settings-security.xml",
	};
	_Static_assert(NFILE_KINDS == 7, "a name for each file kind");
	if (k >= NPAT)
		return NULL;
	*binary = patterns[k].binary;
	return formats[(unsigned)patterns[k].where % NFILE_KINDS];
}

/* Shannon entropy of s[0..n), bits a character. */
static double entropy(const char *s, size_t n)
{
	size_t count[256] = {0};
	for (size_t i = 0; i < n; i++)
		count[(unsigned char)s[i]]++;
	double h = 0;
	for (size_t c = 0; c < 256; c++)
		if (count[c]) {
			double p = (double)count[c] / (double)n;
			h -= p * log2(p);
		}
	return h;
}

/* Whether secret s[0..n) of rule k is its allow pattern's (a placeholder, an example) or
 * below its entropy (a word, a repeated character): not a secret. */
static int ruled_out(size_t k, const char *s, size_t n)
{
	double least = patterns[k].entropy > 0 ? patterns[k].entropy : patterns[k].kv ? KV_ENTROPY : 0;
	if (least > 0 && entropy(s, n) < least)
		return 1;
	if (!allow[k])
		return 0;
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(allow[k], NULL);
	int rc = pcre2_match(allow[k], (PCRE2_SPTR)s, n, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	return rc >= 0;
}

/* What the detectors found in one text: where each rule's first matched (its end, never 0:
 * no detector matches empty), and where a keyword rule's keywords start, in order, up to
 * MAX_OCC of them (a rule whose keywords occur more often is searched from its first). */
enum { MAX_OCC = 1 << 20 };
struct hs_found {
	size_t fired[NPAT];
	unsigned char many[NPAT];
	unsigned short list[NPAT]; /* the rules that fired (nfired), to reset and try */
	size_t nfired;
	struct occ {
		unsigned k;
		size_t at;
	} * occ;
	size_t nocc, cap;
	/* the occurrences by rule, each rule's in the text's order: rule k's are
	 * at[first[k] .. first[k + 1]) */
	size_t *at, first[NPAT + 1];
	/* custom rules: which rules' keywords occur; PCRE2's limits and JIT stack for their
	 * patterns, which are the user's */
	unsigned char *kw, *det;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
};

static void free_found(void *p)
{
	struct hs_found *f = p;
	free(f->occ);
	free(f->at);
	free(f->kw);
	free(f->det);
	if (f->mctx)
		pcre2_match_context_free(f->mctx);
	if (f->jit)
		pcre2_jit_stack_free(f->jit);
	free(f);
}

/* Sorts the occurrences by rule (a counting sort: the text's order is kept within a rule). */
static void by_rule(struct hs_found *f)
{
	memset(f->first, 0, sizeof f->first);
	for (size_t i = 0; i < f->nocc; i++)
		f->first[f->occ[i].k + 1]++;
	for (size_t k = 0; k < NPAT; k++)
		f->first[k + 1] += f->first[k];
	size_t next[NPAT];
	memcpy(next, f->first, sizeof next);
	for (size_t i = 0; i < f->nocc; i++)
		f->at[next[f->occ[i].k]++] = f->occ[i].at;
}

static int on_hs(unsigned id, unsigned long long from, unsigned long long to, unsigned fl, void *ctx)
{
	(void)from, (void)fl;
	struct hs_found *f = ctx;
	size_t k = DET_RULE(id);
	if (!f->fired[k]) {
		f->fired[k] = (size_t)to;
		f->list[f->nfired++] = (unsigned short)k;
	}
	if (at_keyword[k] && !f->many[k]) {
		if (f->nocc == f->cap && f->cap < MAX_OCC) {
			f->cap = f->cap ? 2 * f->cap : 1024;
			f->occ = shp_xrealloc(f->occ, f->cap * sizeof *f->occ);
			f->at = shp_xrealloc(f->at, f->cap * sizeof *f->at);
		}
		if (f->nocc == f->cap)
			f->many[k] = 1;
		else {
			f->occ[f->nocc].k = (unsigned)k;
			f->occ[f->nocc++].at = (size_t)to - secret_keyword_len(k, DET_KEYWORD(id));
		}
	}
	return 0;
}

static int is_kv_file(const char *b, size_t n)
{
	static const char *const ends[] = {".env", ".properties", ".cnf", ".tfvars", ".pgpass", ".npmrc", ".pypirc"};
	if (!strcmp(b, ".env") || !strncmp(b, ".env.", 5) || !strcmp(b, "credentials") || !strcmp(b, "environment") ||
	    !strncmp(b, "application", 11))
		return !strncmp(b, "application", 11)
			       ? (strstr(b, ".yml") || strstr(b, ".yaml") || strstr(b, ".properties"))
			       : 1;
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		size_t l = strlen(ends[i]);
		if (n >= l && !strcmp(b + n - l, ends[i]))
			return 1;
	}
	return 0;
}

/* Whether a pattern of format where runs on the file at path (NULL: not a file but a command
 * line or a value, where a format's text is written inline: `echo "_auth=..." > .npmrc`).
 * KV_FILE's patterns need a file: their KEY=value shape is every language's assignment. */
static int runs_on(unsigned where, const char *path)
{
	if (where == ANY_FILE)
		return 1;
	if (!path)
		return where != KV_FILE;
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b);
	switch (where) {
	case KV_FILE: return is_kv_file(b, n);
	case NPMRC_FILE: return !strcmp(b, ".npmrc") || !strcmp(b, "npmrc") || (n > 6 && !strcmp(b + n - 6, ".npmrc"));
	case NETRC_FILE: return !strcmp(b, ".netrc") || !strcmp(b, "_netrc") || !strcmp(b, "netrc");
	/* docker's config.json and .dockercfg, podman's and skopeo's auth.json */
	case DOCKER_CONFIG_FILE:
		return !strcmp(b, "config.json") || !strcmp(b, "auth.json") || !strcmp(b, ".dockercfg") ||
		       !strcmp(b, "dockercfg");
	/* Apache's password files: .htpasswd, htpasswd, and names such as admin.htpasswd */
	case HTPASSWD_FILE: return !strcmp(b, "htpasswd") || (n >= 9 && !strcmp(b + n - 9, ".htpasswd"));
	case MAVEN_FILE: return !strcmp(b, "settings.xml") || !strcmp(b, "settings-security.xml");
	default: return 0;
	}
}

/* A value that names where the secret is instead of holding it: a file path
 * (GOOGLE_APPLICATION_CREDENTIALS=/creds/x.json, /run/secrets/db), a secret store's reference
 * (vault:..., arn:aws:secretsmanager:...), a method call or a variable on the right-hand side
 * (os.getenv(...), config.db.password, process.env.TOKEN, DB_PASSWORD). */
static int reference(const char *s, size_t n)
{
	static const char *const prefixes[] = {"/", "./", "../", "~/", "vault:", "arn:aws:", "secretsmanager:", "ssm:"};
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		size_t l = strlen(prefixes[i]);
		if (n >= l && !strncasecmp(s, prefixes[i], l))
			return 1;
	}
	/* identifiers joined by dots, then maybe a call: a.b.c, f(...), a.b(...); a dotted
	 * value with a digit is rather a password ("Summer2024.Pass") */
	size_t i = 0, parts = 0;
	int digit = 0;
	for (;;) {
		if (i >= n || !(isalpha((unsigned char)s[i]) || s[i] == '_'))
			return 0;
		while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'))
			digit |= isdigit((unsigned char)s[i++]) != 0;
		parts++;
		if (i == n || s[i] == '(' || s[i] == '[')
			break;
		if (s[i] != '.')
			return 0;
		i++;
	}
	if (i < n)
		return 1; /* a call or an index: f(...), os.environ[...] */
	if (parts > 1)
		return !digit;
	/* one identifier: an environment variable's name (UPPER_CASE with an underscore) */
	int lower = 0, under = 0;
	for (size_t k = 0; k < n; k++) {
		lower |= islower((unsigned char)s[k]) != 0;
		under |= s[k] == '_';
	}
	return !lower && under;
}

/* The hosts of documentation (RFC 2606): a URL's credentials there are an example's. */
static int example_host(const char *h, size_t n)
{
	static const char *const hosts[] = {"example.com", "example.org", "example.net"};
	for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
		size_t l = strlen(hosts[i]);
		if (n >= l && !strncasecmp(h + n - l, hosts[i], l) && (n == l || h[n - l - 1] == '.'))
			return 1;
	}
	return 0;
}

/* Placeholders, references and documentation values are not secrets. s[0..n) is the secret,
 * after[0..an) the rest of the match (a URL's "@host"). */
static int plausible(int check, const char *s, size_t n, const char *after, size_t an)
{
	static const char *const fake[] = {"xxxx",     "XXXX",	   "****",     "....",	  "<",		 ">",
					   "${",       "$(",	   "{{",       "%s",	  "example",	 "EXAMPLE",
					   "your",     "YOUR",	   "dummy",    "DUMMY",	  "placeholder", "redacted",
					   "REDACTED", "changeme", "CHANGEME", "ChangeMe"};
	for (size_t i = 0; i < sizeof fake / sizeof fake[0]; i++)
		if (memmem(s, n, fake[i], strlen(fake[i])))
			return 0;
	unsigned char seen[256] = {0};
	size_t distinct = 0;
	for (size_t i = 0; i < n; i++)
		if (!seen[(unsigned char)s[i]]++)
			distinct++;
	if (check == CHK_PASSWORD) {
		static const char *const words[] = {"password", "passwd",   "pass",   "secret", "token",
						    "null",	"none",	    "true",   "false",	"undefined",
						    "required", "optional", "string", "empty"};
		if (strchr("$%{[(", s[0]) || distinct < 3 || reference(s, n))
			return 0;
		for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
			if (n == strlen(words[i]) && !strncasecmp(s, words[i], n))
				return 0;
		if (an > 1 && after[0] == '@' && example_host(after + 1, an - 1))
			return 0;
		return 1;
	}
	if (n >= 16 && distinct < 6)
		return 0;
	/* the random part of a prefixed token: "GR1348941" + "12312312312312312312" is not one */
	if (n >= 24) {
		unsigned char tail[256] = {0};
		size_t td = 0;
		for (size_t i = n - 20; i < n; i++)
			if (!tail[(unsigned char)s[i]]++)
				td++;
		if (td < 6)
			return 0;
	}
	if (check == CHK_AWS_ID && n >= 7 && !memcmp(s + n - 7, "EXAMPLE", 7))
		return 0;
	return 1;
}

/* The matches of one scan: reported unless implausible or inside one reported before (a GCP
 * key is not also a bare private key). */
struct reporter {
	const char *data;
	size_t len;
	const char *path;
	struct hs_found *hf;
	struct spans {
		size_t (*v)[2];
		size_t n, cap;
		int done;
	} blocks; /* the global exclude blocks' matches in data (custom rules) */
	const struct shp_secrets_window *w;
	void (*cb)(void *arg, int kind, size_t start, size_t end);
	void *arg;
	size_t spans[64][2], nspans, found;
};

/* Custom rules: whether re finds a match in s[0..n) (a limit reached: no). */
static int re_search(pcre2_code *re, const char *s, size_t n, struct hs_found *hf)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	int rc = pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, md, hf ? hf->mctx : NULL);
	pcre2_match_data_free(md);
	return rc >= 0;
}

static int any_re(pcre2_code **re, size_t n, const char *s, size_t len, struct hs_found *hf)
{
	for (size_t i = 0; i < n; i++)
		if (re_search(re[i], s, len, hf))
			return 1;
	return 0;
}

/* s[0..n) holds word (lower case) in any case */
static int has_word(const char *s, size_t n, const char *word)
{
	size_t l = strlen(word);
	for (size_t i = 0; l && i + l <= n; i++)
		if (!strncasecmp(s + i, word, l))
			return 1;
	return 0;
}

/* Whether one of allows a[0..n) allows the secret [s, e) of the match [ms, me) in r's text
 * (the path alone when s == e == ms == me == 0 and path is set: the whole file). */
static int listed(char **ids, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ids[i], id))
			return 1;
	return 0;
}

static int allowed_by(const struct callow *a, size_t n, struct reporter *r, const char *id, size_t s, size_t e,
		      size_t ms, size_t me)
{
	const char *d = r->data;
	for (size_t i = 0; i < n; i++, a++) {
		int have = 0, any = 0, every = 1, h;
		if (a->nrules && !listed(a->rules, a->nrules, id))
			continue;
		if (a->npath) {
			have = 1;
			h = r->path && any_re(a->path, a->npath, r->path, strlen(r->path), r->hf);
			any |= h;
			every &= h;
		}
		if (a->nre) {
			have = 1;
			size_t ts = s, te = e;
			if (a->target == SHP_ALLOW_MATCH) {
				ts = ms;
				te = me;
			} else if (a->target == SHP_ALLOW_LINE) {
				ts = ms;
				te = me;
				while (ts > 0 && d[ts - 1] != '\n')
					ts--;
				while (te < r->len && d[te] != '\n')
					te++;
			}
			h = any_re(a->re, a->nre, d + ts, te - ts, r->hf) ||
			    (a->target == SHP_ALLOW_EITHER && any_re(a->re, a->nre, d + ms, me - ms, r->hf));
			any |= h;
			every &= h;
		}
		if (a->nstop) {
			have = 1;
			h = 0;
			for (size_t k = 0; k < a->nstop && !h; k++)
				h = has_word(d + s, e - s, a->stop[k]);
			any |= h;
			every &= h;
		}
		if (have && (a->all ? every : any))
			return 1;
	}
	return 0;
}

/* Whether a global allow allows every secret of r's file by its path. */
static int path_allowed(struct reporter *r)
{
	for (size_t i = 0; i < cust->nallows; i++) {
		const struct callow *a = &cust->allows[i];
		if (a->npath && !a->nrules && !(a->all && (a->nre || a->nstop)) &&
		    any_re(a->path, a->npath, r->path, strlen(r->path), r->hf))
			return 1;
	}
	return 0;
}

/* The global allows, then rule cr's (NULL: a built-in's); k is the rule's kind. */
static int custom_allowed(struct reporter *r, size_t k, const struct crule *cr, size_t s, size_t e, size_t ms,
			  size_t me)
{
	const char *id = cust->kinds[k].id;
	return allowed_by(cust->allows, cust->nallows, r, id, s, e, ms, me) ||
	       (cr && allowed_by(cr->allows, cr->nallows, r, id, s, e, ms, me));
}

/* Sanity limit: exclude blocks in one text (more are not excluded). */
#define MAX_BLOCKS 4096

/* The matches of the block patterns re[0..n) in r's text, once. */
static void find_blocks(struct reporter *r, pcre2_code **re, size_t n, struct spans *sp)
{
	if (sp->done)
		return;
	sp->done = 1;
	for (size_t i = 0; i < n; i++) {
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(re[i], NULL);
		size_t off = 0;
		while (off <= r->len && sp->n < MAX_BLOCKS) {
			if (pcre2_match(re[i], (PCRE2_SPTR)r->data, r->len, off, 0, md, r->hf->mctx) < 0)
				break;
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			if (sp->n == sp->cap) {
				sp->cap = sp->cap ? 2 * sp->cap : 16;
				sp->v = shp_xrealloc(sp->v, sp->cap * sizeof *sp->v);
			}
			sp->v[sp->n][0] = ov[0];
			sp->v[sp->n++][1] = ov[1];
			off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		}
		pcre2_match_data_free(md);
	}
}

static int in_spans(const struct spans *sp, size_t s, size_t e)
{
	for (size_t i = 0; i < sp->n; i++)
		if (s >= sp->v[i][0] && e <= sp->v[i][1])
			return 1;
	return 0;
}

/* Reports secret [s, e) of custom rule i's match [ms, me) unless a test rules it out. */
static void custom_emit(struct reporter *r, size_t i, struct spans *rb, size_t s, size_t e, size_t ms, size_t me)
{
	const struct crule *cr = &cust->rules[i];
	if (e <= s || (cr->entropy > 0 && entropy(r->data + s, e - s) <= cr->entropy) ||
	    custom_allowed(r, NPAT + i, cr, s, e, ms, me))
		return;
	if (cust->nblocks) {
		find_blocks(r, cust->blocks, cust->nblocks, &r->blocks);
		if (in_spans(&r->blocks, s, e))
			return;
	}
	if (cr->nblocks) {
		find_blocks(r, cr->blocks, cr->nblocks, rb);
		if (in_spans(rb, s, e))
			return;
	}
	r->cb(r->arg, (int)(NPAT + i), s, e);
	r->found++;
}

/* The secrets of custom rule i's match in md (rc: pcre2_match's). */
static void custom_report(struct reporter *r, size_t i, pcre2_match_data *md, int rc, struct spans *rb)
{
	const struct crule *cr = &cust->rules[i];
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	size_t ms = ov[0], me = ov[1];
	if (cr->group_name) {
		/* Trivy: each group of the name; none when the whole match is allowed */
		PCRE2_SPTR first, last;
		uint32_t entsize;
		int rcn = pcre2_substring_nametable_scan(cr->re, (PCRE2_SPTR)cr->group_name, &first, &last);
		if (rcn < 0 || custom_allowed(r, NPAT + i, cr, ms, me, ms, me))
			return;
		pcre2_pattern_info(cr->re, PCRE2_INFO_NAMEENTRYSIZE, &entsize);
		for (PCRE2_SPTR p = first; p <= last; p += entsize) {
			int g = (p[0] << 8) | p[1];
			if (g < rc && ov[2 * g] != PCRE2_UNSET)
				custom_emit(r, i, rb, ov[2 * g], ov[2 * g + 1], ms, me);
		}
	} else if (cr->group > 0) {
		if (cr->group < rc && ov[2 * cr->group] != PCRE2_UNSET)
			custom_emit(r, i, rb, ov[2 * cr->group], ov[2 * cr->group + 1], ms, me);
	} else {
		int g = 0;
		if (cr->first_group)
			for (int k = 1; k < rc && !g; k++)
				if (ov[2 * k] != PCRE2_UNSET && ov[2 * k + 1] > ov[2 * k])
					g = k;
		custom_emit(r, i, rb, ov[2 * g], ov[2 * g + 1], ms, me);
	}
}

static int on_kw(unsigned id, unsigned long long from, unsigned long long to, unsigned fl, void *ctx)
{
	(void)from, (void)to, (void)fl;
	((unsigned char *)ctx)[id] = 1;
	return 0;
}

/* The thread's state for the custom rules and allowlists, made on its first scan. */
static void custom_thread(struct hs_found *hf)
{
	if (hf->mctx)
		return;
	hf->mctx = pcre2_match_context_create(NULL);
	hf->jit = pcre2_jit_stack_create(32u << 10, CUSTOM_JIT_STACK, NULL);
	if (!hf->mctx || !hf->jit)
		abort();
	pcre2_set_match_limit(hf->mctx, CUSTOM_MATCH_LIMIT);
	pcre2_set_heap_limit(hf->mctx, CUSTOM_HEAP_LIMIT);
	pcre2_jit_stack_assign(hf->mctx, NULL, hf->jit);
	hf->kw = shp_xcalloc(cust->nrules ? cust->nrules : 1, 1);
	hf->det = shp_xcalloc(cust->nrules ? cust->nrules : 1, 1);
}

/* The custom rules over r's window w (a text's: binary windows are not searched by them). */
static void scan_custom(struct reporter *r, const struct shp_secrets_window *w, hs_scratch_t *scratch)
{
	struct hs_found *hf = r->hf;
	if (cust->kw_db) {
		memset(hf->kw, 0, cust->nrules);
		hs_scan(cust->kw_db, r->data, (unsigned)r->len, 0, scratch, on_kw, hf->kw);
	}
	if (cust->re_db) {
		memset(hf->det, 0, cust->nrules);
		hs_scan(cust->re_db, r->data, (unsigned)r->len, 0, scratch, on_kw, hf->det);
	}
	for (size_t i = 0; i < cust->nrules; i++) {
		const struct crule *cr = &cust->rules[i];
		if (cust->off[NPAT + i] || (cr->keywords && !hf->kw[i]) || (cr->detected && !hf->det[i]) ||
		    (cr->path && (!r->path || !re_search(cr->path, r->path, strlen(r->path), hf))))
			continue;
		struct spans rb = {0};
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(cr->re, NULL);
		size_t off = w->from;
		while (off < w->to) {
			/* a limit reached (PCRE2_ERROR_MATCHLIMIT ...) ends the rule's search too */
			int rc = pcre2_match(cr->re, (PCRE2_SPTR)r->data, r->len, off, 0, md, hf->mctx);
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			if (rc < 0 || ov[0] >= w->to)
				break;
			off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
			custom_report(r, i, md, rc, &rb);
		}
		pcre2_match_data_free(md);
		free(rb.v);
	}
}

/* Whether data[at] is inside an XML comment: the last "<!--" before it, within 64 KiB, is not
 * closed before it. */
static int in_xml_comment(const char *d, size_t at)
{
	size_t lo = at > 65536 ? at - 65536 : 0;
	for (size_t end = at; end >= lo + 3; end--) {
		if (!memcmp(d + end - 3, "-->", 3))
			return 0;
		if (end >= lo + 4 && !memcmp(d + end - 4, "<!--", 4))
			return 1;
	}
	return 0;
}

/* Reports the match in md (rc: pcre2_match's) of rule k if it is a secret; returns where the
 * next match may start. */
static size_t report(struct reporter *r, size_t k, pcre2_match_data *md, int rc)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	int g = rc > 1 ? rc - 1 : 0; /* the rule's group, else the last that matched */
	if (patterns[k].group > 0 && patterns[k].group < rc && ov[2 * patterns[k].group] != PCRE2_UNSET)
		g = patterns[k].group;
	while (g > 0 && ov[2 * g] == PCRE2_UNSET)
		g--;
	size_t s = ov[2 * g], e = ov[2 * g + 1];
	size_t ms = ov[0], me = ov[1];
	size_t next = me > ms ? me : ms + 1;
	int check = patterns[k].check;
	if (check == CHK_XML_PASSWORD) {
		if (in_xml_comment(r->data, ms))
			return next;
		check = CHK_PASSWORD;
	}
	if (!plausible(check, r->data + s, e - s, r->data + e, me > e ? me - e : 0) ||
	    ruled_out(k, r->data + s, e - s) || (cust && custom_allowed(r, k, NULL, s, e, ms, me)))
		return next;
	for (size_t i = 0; i < r->nspans; i++)
		if (ms < r->spans[i][1] && r->spans[i][0] < me)
			return next;
	if (r->nspans < 64) {
		r->spans[r->nspans][0] = ms;
		r->spans[r->nspans][1] = me;
		r->nspans++;
	}
	r->cb(r->arg, (int)k, s, e);
	r->found++;
	return next;
}

size_t shp_secrets_scan(const char *data, size_t len, const char *path,
			void (*cb)(void *arg, int kind, size_t start, size_t end), void *arg)
{
	struct shp_secrets_window w = {.from = 0, .to = len, .binary = 0};
	return shp_secrets_scan_window(data, len, path, &w, cb, arg);
}

size_t shp_secrets_scan_window(const char *data, size_t len, const char *path, const struct shp_secrets_window *w,
			       void (*cb)(void *arg, int kind, size_t start, size_t end), void *arg)
{
	pthread_once(&once, compile);
	if (len == 0 || len > 0xffffffffu || w->from >= w->to)
		return 0;
	hs_scratch_t *scratch = pthread_getspecific(scratch_key);
	if (!scratch) {
		if (hs_clone_scratch(hs_proto, &scratch) != HS_SUCCESS)
			abort();
		pthread_setspecific(scratch_key, scratch);
	}
	struct hs_found *hf = pthread_getspecific(found_key);
	if (!hf) {
		hf = shp_xcalloc(1, sizeof *hf);
		pthread_setspecific(found_key, hf);
	}
	struct reporter r = {.data = data, .len = len, .path = path, .hf = hf, .w = w, .cb = cb, .arg = arg};
	if (cust)
		custom_thread(hf); /* before any allow regex runs: the user's, under the limits */
	/* a file the configuration allows by its path alone is not searched */
	if (cust && cust->path_allows && path && path_allowed(&r))
		return 0;
	/* the last text's, reset (most texts fire no rule: a word of a RUN line, a program) */
	for (size_t i = 0; i < hf->nfired; i++) {
		hf->fired[hf->list[i]] = 0;
		hf->many[hf->list[i]] = 0;
	}
	hf->nfired = hf->nocc = 0;
	hs_scan(w->binary ? hs_bin : hs_db, data, (unsigned)len, 0, scratch, on_hs, hf);
	if (hf->nocc)
		by_rule(hf);
	/* in the table's order, which is the order of precedence (see reporter) */
	for (size_t i = 1; i < hf->nfired; i++)
		for (size_t j = i; j > 0 && hf->list[j - 1] > hf->list[j]; j--) {
			unsigned short t = hf->list[j];
			hf->list[j] = hf->list[j - 1];
			hf->list[j - 1] = t;
		}
	signed char runs[NFILE_KINDS];
	memset(runs, -1, sizeof runs);
	for (size_t f = 0; f < hf->nfired; f++) {
		size_t k = hf->list[f];
		if ((w->binary && !in_binary[k]) || (cust && cust->off[k]))
			continue;
		unsigned where = (unsigned)patterns[k].where % NFILE_KINDS;
		if (runs[where] < 0)
			runs[where] = (signed char)runs_on(where, path);
		if (!runs[where])
			continue;
		need(k);
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(pcre[k], NULL);
		if (at_keyword[k] && !hf->many[k]) {
			/* the rule's matches start at its keywords: tried there alone */
			size_t off = w->from;
			for (size_t i = hf->first[k]; i < hf->first[k + 1]; i++)
				if (hf->at[i] >= off && hf->at[i] < w->to) {
					int rc = pcre2_match(pcre_at[k], (PCRE2_SPTR)data, len, hf->at[i], 0, md, NULL);
					if (rc >= 0)
						off = report(&r, k, md, rc);
				}
			pcre2_match_data_free(md);
			continue;
		}
		/* every match holds a detector's match, so ends at or after the first one's end,
		 * and is at most SHP_SECRET_MAX_MATCH long: what lies before cannot match (a
		 * window of a program is not searched from its start for one string near its end);
		 * look-behinds still see the bytes before the start */
		PCRE2_SIZE off =
			hf->fired[k] > w->from + SHP_SECRET_MAX_MATCH ? hf->fired[k] - SHP_SECRET_MAX_MATCH : w->from;
		while (off < w->to) {
			int rc = pcre2_match(pcre[k], (PCRE2_SPTR)data, len, off, 0, md, NULL);
			if (rc < 0 || pcre2_get_ovector_pointer(md)[0] >= w->to)
				break; /* none, or the next window's */
			off = report(&r, k, md, rc);
		}
		pcre2_match_data_free(md);
	}
	if (cust && !w->binary)
		scan_custom(&r, w, scratch);
	free(r.blocks.v);
	return r.found;
}

/* base62's digits: 0-9A-Za-z, as GitHub's token format has been described and implemented by
 * the scanners that check it; 0-9a-zA-Z, the other order in use, is accepted too (a made-up
 * token passes either by chance once in 2^31). */
static int base62_is(uint32_t v, const char *s, const char *digits)
{
	char out[6];
	for (int i = 5; i >= 0; i--) {
		out[i] = digits[v % 62];
		v /= 62;
	}
	return v == 0 && !memcmp(out, s, 6);
}

int shp_secret_checksum(int kind, const char *s, size_t n)
{
	pthread_once(&once, compile);
	if (kind < 0 || (size_t)kind >= NPAT)
		return -1;
	const char *id = patterns[kind].kind.id;
	int gh = !strcmp(id, "github-token") && n == 40 && s[0] == 'g' && s[3] == '_';
	int npm = !strcmp(id, "npm-token") && n == 40 && !memcmp(s, "npm_", 4);
	if (!gh && !npm)
		return -1;
	uint32_t crc = (uint32_t)crc32(0, (const Bytef *)s + 4, 30);
	return base62_is(crc, s + 34, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") ||
	       base62_is(crc, s + 34, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
}

int shp_secret_file_name(const char *path, const char **what)
{
	static const struct {
		const char *name, *what;
		int suffix; /* match the end of the path ("/.aws/credentials") rather than the base */
	} names[] = {
		{"id_rsa", "SSH private key", 0},
		{"id_dsa", "SSH private key", 0},
		{"id_ecdsa", "SSH private key", 0},
		{"id_ed25519", "SSH private key", 0},
		{".netrc", "netrc credentials", 0},
		{"_netrc", "netrc credentials", 0},
		{".git-credentials", "git credentials", 0},
		{".pgpass", "PostgreSQL password file", 0},
		{".my.cnf", "MySQL client credentials", 0},
		{"credentials.json", "credentials file", 0},
		{"credential.json", "credentials file", 0},
		{".env", "dotenv file", 0},
		{".npmrc", "npm configuration", 0},
		{".pypirc", "PyPI configuration", 0},
		{"/.aws/credentials", "AWS credentials file", 1},
		{"/.docker/config.json", "Docker client credentials", 1},
		{"/.kube/config", "kubeconfig", 1},
		{"secret_token.rb", "Rails secret token", 0},
		{"master.key", "Rails master key", 0},
		{".htpasswd", "htpasswd file", 0},
		{"terraform.tfstate", "Terraform state", 0},
	};
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(path);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t l = strlen(names[i].name);
		int hit = names[i].suffix ? ((n > l && !strcmp(path + n - l, names[i].name)) ||
					     !strcmp(path, names[i].name + 1))
					  : !strcmp(b, names[i].name);
		if (hit) {
			*what = names[i].what;
			return 1;
		}
	}
	return 0;
}

/* Custom rules: compiling the configuration. */

static int compile_re(const char *re, const char *name, const char *where, const char *what, pcre2_code **out,
		      struct shp_error **err)
{
	int ec;
	PCRE2_SIZE eo;
	*out = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, PCRE2_DUPNAMES, &ec, &eo, NULL);
	if (!*out) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(ec, msg, sizeof msg);
		return shp_error_set(err, SHP_EXIT_INPUT, "%s: %s: invalid regex at offset %zu: %s",
				     where ? where : name, what, (size_t)eo, (const char *)msg);
	}
	pcre2_jit_compile(*out, PCRE2_JIT_COMPLETE);
	return 0;
}

static int compile_all(char **src, size_t n, const char *name, const char *where, const char *what, pcre2_code ***out,
		       struct shp_error **err)
{
	*out = shp_xcalloc(n ? n : 1, sizeof **out);
	for (size_t i = 0; i < n; i++)
		if (compile_re(src[i], name, where, what, &(*out)[i], err) < 0)
			return -1;
	return 0;
}

static int compile_allows(const struct shp_secret_allow *a, size_t n, const char *name, const char *where,
			  struct callow **out, struct shp_error **err)
{
	*out = shp_xcalloc(n ? n : 1, sizeof **out);
	for (size_t i = 0; i < n; i++) {
		struct callow *c = &(*out)[i];
		const char *w = where ? where : name;
		_cleanup_free_ char *what = a[i].id ? shp_asprintf("allow rule %s", a[i].id) : shp_xstrdup("allowlist");
		c->target = a[i].target;
		c->all = a[i].all;
		c->nre = a[i].nregexes;
		c->npath = a[i].npaths;
		c->nstop = a[i].nstopwords;
		if (compile_all(a[i].regexes, c->nre, name, w, what, &c->re, err) < 0 ||
		    compile_all(a[i].paths, c->npath, name, w, what, &c->path, err) < 0)
			return -1;
		c->stop = shp_xcalloc(c->nstop ? c->nstop : 1, sizeof *c->stop);
		for (size_t k = 0; k < c->nstop; k++)
			c->stop[k] = shp_xstrdup(a[i].stopwords[k]);
		c->nrules = a[i].nrules;
		c->rules = shp_xcalloc(c->nrules ? c->nrules : 1, sizeof *c->rules);
		for (size_t k = 0; k < c->nrules; k++)
			c->rules[k] = shp_xstrdup(a[i].rules[k]);
	}
	return 0;
}

/* The keywords of the rules that have some, as one Hyperscan database of literals. */
static int compile_keywords(const struct shp_secret_config *c, struct shp_error **err)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nrules; i++)
		n += c->rules[i].nkeywords;
	if (!n)
		return 0;
	const char **lit = shp_xcalloc(n, sizeof *lit);
	size_t *lens = shp_xcalloc(n, sizeof *lens);
	unsigned *ids = shp_xcalloc(n, sizeof *ids), *flags = shp_xcalloc(n, sizeof *flags);
	size_t k = 0;
	for (size_t i = 0; i < c->nrules; i++)
		for (size_t j = 0; j < c->rules[i].nkeywords; j++, k++) {
			lit[k] = c->rules[i].keywords[j];
			lens[k] = strlen(lit[k]);
			ids[k] = (unsigned)i;
			flags[k] = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH;
		}
	hs_compile_error_t *ce = NULL;
	int rc = 0;
	if (hs_compile_lit_multi(lit, flags, ids, lens, (unsigned)n, HS_MODE_BLOCK, NULL, &cust->kw_db, &ce) !=
	    HS_SUCCESS) {
		rc = shp_error_set(err, SHP_EXIT_INPUT, "%s: keywords: %s", c->name,
				   ce && ce->message ? ce->message : "do not compile");
		hs_free_compile_error(ce);
	} else if (hs_alloc_scratch(cust->kw_db, &hs_proto) != HS_SUCCESS) {
		abort();
	}
	free(lit);
	free(lens);
	free(ids);
	free(flags);
	return rc;
}

/* The rules' regexes as Hyperscan detectors, in prefilter mode (a match of the regex is a
 * match of the detector; Hyperscan's time is linear): a rule whose detector does not fire
 * on a text is not run there by PCRE2, whose backtracking on a user's regex can cost much.
 * A regex Hyperscan does not take (a construct it lacks) is run everywhere. */
static void compile_detectors(const struct shp_secret_config *c)
{
	const char **re = shp_xcalloc(c->nrules + 1, sizeof *re);
	unsigned *ids = shp_xcalloc(c->nrules + 1, sizeof *ids), *flags = shp_xcalloc(c->nrules + 1, sizeof *flags);
	unsigned n = 0;
	for (size_t i = 0; i < c->nrules; i++) {
		hs_database_t *db = NULL;
		hs_compile_error_t *ce = NULL;
		unsigned fl = HS_FLAG_PREFILTER | HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY;
		if (hs_compile(c->rules[i].regex, fl, HS_MODE_BLOCK, NULL, &db, &ce) != HS_SUCCESS) {
			hs_free_compile_error(ce);
			continue;
		}
		hs_free_database(db);
		re[n] = c->rules[i].regex;
		ids[n] = (unsigned)i;
		flags[n++] = fl;
		cust->rules[i].detected = 1;
	}
	hs_compile_error_t *ce = NULL;
	if (n && (hs_compile_multi(re, flags, ids, n, HS_MODE_BLOCK, NULL, &cust->re_db, &ce) != HS_SUCCESS ||
		  hs_alloc_scratch(cust->re_db, &hs_proto) != HS_SUCCESS)) {
		hs_free_compile_error(ce);
		cust->re_db = NULL;
		for (size_t i = 0; i < c->nrules; i++)
			cust->rules[i].detected = 0;
	}
	free(re);
	free(ids);
	free(flags);
}

int shp_secrets_configure(const struct shp_secret_config *c, struct shp_error **err)
{
	pthread_once(&once, compile);
	if (cust)
		return shp_error_set(err, SHP_EXIT_USAGE, "%s: one secret configuration a run", c->name);
	/* not freed on error either: the process exits */
	cust = shp_xcalloc(1, sizeof *cust);
	cust->nkinds = NPAT + c->nrules;
	cust->nrules = c->nrules;
	cust->kinds = shp_xcalloc(cust->nkinds, sizeof *cust->kinds);
	cust->off = shp_xcalloc(cust->nkinds, 1);
	cust->rules = shp_xcalloc(c->nrules ? c->nrules : 1, sizeof *cust->rules);
	snprintf(cust->digest, sizeof cust->digest, "%s", c->digest);
	memcpy(cust->kinds, kinds, sizeof kinds);
	for (size_t k = 0; k < NPAT; k++) {
		const char *id = kinds[k].id;
		cust->off[k] = c->no_builtins || listed(c->disabled, c->ndisabled, id) ||
			       (c->only_enabled && !listed(c->enabled, c->nenabled, id));
		for (size_t i = 0; i < c->nrules; i++)
			cust->off[k] |= !strcmp(c->rules[i].id, id); /* replaced */
	}
	for (size_t i = 0; i < c->nrules; i++) {
		const struct shp_secret_rule *sr = &c->rules[i];
		struct crule *cr = &cust->rules[i];
		struct shp_secret_kind *k = &cust->kinds[NPAT + i];
		k->id = shp_xstrdup(sr->id);
		/* the rule's id is said with its title: the finding is the reporting rule's */
		k->title = sr->title && *sr->title ? shp_asprintf("%s (%s)", sr->title, sr->id) : shp_xstrdup(sr->id);
		k->severity = sr->severity;
		cust->off[NPAT + i] = listed(c->disabled, c->ndisabled, sr->id);
		const char *w = sr->where ? sr->where : c->name;
		if (!sr->regex)
			return shp_error_set(err, SHP_EXIT_INPUT,
					     "%s: rule %s: no regex (rules of a path alone are not "
					     "supported)",
					     w, sr->id);
		if (compile_re(sr->regex, c->name, w, "regex", &cr->re, err) < 0 ||
		    (sr->path && compile_re(sr->path, c->name, w, "path", &cr->path, err) < 0) ||
		    compile_allows(sr->allows, sr->nallows, c->name, w, &cr->allows, err) < 0 ||
		    compile_all(sr->blocks, sr->nblocks, c->name, w, "exclude-block", &cr->blocks, err) < 0)
			return -1;
		cr->nallows = sr->nallows;
		cr->nblocks = sr->nblocks;
		cr->group = sr->group;
		cr->first_group = sr->first_group;
		cr->entropy = sr->entropy;
		cr->keywords = sr->nkeywords > 0;
		if (sr->group_name) {
			PCRE2_SPTR first, last;
			if (pcre2_substring_nametable_scan(cr->re, (PCRE2_SPTR)sr->group_name, &first, &last) < 0)
				return shp_error_set(err, SHP_EXIT_INPUT,
						     "%s: rule %s: the regex has no group named %s", w, sr->id,
						     sr->group_name);
			cr->group_name = shp_xstrdup(sr->group_name);
		}
		uint32_t ncap;
		pcre2_pattern_info(cr->re, PCRE2_INFO_CAPTURECOUNT, &ncap);
		if (sr->group < 0 || (uint32_t)sr->group > ncap)
			return shp_error_set(err, SHP_EXIT_INPUT, "%s: rule %s: secret group %d, but the regex has %u",
					     w, sr->id, sr->group, ncap);
	}
	cust->nallows = c->nallows;
	cust->nblocks = c->nblocks;
	if (compile_allows(c->allows, c->nallows, c->name, NULL, &cust->allows, err) < 0 ||
	    compile_all(c->blocks, c->nblocks, c->name, NULL, "exclude-block", &cust->blocks, err) < 0 ||
	    compile_keywords(c, err) < 0)
		return -1;
	compile_detectors(c);
	for (size_t i = 0; i < c->nallows; i++)
		cust->path_allows |= c->allows[i].npaths > 0;
	return 0;
}

const char *shp_secrets_config_digest(void) { return cust ? cust->digest : NULL; }

static void allows_free(struct shp_secret_allow *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].id);
		for (size_t k = 0; k < a[i].nregexes; k++)
			free(a[i].regexes[k]);
		for (size_t k = 0; k < a[i].npaths; k++)
			free(a[i].paths[k]);
		for (size_t k = 0; k < a[i].nstopwords; k++)
			free(a[i].stopwords[k]);
		for (size_t k = 0; k < a[i].nrules; k++)
			free(a[i].rules[k]);
		free(a[i].regexes);
		free(a[i].paths);
		free(a[i].stopwords);
		free(a[i].rules);
	}
	free(a);
}

static void strs_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void shp_secret_rule_free(struct shp_secret_rule *r)
{
	free(r->id);
	free(r->title);
	free(r->where);
	free(r->regex);
	free(r->group_name);
	free(r->path);
	strs_free(r->keywords, r->nkeywords);
	strs_free(r->blocks, r->nblocks);
	allows_free(r->allows, r->nallows);
	*r = (struct shp_secret_rule){0};
}

void shp_secret_config_free(struct shp_secret_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nrules; i++)
		shp_secret_rule_free(&c->rules[i]);
	free(c->rules);
	allows_free(c->allows, c->nallows);
	strs_free(c->blocks, c->nblocks);
	strs_free(c->disabled, c->ndisabled);
	strs_free(c->enabled, c->nenabled);
	free(c->name);
	*c = (struct shp_secret_config){0};
}
