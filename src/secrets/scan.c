/* scan.c - the content secret scanner (see scan.h). Hyperscan runs every pattern at once
 * as a detector (prefilter, one report per kind); PCRE2 then finds each exact match of the
 * kinds that fired, so the common case - a file without secrets - costs one pass. */
#include "secrets/scan.h"
#include "secrets/hsdb.h"
#include "secrets/patterns.h"
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
		kinds[i].critical = sev == SEV_CRITICAL;
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
	*n = NPAT;
	return kinds;
}

const char *shp_secret_pattern(size_t k) { return k < NPAT ? patterns[k].re : NULL; }

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
};

static void free_found(void *p)
{
	struct hs_found *f = p;
	free(f->occ);
	free(f->at);
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
	const struct shp_secrets_window *w;
	void (*cb)(void *arg, int kind, size_t start, size_t end);
	void *arg;
	size_t spans[64][2], nspans, found;
};

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
	if (!plausible(patterns[k].check, r->data + s, e - s, r->data + e, me > e ? me - e : 0) ||
	    ruled_out(k, r->data + s, e - s))
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
	struct reporter r = {.data = data, .len = len, .w = w, .cb = cb, .arg = arg};
	for (size_t f = 0; f < hf->nfired; f++) {
		size_t k = hf->list[f];
		if (w->binary && !in_binary[k])
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
