/* scan.c - the content secret scanner (see scan.h). Hyperscan runs every pattern at once
 * as a detector (prefilter, one report per kind); PCRE2 then finds each exact match of the
 * kinds that fired, so the common case - a file without secrets - costs one pass. */
#include "secrets/scan.h"
#include "util/xalloc.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs/hs.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { ANY_FILE = 0, KV_FILE = 1 };

struct pattern {
	struct shp_secret_kind kind;
	const char *re; /* PCRE2; the last group that matched (if any) is the secret; every
			   repeat bounded, so no match is longer than SHP_SECRET_MAX_MATCH */
	int where;	/* ANY_FILE, or KV_FILE: only env/properties-style files */
	int check;	/* extra plausibility test, see plausible() */
};

/* The kinds also looked for in binary files: those whose form is unmistakable (a key's
 * armour, a token's fixed prefix), not the generic password=... ones, which the strings
 * of a binary match by chance. */
static const char *const binary_kinds[] = {
	"gcp-service-account-key",
	"private-key",
	"putty-private-key",
	"aws-access-key-id",
	"aws-secret-access-key",
	"azure-storage-account-key",
	"azure-client-secret",
	"github-token",
	"gitlab-token",
	"slack-token",
	"slack-webhook",
	"stripe-key",
	"npm-token",
	"pypi-token",
	"openai-key",
	"google-api-key",
};

enum { CHK_TOKEN, CHK_AWS_ID, CHK_PASSWORD };

#define NB "(?<![A-Za-z0-9_])" /* not inside a longer word */
#define NA "(?![A-Za-z0-9_])"

