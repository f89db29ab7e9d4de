/* patterns.h - the secret patterns (PCRE2, exact) and their Hyperscan detectors: the tables
 * of scan.c, apart so that gen-hsdb.c, run at build time, compiles the very same detectors
 * into the databases scan.c loads. Included by those two files only. */
#pragma once
#include "secrets/scan.h"

#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The files a pattern runs on: any, or only those of one format (known by the file's name),
 * whose syntax the pattern is: outside them the same words mean something else (Python's
 * "proxy_auth = ..." is no .npmrc credential, zipfile.py's "machine ... password" no .netrc). */
enum { ANY_FILE = 0, KV_FILE, NPMRC_FILE, NETRC_FILE, DOCKER_CONFIG_FILE, NFILE_KINDS };

struct pattern {
	struct shp_secret_kind kind;
	const char *re; /* PCRE2; the last group that matched (if any) is the secret; every
			   repeat bounded, so no match is longer than SHP_SECRET_MAX_MATCH */
	int where;	/* ANY_FILE, or the one format it belongs to (KV_FILE: env/properties-style) */
	int check;	/* extra plausibility test, see plausible() in scan.c */
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
	 NPMRC_FILE,
	 CHK_PASSWORD},
	{{"pypi-token", "PyPI upload token", 1}, "(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1024})", ANY_FILE, CHK_TOKEN},
	{{"openai-key", "OpenAI API key", 1},
	 NB "(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,512}T3BlbkFJ[A-Za-z0-9_-]{20,512})" NA,
	 ANY_FILE,
	 CHK_TOKEN},
	{{"google-api-key", "Google API key", 1}, NB "(AIza[0-9A-Za-z_-]{35})" NA, ANY_FILE, CHK_TOKEN},
	{{"docker-config-auth", "registry credential in a Docker config", 1},
	 "\"auths\"\\s{0,64}:\\s{0,64}\\{[\\s\\S]{0,2000}?\"auth\"\\s{0,64}:\\s{0,64}\"([A-Za-z0-9+/]{4,4096}={0,2})\"",
	 DOCKER_CONFIG_FILE,
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
	 NETRC_FILE,
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

static int secret_binary_kind(size_t k)
{
	for (size_t b = 0; b < sizeof binary_kinds / sizeof binary_kinds[0]; b++)
		if (!strcmp(binary_kinds[b], patterns[k].kind.id))
			return 1;
	return 0;
}

/* Compiles the detectors of all kinds, or of binary_kinds alone, into one database whose
 * match ids are indexes into patterns (a binary file is searched by a database of its own,
 * so the generic kinds cost nothing there: most of an image's bytes are programs). platform
 * NULL: the machine this runs on. Aborts on a pattern without a detector or that does not
 * compile: a defect of the tables, which the build finds first. */
static hs_database_t *secret_detectors(int binary, const hs_platform_info_t *platform)
{
	const char *exprs[NPAT];
	unsigned flags[NPAT], ids[NPAT], n = 0;
	for (size_t i = 0; i < NPAT; i++) {
		if (binary && !secret_binary_kind(i))
			continue;
		exprs[n] = NULL;
		for (size_t d = 0; d < sizeof detectors / sizeof detectors[0]; d++)
			if (!strcmp(detectors[d].id, patterns[i].kind.id))
				exprs[n] = detectors[d].det;
		if (!exprs[n]) {
			fprintf(stderr, "shipshape: internal error: secret pattern %s has no detector\n",
				patterns[i].kind.id);
			abort();
		}
		flags[n] = HS_FLAG_PREFILTER | HS_FLAG_SINGLEMATCH;
		ids[n++] = (unsigned)i;
	}
	if (binary && n != sizeof binary_kinds / sizeof binary_kinds[0]) {
		fprintf(stderr, "shipshape: internal error: a binary secret kind has no pattern\n");
		abort();
	}
	hs_database_t *db = NULL;
	hs_compile_error_t *ce = NULL;
	if (hs_compile_multi(exprs, flags, ids, n, HS_MODE_BLOCK, platform, &db, &ce) != HS_SUCCESS) {
		fprintf(stderr, "shipshape: internal error: secret patterns (#%d): %s\n", ce ? ce->expression : -1,
			ce ? ce->message : "?");
		abort();
	}
	return db;
}