static const struct pattern patterns[] = {
	{{"gcp-service-account-key", "GCP service account private key", 1},
	 "\"private_key\"\\s{0,64}:\\s{0,64}\"(-----BEGIN (?:RSA )?PRIVATE KEY-----[^\"]{40,16384}?-----END (?:RSA "
	 ")?PRIVATE KEY-----(?:\\\\n)?)\"",
	 ANY_FILE,
	 CHK_TOKEN},
	{{"private-key", "private key", 1},
	 "-----BEGIN ((?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----"
	 "(?:\\\\n|\\s){1,64}(?:[A-Za-z-]{1,64}: [^\\n]{0,1024}(?:\\\\n|\\r?\\n)){0,8}(?:\\\\n|\\s){0,64}"
	 "([A-Za-z0-9+/=\\\\\\s]{40,16384}?)"
	 "-----END [A-Z ]{0,20}PRIVATE KEY",
	 ANY_FILE,
	 CHK_TOKEN},
	{{"putty-private-key", "PuTTY private key", 1},
	 "PuTTY-User-Key-File-[23]: [^\\r\\n]{1,256}\\r?\\nEncryption: [^\\r\\n]{1,256}\\r?\\n[\\s\\S]{0,4096}?"
	 "(Private-Lines: [0-9]{1,6}\\r?\\n[A-Za-z0-9+/=\\r\\n]{40,16384})",
	 ANY_FILE,
	 CHK_TOKEN},
	{{"aws-access-key-id", "AWS access key ID", 0},
	 NB "((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16})" NA,
	 ANY_FILE,
	 CHK_AWS_ID},
	{{"aws-secret-access-key", "AWS secret access key", 1},
	 "(?i)(?:aws[_.-]?(?:secret|sec)[_.-]?(?:access[_.-]?)?key|secret[_.-]?access[_.-]?key)['\"]?\\s{0,64}(?::|=>?|"
	 "\\s)\\s{0,64}"
	 "['\"]?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])",
	 ANY_FILE,
	 CHK_TOKEN},
	{{"azure-storage-account-key", "Azure storage account key", 1},
	 "(?i)AccountKey\\s{0,64}=\\s{0,64}([A-Za-z0-9+/]{86}==)",
	 ANY_FILE,
	 CHK_TOKEN},
	{{"azure-client-secret", "Azure Entra ID client secret", 1},
	 "(?<![A-Za-z0-9_~.-])([A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])",
	 ANY_FILE,
	 CHK_TOKEN},
	{{"github-token", "GitHub token", 1},
	 NB "((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{82})",
	 ANY_FILE,
	 CHK_TOKEN},
	{{"gitlab-token", "GitLab token", 1},
	 "(?<![A-Za-z0-9_-])(glpat-[A-Za-z0-9_.-]{20,255}|gldt-[A-Za-z0-9_-]{20}|glrt-[A-Za-z0-9_.-]{20,255}|"
	 "glptt-[0-9a-f]{40}|GR1348941[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])",
	 ANY_FILE,
	 CHK_TOKEN},
	{{"slack-token", "Slack token", 1},
	 NB "(xoxb-[0-9]{8,14}-(?:[0-9]{8,14}-)?[A-Za-z0-9]{18,32}|xox[pe]-[0-9]{8,14}-[0-9]{8,14}-[0-9]{8,14}-[A-Fa-"
	    "f0-9]{28,34}|"
	    "xox[aosr]-[0-9]-?[0-9]{1,14}-[0-9]{8,14}-[0-9]{8,14}-[A-Fa-f0-9]{10,64}|"
	    "xox[os]-[0-9]{1,32}-[0-9]{1,32}-[0-9]{1,32}-[A-Fa-f0-9]{1,128}|"
	    "xapp-[0-9]-[A-Z0-9]{1,64}-[0-9]{1,32}-[a-z0-9]{1,128}|xoxe\\.xox[bp]-[0-9]-[A-Za-z0-9]{100,1024}|"
	    "xoxe-[0-9]-[A-Za-z0-9]{100,1024})" NA,
	 ANY_FILE,
	 CHK_TOKEN},
	{{"slack-webhook", "Slack webhook URL", 1},
	 "https?://hooks\\.slack\\.com/(?:services|workflows)/([A-Za-z0-9+/]{43,80})",
	 ANY_FILE,
	 CHK_TOKEN},
	{{"stripe-key", "Stripe secret key", 1},
	 NB "((?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{10,247})" NA,
	 ANY_FILE,
	 CHK_TOKEN},
	{{"npm-token", "npm access token", 1}, NB "(npm_[A-Za-z0-9]{36})" NA, ANY_FILE, CHK_TOKEN},
	{{"npmrc-auth", "npm registry credential", 1},
	 "(?:_authToken|_auth|_password)\\s{0,64}=\\s{0,64}\"?([^\\s\"'$]{8,1024})",
	 ANY_FILE,
	 CHK_PASSWORD},
	{{"pypi-token", "PyPI upload token", 1}, "(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1024})", ANY_FILE, CHK_TOKEN},
	{{"openai-key", "OpenAI API key", 1},
	 NB "(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,512}T3BlbkFJ[A-Za-z0-9_-]{20,512})" NA,
	 ANY_FILE,
	 CHK_TOKEN},
	{{"google-api-key", "Google API key", 1}, NB "(AIza[0-9A-Za-z_-]{35})" NA, ANY_FILE, CHK_TOKEN},
	{{"docker-config-auth", "registry credential in a Docker config", 1},
	 "\"auths\"\\s{0,64}:\\s{0,64}\\{[\\s\\S]{0,2000}?\"auth\"\\s{0,64}:\\s{0,64}\"([A-Za-z0-9+/]{4,4096}={0,2})\"",
	 ANY_FILE,
	 CHK_PASSWORD},
	{{"docker-config-secret", "Kubernetes docker-registry secret", 1},
	 "\\.docker(?:configjson|cfg)\"?\\s{0,64}:\\s{0,64}\"?([A-Za-z0-9+/]{8,8192}={0,2})",
	 ANY_FILE,
	 CHK_PASSWORD},
	{{"jwt", "JSON Web Token", 0},
	 "(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{8,4096}={0,2}\\.eyJ[A-Za-z0-9_-]{8,4096}={0,2}\\.(?:[A-Za-z0-9_-]{10,"
	 "4096}={0,2})?)",
	 ANY_FILE,
	 CHK_TOKEN},
	{{"netrc-password", "password in a .netrc", 1},
	 "(?:machine\\s{1,64}\\S{1,256}|default)\\s{1,64}(?:login\\s{1,64}\\S{1,256}\\s{1,64})?password\\s{1,64}(\\S{1,"
	 "256})",
	 ANY_FILE,
	 CHK_PASSWORD},
	{{"url-password", "password in a URL", 1},
	 "(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,15}://[^/\\s:@'\"<>]{1,64}:([^/"
	 "\\s:@'\"<>]{3,128})@[A-Za-z0-9._-]{2,253}",
	 ANY_FILE,
	 CHK_PASSWORD},
	{{"env-password", "password or key in a KEY=value file", 1},
	 "(?im)^[ \\t]{0,64}(?:export[ "
	 "\\t]{1,64})?[\"']?[A-Za-z0-9_.-]{0,128}(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API[_-]?KEY|"
	 "ACCESS[_-]?KEY|PRIVATE[_-]?KEY|CREDENTIALS?)[A-Za-z0-9_.-]{0,128}[\"']?[ \\t]{0,64}[=:][ \\t]{0,64}[\"']?"
	 "([^\\s\"'#;]{6,1024})",
	 KV_FILE,
	 CHK_PASSWORD},
};

#define NPAT (sizeof patterns / sizeof patterns[0])

/* Hyperscan detectors, one per pattern: literal anchors and short classes compile in
 * milliseconds, where the full patterns' long bounded repeats take seconds. */
static const struct {
	const char *id, *det;
} detectors[] = {
	{"gcp-service-account-key", "\"private_key\"\\s*:\\s*\"-----BEGIN"},
	{"private-key", "-----BEGIN [A-Z ]{0,20}PRIVATE KEY"},
	{"putty-private-key", "PuTTY-User-Key-File-[23]:"},
	{"aws-access-key-id", "(AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}"},
	{"aws-secret-access-key", "(?i)(aws.?(secret|sec).?(access.?)?key|secret.?access.?key)"},
	{"azure-storage-account-key", "(?i)AccountKey\\s*="},
	{"azure-client-secret", "[0-9]Q~[A-Za-z0-9_~.-]{31}"},
	{"github-token", "(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_"},
	{"gitlab-token", "glpat-|gldt-|glrt-|glptt-|GR1348941"},
	{"slack-token", "xox[abeoprs][.-]|xapp-"},
	{"slack-webhook", "hooks\\.slack\\.com/"},
	{"stripe-key", "(sk|rk)_(live|test|prod)_"},
	{"npm-token", "npm_[A-Za-z0-9]{36}"},
	{"npmrc-auth", "_authToken|_auth\\s*=|_password\\s*="},
	{"pypi-token", "pypi-AgEIcHlwaS5vcmc"},
	{"openai-key", "T3BlbkFJ"},
	{"google-api-key", "AIza[0-9A-Za-z_-]{35}"},
	{"docker-config-auth", "\"auths\""},
	{"docker-config-secret", "\\.docker(configjson|cfg)"},
	{"jwt", "eyJ[A-Za-z0-9_-]{8}[A-Za-z0-9_-]*={0,2}\\.eyJ"},
	{"netrc-password", "password\\s"},
	{"url-password", "://[^/\\s:@]+:[^/\\s:@]+@"},
	{"env-password",
	 "(?i)(password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential)"},
};

static struct shp_secret_kind kinds[NPAT];
static hs_database_t *hs_db;
static hs_database_t *hs_bin;	      /* the detectors of binary_kinds alone, for binary files */
static unsigned char in_binary[NPAT]; /* the kind is one of binary_kinds */
static hs_scratch_t *hs_proto;
static pcre2_code *pcre[NPAT];
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t scratch_key;

static void free_scratch(void *p) { hs_free_scratch(p); }

static void compile(void)
{
	const char *exprs[NPAT];
	unsigned flags[NPAT], ids[NPAT];
	for (size_t i = 0; i < NPAT; i++) {
		kinds[i] = patterns[i].kind;
		exprs[i] = NULL;
		for (size_t d = 0; d < sizeof detectors / sizeof detectors[0]; d++)
			if (!strcmp(detectors[d].id, patterns[i].kind.id))
				exprs[i] = detectors[d].det;
		if (!exprs[i]) {
			fprintf(stderr, "shipshape: internal error: secret pattern %s has no detector\n",
				patterns[i].kind.id);
			abort();
		}
		flags[i] = HS_FLAG_PREFILTER | HS_FLAG_SINGLEMATCH;
		ids[i] = (unsigned)i;
		int ec;
		PCRE2_SIZE eo;
		pcre[i] = pcre2_compile((PCRE2_SPTR)patterns[i].re, PCRE2_ZERO_TERMINATED, 0, &ec, &eo, NULL);
		if (!pcre[i]) {
			fprintf(stderr, "shipshape: internal error: secret pattern %s does not compile at %zu\n",
				patterns[i].kind.id, (size_t)eo);
			abort();
		}
		pcre2_jit_compile(pcre[i], PCRE2_JIT_COMPLETE);
	}
	/* the binary kinds' detectors, with the same ids: a binary file is searched by a
	 * database of its own, so the generic kinds cost nothing there (most of an image's
	 * bytes are programs) */
	const char *bexprs[NPAT];
	unsigned bflags[NPAT], bids[NPAT], nb = 0;
	for (size_t b = 0; b < sizeof binary_kinds / sizeof binary_kinds[0]; b++) {
		size_t i = 0;
		while (i < NPAT && strcmp(binary_kinds[b], patterns[i].kind.id))
			i++;
		if (i == NPAT)
			abort();
		in_binary[i] = 1;
		bexprs[nb] = exprs[i];
		bflags[nb] = flags[i];
		bids[nb++] = ids[i];
	}
	hs_compile_error_t *ce = NULL;
	if (hs_compile_multi(exprs, flags, ids, (unsigned)NPAT, HS_MODE_BLOCK, NULL, &hs_db, &ce) != HS_SUCCESS ||
	    hs_compile_multi(bexprs, bflags, bids, nb, HS_MODE_BLOCK, NULL, &hs_bin, &ce) != HS_SUCCESS) {
		fprintf(stderr, "shipshape: internal error: secret patterns (#%d): %s\n", ce ? ce->expression : -1,
			ce ? ce->message : "?");
		abort();
	}
	if (hs_alloc_scratch(hs_db, &hs_proto) != HS_SUCCESS || hs_alloc_scratch(hs_bin, &hs_proto) != HS_SUCCESS)
		abort();
	pthread_key_create(&scratch_key, free_scratch);
}

const struct shp_secret_kind *shp_secret_kinds(size_t *n)
{
	pthread_once(&once, compile);
	*n = NPAT;
	return kinds;
}

const char *shp_secret_pattern(size_t k) { return k < NPAT ? patterns[k].re : NULL; }

/* Records where detector id first matched (its end, never 0: no detector matches empty). */
static int on_hs(unsigned id, unsigned long long from, unsigned long long to, unsigned fl, void *ctx)
{
	(void)from, (void)fl;
	size_t *first = ctx;
	if (!first[id])
		first[id] = (size_t)to;
	return 0;
}

static int is_kv_file(const char *path)
{
	if (!path)
		return 0;
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b);
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

/* Placeholders and documentation values are not secrets. */
static int plausible(int check, const char *s, size_t n)
{
	static const char *const fake[] = {"xxxx",	  "XXXX",     "****",	  "....",     "<",
					   ">",		  "${",	      "{{",	  "%s",	      "example",
					   "EXAMPLE",	  "your",     "YOUR",	  "dummy",    "DUMMY",
					   "placeholder", "redacted", "REDACTED", "changeme", "CHANGEME"};
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
		if (strchr("$%{[(", s[0]) || distinct < 3)
			return 0;
		for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
			if (n == strlen(words[i]) && !strncasecmp(s, words[i], n))
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
	size_t fired[NPAT] = {0};
	hs_scan(w->binary ? hs_bin : hs_db, data, (unsigned)len, 0, scratch, on_hs, fired);
	int kv = -1;
	size_t found = 0;
	/* spans already reported: a GCP key is not also a bare private key */
	size_t spans[64][2], nspans = 0;
	for (size_t k = 0; k < NPAT; k++) {
		if (!fired[k] || (w->binary && !in_binary[k]))
			continue;
		if (patterns[k].where == KV_FILE) {
			if (kv < 0)
				kv = is_kv_file(path);
			if (!kv)
				continue;
		}
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(pcre[k], NULL);
		/* every match holds a detector's match, so ends at or after the first one's end,
		 * and is at most SHP_SECRET_MAX_MATCH long: what lies before cannot match (a
		 * window of a program is not searched from its start for one string near its end);
		 * look-behinds still see the bytes before the start */
		PCRE2_SIZE off = fired[k] > w->from + SHP_SECRET_MAX_MATCH ? fired[k] - SHP_SECRET_MAX_MATCH : w->from;
		while (off < w->to) {
			int rc = pcre2_match(pcre[k], (PCRE2_SPTR)data, len, off, 0, md, NULL);
			if (rc < 0)
				break;
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			int g = rc > 1 ? rc - 1 : 0; /* the last group that matched is the secret */
			while (g > 0 && ov[2 * g] == PCRE2_UNSET)
				g--;
			size_t s = ov[2 * g], e = ov[2 * g + 1];
			size_t ms = ov[0], me = ov[1];
			off = me > ov[0] ? me : ov[0] + 1;
			if (ms >= w->to)
				break; /* the next window's */
			if (!plausible(patterns[k].check, data + s, e - s))
				continue;
			int overlap = 0;
			for (size_t i = 0; i < nspans; i++)
				if (ms < spans[i][1] && spans[i][0] < me)
					overlap = 1;
			if (overlap)
				continue;
			if (nspans < 64) {
				spans[nspans][0] = ms;
				spans[nspans][1] = me;
				nspans++;
			}
			cb(arg, (int)k, s, e);
			found++;
		}
		pcre2_match_data_free(md);
	}
	return found;
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
