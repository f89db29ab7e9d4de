/* patterns.h - the secret patterns (PCRE2, exact) and their Hyperscan detectors: the tables
 * of scan.c, apart so that gen-hsdb.c, run at build time, compiles the very same detectors
 * into the databases scan.c loads. Included by those two files only. */
#pragma once
#include "secrets/scan.h"

#include <ctype.h>
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The files a pattern runs on: any, or only those of one format (known by the file's name),
 * whose syntax the pattern is: outside them the same words mean something else (Python's
 * "proxy_auth = ..." is no .npmrc credential, zipfile.py's "machine ... password" no .netrc). */
enum { ANY_FILE = 0, KV_FILE, NPMRC_FILE, NETRC_FILE, DOCKER_CONFIG_FILE, HTPASSWD_FILE, MAVEN_FILE, NFILE_KINDS };

/* CHK_XML_PASSWORD: a password, not inside an XML comment (a file's commented-out example) */
enum { CHK_TOKEN, CHK_AWS_ID, CHK_PASSWORD, CHK_XML_PASSWORD };
enum { SEV_DEFAULT, SEV_CRITICAL, SEV_HIGH, SEV_MEDIUM };

/* One rule: what it finds, how it is found cheaply, and what it must not report. */
struct pattern {
	struct shp_secret_kind kind; /* id, family (the human name) */
	const char *keywords;	     /* '|'-separated literals, one of which every match holds: the
					rule's Hyperscan detector (in any case if the pattern is) */
	const char *det;	     /* else a Hyperscan regex every match holds (a prefix's shape) */
	const char *re;		     /* PCRE2; every repeat bounded, so no match is longer than
					SHP_SECRET_MAX_MATCH */
	int group;		     /* the secret's capture group (0: the last that matched) */
	double entropy;		     /* the secret's least Shannon entropy, bits a character (0: any) */
	const char *allow;	     /* PCRE2: a secret it finds is a placeholder or an example */
	int sev;		     /* SEV_CRITICAL, SEV_HIGH, SEV_MEDIUM; SEV_DEFAULT: high for a
					keyword rule, else critical. Never below Trivy's for the
					same kind: a gate Trivy fails must fail here too */
	int kv;			     /* a keyword rule (RK): keyword = value, every match starts at one
					of its keywords; its entropy is at least KV_ENTROPY unless it says */
	int where;		     /* ANY_FILE, or the one format it belongs to (KV_FILE: env/properties-style) */
	int check;		     /* extra plausibility test, see plausible() in scan.c */
	int binary;		     /* also looked for in binary files: its form is unmistakable (a
					key's armour, a long fixed prefix), where the generic ones match
					a program's strings by chance */
};

#define NB "(?<![A-Za-z0-9_])" /* not inside a longer word */
#define NA "(?![A-Za-z0-9_])"
/* A token with a fixed prefix, alone: NB "(" re ")" NA */
#define TOK(re) NB "(" re ")" NA
/* keyword[_name] = value, in any language's or format's syntax (key: v, key = "v", "key": "v",
 * key := v, key ?= v, key => v, f("key", "v")): the keyword starts a word, the value is whole. */
#define KV(keys, val)                                                                                                  \
	"(?i)(?<![A-Za-z0-9])(?:" keys ")[A-Za-z0-9_.-]{0,32}['\"]{0,2}[ \\t]{0,16}(?:[:?]{0,3}=|=>|:|,)[ \\t]{0,16}"  \
	"['\"`]?(" val ")(?:['\"`\\s;,)\\]}<&]|$)"
/* A token after one of the keywords, on the keyword's line, within 64 bytes. */
#define NEAR(keys, tok) "(?i)(?<![A-Za-z0-9])(?:" keys ")[^\\n]{0,64}?" NB "((?-i:" tok "))" NA
#define HEX(n) "(?-i:[a-f0-9]{" #n "})"
#define UUID "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
/* A rule: id, family, keywords, pattern, then any of .group, .entropy, .allow, .sev, .where,
 * .check, .binary, .det */
#define R(id_, fam_, kw_, re_, ...)                                                                                    \
	{                                                                                                              \
		.kind = {id_, fam_}, .keywords = kw_, .re = re_, __VA_ARGS__                                           \
	}
/* A keyword rule: the keywords are the regex's too (plain words), the value a class */
#define RK(id_, fam_, kw_, val_, ...) R(id_, fam_, kw_, KV(kw_, val_), .kv = 1, __VA_ARGS__)
#define KV_ENTROPY 3.0
/* A command's name where a word starts, for the command-line rules */
#define CMD_START "(?<![A-Za-z0-9_./-])"
/* curl, then its arguments over up to eight lines a "\" continues (comment marks kept): runs
 * of plain characters, each after the first following a "\" (an escape or a continuation),
 * so that the text splits into runs one way only (an attempt that fails does not try every
 * way of cutting a line into eight) */
#define CURL_ARGS                                                                                                      \
	CMD_START "curl(?=[ "                                                                                          \
		  "\\t]|\\\\\\r?\\n)[^\\n\\\\]{0,256}?(?:(?:\\\\\\r?\\n[#\\s]{0,16}|\\\\[^\\r\\n])[^\\n\\\\]{0,256}?)" \
		  "{0,8}?"
/* An option's value: quoted, or a bare word that is not the next option; the secret */
#define CMD_ARG "(\"[^\"\\n]{1,256}\"|'[^'\\n]{1,256}'|[^\\s'\"-][^\\s'\"]{0,255})"
/* A rule for a password on a command line */
#define RC(id_, fam_, kw_, re_) R(id_, fam_, kw_, re_, .allow = CMD_PLACEHOLDER, .sev = SEV_HIGH, .check = CHK_PASSWORD)
/* A password on a command line that is a variable, a placeholder or a manual's example */
#define CMD_PLACEHOLDER                                                                                                \
	"^[\"']?[$<{\\[*%]|(?i)^[\"']?(?:test\\w*|foo|bar|baz|pass(?:word)?\\d*|secret|example\\w*|my_?pass\\w*|"      \
	"your\\w*|changeme)[\"']?$"

static const struct pattern patterns[] = {
	/* keys and the files that hold them */
	R("gcp-service-account-key", "GCP service account private key", NULL,
	  "\"private_key\"\\s{0,64}:\\s{0,64}\"(-----BEGIN (?:RSA )?PRIVATE KEY-----[^\"]{40,16384}?-----END (?:RSA "
	  ")?PRIVATE KEY-----(?:\\\\n)?)\"",
	  .det = "\"private_key\"\\s*:\\s*\"-----BEGIN", .binary = 1),
	R("private-key", "private key", NULL,
	  "-----BEGIN ((?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----"
	  "(?:\\\\n|\\s){0,64}(?:[A-Za-z-]{1,64}: [^\\n]{0,1024}(?:\\\\n|\\r?\\n)){0,8}(?:\\\\n|\\s){0,64}"
	  "([A-Za-z0-9+/=\\\\\\s]{32,16384}?)"
	  "-----END [A-Z ]{0,20}PRIVATE KEY",
	  .det = "-----BEGIN [A-Z ]{0,20}PRIVATE KEY", .binary = 1),
	R("putty-private-key", "PuTTY private key", NULL,
	  "PuTTY-User-Key-File-[23]: [^\\r\\n]{1,256}\\r?\\nEncryption: [^\\r\\n]{1,256}\\r?\\n[\\s\\S]{0,4096}?"
	  "(Private-Lines: [0-9]{1,6}\\r?\\n[A-Za-z0-9+/=\\r\\n]{40,16384})",
	  .det = "PuTTY-User-Key-File-[23]:", .binary = 1),
	R("age-secret-key", "age secret key", "AGE-SECRET-KEY-1",
	  TOK("AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}"), .binary = 1),
	R("kubeconfig-client-key", "Kubernetes client key", "client-key-data",
	  "client-key-data\"?\\s{0,16}:\\s{0,16}\"?(LS0tLS1CRUdJTi[A-Za-z0-9+/=]{60,16384})"),

	/* cloud providers */
	R("aws-access-key-id", "AWS access key ID", NULL, TOK("(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}"),
	  .det = "(AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}", .check = CHK_AWS_ID, .binary = 1),
	R("aws-secret-access-key", "AWS secret access key", NULL,
	  "(?i)(?:aws[_.-]?(?:secret|sec)[_.-]?(?:access[_.-]?)?key|secret[_.-]?access[_.-]?key)['\"]?\\s{0,64}(?::|=>?"
	  "|"
	  "\\s)\\s{0,64}['\"]?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])",
	  .det = "(?i)(aws.?(secret|sec).?(access.?)?key|secret.?access.?key)", .binary = 1),
	R("aws-bedrock-api-key", "Amazon Bedrock API key", "ABSKQmVkcm9ja0FQSUtleS",
	  TOK("ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{80,300}={0,2}"), .binary = 1),
	R("aws-bedrock-short-lived-key", "Amazon Bedrock short-lived API key", "bedrock-api-key-",
	  TOK("bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/]{40,2048}={0,2}")),
	R("azure-storage-account-key", "Azure storage account key", "AccountKey",
	  "(?i)AccountKey\\s{0,64}=\\s{0,64}([A-Za-z0-9+/]{86}==)", .binary = 1),
	R("azure-client-secret", "Azure Entra ID client secret", NULL,
	  "(?<![A-Za-z0-9_~.-])([A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])",
	  .det = "[0-9]Q~[A-Za-z0-9_~.-]{31}", .binary = 1),
	R("azure-sas-token", "Azure shared access signature", "sv=20",
	  "(?<![A-Za-z0-9])sv=20[0-9]{2}-[0-9]{2}-[0-9]{2}&[^\\s\"'<>]{0,512}?(?<=[?&])sig=([A-Za-z0-9%+/]{40,120})"),
	R("azure-shared-access-key", "Azure Service Bus or Event Hubs shared access key",
	  "SharedAccessKey=", "(?i)SharedAccessKey=([A-Za-z0-9+/]{42,44}=)"),
	R("azure-app-config-connection-string", "Azure App Configuration connection string", ".azconfig.io",
	  "Endpoint=https://[A-Za-z0-9-]{1,64}\\.azconfig\\.io;Id=[^;\\s]{1,64};Secret=([A-Za-z0-9+/]{32,64}=?)"),
	R("azure-devops-pat", "Azure DevOps personal access token", "AZDO", TOK("[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4}"),
	  .det = "[A-Za-z0-9]{76}AZDO", .entropy = 4.0),
	RK("azure-devops-pat-legacy", "Azure DevOps personal access token (legacy)", "azure_devops|azdo|ado_pat|vsts",
	   "(?-i:[a-z2-7]{52})"),
	RK("azure-container-registry-password", "Azure Container Registry password", "acr_password|acr_pass|acr_token",
	   "[A-Za-z0-9+/]{42}\\+ACR[A-Za-z0-9]{6}|[A-Za-z0-9+/=]{32,52}", .sev = SEV_CRITICAL),
	RK("azure-ai-services-key", "Azure AI services key",
	   "cognitive|openai_api_key|azure_openai|ocp-apim-subscription-key",
	   HEX(32) "|[A-Za-z0-9]{52}JQQJ99[A-Za-z0-9]{3}[A-Za-z0-9]{17}"),
	/* Azure's identifiable keys: 52 characters, its signature, and the service's tag */
	R("azure-container-registry-key", "Azure Container Registry access key", "JQQJ9",
	  TOK("[A-Za-z0-9]{52}JQQJ9[9DH][A-Za-z0-9]{18}AZCR[A-Za-z0-9]{4}"), .det = "JQQJ9[9DH][A-Za-z0-9]{18}AZCR"),
	R("azure-ai-services-identifiable-key", "Azure AI services key", "JQQJ9",
	  TOK("[A-Za-z0-9]{52}JQQJ9[9DH][A-Za-z0-9]{18}ACOG[A-Za-z0-9]{4}"), .det = "JQQJ9[9DH][A-Za-z0-9]{18}ACOG",
	  .sev = SEV_HIGH),
	R("azure-container-registry-login", "Azure Container Registry password", "azurecr.io",
	  "(?i)azurecr\\.io[^\\n]{0,64}?(?:password|passwd|pwd)[\"']?[ \\t]{0,8}[:=][ \\t]{0,8}[\"']?"
	  "([A-Za-z0-9+/=]{32,52})(?![A-Za-z0-9+/=])"),
	R("gcp-api-key", "Google API key", "AIza", TOK("AIza[0-9A-Za-z_-]{35}"), .sev = SEV_HIGH, .binary = 1),
	R("google-oauth-client-secret", "Google OAuth client secret", "GOCSPX-", TOK("GOCSPX-[A-Za-z0-9_-]{28}"),
	  .binary = 1),
	R("google-oauth-access-token", "Google OAuth access token", "ya29.", TOK("ya29\\.[0-9A-Za-z_-]{60,1024}"),
	  .entropy = 4.0),
	R("google-oauth-refresh-token", "Google OAuth refresh token", "1//0",
	  "(?<![A-Za-z0-9_/-])(1//0[A-Za-z0-9_-]{60,500})" NA, .entropy = 4.0),
	R("firebase-cloud-messaging-key", "Firebase Cloud Messaging server key", ":APA91b",
	  TOK("AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134}")),
	R("alibaba-access-key-id", "Alibaba Cloud AccessKey ID", NULL, TOK("LTAI[A-Za-z0-9]{20}"),
	  .det = "LTAI[A-Za-z0-9]{20}", .sev = SEV_HIGH),
	RK("alibaba-secret-key", "Alibaba Cloud AccessKey secret", "alibaba|aliyun", "[a-z0-9]{30}"),
	R("digitalocean-token", "DigitalOcean token", "dop_v1_|doo_v1_|dor_v1_", TOK("do[opr]_v1_[a-f0-9]{64}"),
	  .binary = 1),
	RK("linode-token", "Linode API token", "linode", HEX(64)),
	R("scaleway-access-key", "Scaleway access key", NULL, TOK("SCW[A-Z0-9]{17}"), .det = "SCW[A-Z0-9]{17}",
	  .sev = SEV_MEDIUM, .entropy = 3.0),
	RK("scaleway-secret-key", "Scaleway secret key", "scw_secret|scaleway", UUID),
	R("yandex-api-key", "Yandex Cloud API key", "AQVN", TOK("AQVN[A-Za-z0-9_-]{35,38}"), .entropy = 3.5),
	R("yandex-iam-token", "Yandex Cloud IAM token", NULL,
	  TOK("t1\\.[A-Z0-9a-z_-]{8,200}={0,2}\\.[A-Z0-9a-z_-]{86}={0,2}"),
	  .det = "t1\\.[A-Za-z0-9_-]{8}[A-Za-z0-9_-]*={0,2}\\.[A-Za-z0-9_-]{86}"),
	RK("yandex-aws-access-token", "Yandex Cloud static access key", "yandex", "YC[A-Za-z0-9_-]{38}"),
	R("heroku-api-key-v2", "Heroku API key", "HRKU-AA", TOK("HRKU-AA[A-Za-z0-9_-]{58}")),
	RK("heroku-api-key", "Heroku API key (UUID)", "heroku", UUID),
	R("flyio-token", "Fly.io token", "fo1_|fm1r_|fm1a_|fm2_",
	  "(?<![A-Za-z0-9_-])((?:FlyV1 )?(?:fo1_[A-Za-z0-9_-]{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,2048}={0,3}"
	  "(?:,fm2_[A-Za-z0-9+/]{100,2048}={0,3}){0,4}))"
	  "(?![A-Za-z0-9_-])",
	  .entropy = 4.0),
	R("render-api-key", "Render API key", "rnd_", TOK("rnd_[A-Za-z0-9]{32}"), .entropy = 3.5),
	R("netlify-token", "Netlify access token", "nfp_", TOK("nfp_[A-Za-z0-9]{36}"), .entropy = 3.5),
	RK("netlify-access-token", "Netlify access token (legacy)", "netlify", "[a-z0-9=_-]{40,46}"),
	R("supabase-token", "Supabase access token", "sbp_|sb_secret_",
	  TOK("sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_-]{31}"), .entropy = 3.0),
	R("openshift-user-token", "OpenShift user token", "sha256~",
	  "(?<![A-Za-z0-9_~-])(sha256~[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])"),
	R("tailscale-key", "Tailscale key", "tskey-",
	  TOK("tskey-(?:api|auth|client|scim|webhook)-[A-Za-z0-9]{6,20}-[A-Za-z0-9]{20,64}")),
	RK("cloudflare-global-api-key", "Cloudflare global API key", "cloudflare", HEX(37)),
	RK("cloudflare-api-key", "Cloudflare API token", "cloudflare|cf_api_token", "[a-z0-9_-]{40}", .entropy = 3.5),
	R("cloudflare-origin-ca-key", "Cloudflare Origin CA key", "v1.0-", TOK("v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}")),
	RK("fastly-api-token", "Fastly API token", "fastly", "[a-z0-9=_-]{32}"),

	/* source hosting, CI and package registries */
	R("github-token", "GitHub token", NULL,
	  TOK("(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{82}|"
	      /* an app installation's stateless form: the installation's number and a JWT */
	      "ghs_[0-9]{1,12}_eyJ[A-Za-z0-9_-]{8,2048}\\.eyJ[A-Za-z0-9_-]{8,2048}\\.[A-Za-z0-9_-]{10,1024}"),
	  .det = "(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_|ghs_[0-9]{1,12}_eyJ", .binary = 1),
	R("gitlab-token", "GitLab token",
	  "glpat-|gldt-|glrt-|glptt-|GR1348941|glcbt-|glffct-|glft-|glimt-|glagent-|gloas-|glsoat-",
	  "(?<![A-Za-z0-9_-])(glpat-[A-Za-z0-9_.-]{20,255}|gldt-[A-Za-z0-9_-]{20}|glrt-[A-Za-z0-9_.-]{20,255}|"
	  "glptt-[0-9a-f]{40}|GR1348941[A-Za-z0-9_-]{20}|glcbt-(?:[0-9a-fA-F]{2}_)?[A-Za-z0-9_-]{20}|glffct-[A-Za-z0-9_"
	  "-]{20}|"
	  "glft-[A-Za-z0-9_-]{20}|glimt-[A-Za-z0-9_-]{25}|glagent-[A-Za-z0-9_-]{50}|gloas-[A-Za-z0-9_-]{64}|"
	  "glsoat-[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])",
	  .binary = 1),
	R("gitlab-session-cookie", "GitLab session cookie", "_gitlab_session=", "_gitlab_session=([0-9a-z]{32})" NA),
	R("bitbucket-app-password", "Bitbucket app password", "ATBB", TOK("ATBB[A-Za-z0-9_=.-]{28,40}"),
	  .entropy = 3.5),
	RK("bitbucket-client-id", "Bitbucket client ID", "bitbucket", "[a-z0-9]{32}", .sev = SEV_MEDIUM),
	RK("bitbucket-client-secret", "Bitbucket client secret", "bitbucket", "[a-z0-9=_-]{64}"),
	R("atlassian-api-token", "Atlassian API token", "ATATT3", TOK("ATATT3[A-Za-z0-9_=-]{186}")),
	RK("atlassian-api-token-legacy", "Atlassian API token (legacy)", "atlassian|confluence|jira", "[a-z0-9]{24}",
	   .entropy = 3.5),
	R("sourcegraph-access-token", "Sourcegraph access token", "sgp_",
	  TOK("sgp_(?:[a-fA-F0-9]{16}|local)_[a-fA-F0-9]{40}|sgp_[a-fA-F0-9]{40}"), .entropy = 3.0),
	RK("sourcegraph-access-token-legacy", "Sourcegraph access token (legacy)", "sourcegraph", "[a-f0-9]{40}",
	   .entropy = 3.0),
	R("buildkite-token", "Buildkite API token", "bkua_", TOK("bkua_[a-f0-9]{40}")),
	R("circleci-token", "CircleCI personal token", "CCIPAT_", TOK("CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40}")),
	RK("travisci-access-token", "Travis CI access token", "travis", "[a-z0-9]{22}"),
	RK("droneci-access-token", "Drone CI access token", "droneci|drone_token", "[a-z0-9]{32}"),
	RK("codecov-access-token", "Codecov access token", "codecov", "[a-z0-9]{32}"),
	R("harness-api-key", "Harness API key", NULL,
	  TOK("(?:pat|sat)\\.[A-Za-z0-9_-]{22}\\.[0-9a-f]{24}\\.[A-Za-z0-9]{20}"),
	  .det = "(pat|sat)\\.[A-Za-z0-9_-]{22}\\."),
	R("octopus-deploy-api-key", "Octopus Deploy API key", NULL, TOK("API-[A-Z0-9]{26}"), .det = "API-[A-Z0-9]{26}",
	  .entropy = 3.5),
	RK("sonar-api-token", "SonarQube token", "sonar", "(?:squ_|sqp_|sqa_)?[a-z0-9=_-]{40}"),
	R("snyk-api-token", "Snyk API token", "snyk", KV("snyk", UUID), .sev = SEV_HIGH, .kv = 1),
	R("npm-token", "npm access token", "npm_", TOK("npm_[A-Za-z0-9]{36}"), .det = "npm_[A-Za-z0-9]{36}",
	  .binary = 1),
	R("npmrc-auth", "npm registry credential", NULL,
	  "(?:_authToken|_auth|_password)\\s{0,64}=\\s{0,64}\"?([^\\s\"'$]{8,1024})",
	  .det = "_authToken|_auth\\s*=|_password\\s*=", .sev = SEV_HIGH, .where = NPMRC_FILE, .check = CHK_PASSWORD),
	R("pypi-token", "PyPI upload token", "pypi-AgEIcHlwaS5vcmc", "(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1024})",
	  .binary = 1),
	R("rubygems-api-token", "RubyGems API key", "rubygems_", TOK("rubygems_[a-f0-9]{48}")),
	R("clojars-api-token", "Clojars deploy token", "CLOJARS_", TOK("CLOJARS_[a-z0-9]{60}")),
	R("nuget-config-password", "NuGet feed password", "ClearTextPassword",
	  "<add\\s{1,16}key=\"(?:ClearTextPassword|Password)\"\\s{1,16}value=\"([^\"]{8,512})\"", .sev = SEV_HIGH,
	  .check = CHK_PASSWORD),
	R("private-packagist-token", "Private Packagist token", "packagist_",
	  TOK("packagist_[ou][ru]t_(?i:[a-f0-9]{68})")),
	R("maven-settings-password", "Maven settings password", "<password>",
	  "<server>[\\s\\S]{0,1024}?<(password|passphrase)>([^<]{3,512})</(?:password|passphrase)>", .group = 2,
	  .sev = SEV_HIGH, .check = CHK_XML_PASSWORD),
	R("maven-settings-security-master", "Maven master password", "<master>",
	  "<master>(\\{[A-Za-z0-9+/=]{20,512}\\})</master>"),
	/* in Maven's own settings.xml and settings-security.xml, every password element is one, and
	   the master password may be plain */
	R("maven-settings-file-password", "Maven settings password", "<password>|<passphrase>|<master>",
	  "<(password|passphrase|master)>[ \\t]{0,64}([^<\\s][^<]{1,510}?)[ "
	  "\\t]{0,64}</(?:password|passphrase|master)>",
	  .group = 2, .sev = SEV_HIGH, .check = CHK_XML_PASSWORD, .where = MAVEN_FILE),
	R("artifactory-api-key", "JFrog Artifactory API key", "AKCp", TOK("AKCp[A-Za-z0-9]{69}"), .entropy = 4.0),
	R("artifactory-reference-token", "JFrog Artifactory reference token", "cmVmd", TOK("cmVmd[A-Za-z0-9]{59}"),
	  .entropy = 4.0),
	RK("jfrog-api-key", "JFrog API key", "jfrog|artifactory|bintray|xray", "[a-z0-9]{73}"),
	RK("jfrog-identity-token", "JFrog identity token", "jfrog|artifactory|bintray|xray", "[a-z0-9]{64}"),
	R("docker-hub-token", "Docker Hub access token", "dckr_pat_|dckr_oat_",
	  TOK("dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,32}"), .binary = 1),
	R("docker-config-auth", "registry credential in a Docker config", NULL,
	  "\"auths\"\\s{0,64}:\\s{0,64}\\{[\\s\\S]{0,2000}?\"auth\"\\s{0,64}:\\s{0,64}\"([A-Za-z0-9+/"
	  "]{4,4096}={0,2})\"",
	  .det = "\"auths\"", .where = DOCKER_CONFIG_FILE, .check = CHK_PASSWORD),
	R("docker-config-secret", "Kubernetes docker-registry secret", NULL,
	  "\\.docker(?:configjson|cfg)\"?\\s{0,64}:\\s{0,64}\"?([A-Za-z0-9+/]{8,8192}={0,2})",
	  .det = "\\.docker(configjson|cfg)", .check = CHK_PASSWORD),
	R("pulumi-api-token", "Pulumi access token", "pul-", TOK("pul-[a-f0-9]{40}")),
	R("hashicorp-tf-api-token", "Terraform Cloud API token", "atlasv1",
	  TOK("[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}"), .binary = 1),
	R("hashicorp-tf-password", "Terraform administrator password", "administrator_login_password",
	  KV("administrator_login_password", "[^\\s\"'`]{8,128}"), .sev = SEV_HIGH, .check = CHK_PASSWORD),
	R("vault-service-token", "HashiCorp Vault token", "hvs.", TOK("hvs\\.[A-Za-z0-9_-]{90,120}"), .entropy = 3.5),
	R("vault-batch-token", "HashiCorp Vault batch token", "hvb.", TOK("hvb\\.[A-Za-z0-9_-]{138,300}"),
	  .entropy = 3.5),
	RK("vault-token-legacy", "HashiCorp Vault token (legacy)", "vault|token",
	   "(?-i:s\\.(?=[A-Za-z]{0,23}[0-9])[A-Za-z0-9]{24})", .entropy = 3.5),
	R("infracost-api-token", "Infracost API token", "ico-", "(?<![A-Za-z0-9_.-])(ico-[A-Za-z0-9]{32})" NA),
	R("doppler-api-token", "Doppler API token", "dp.pt.", TOK("dp\\.pt\\.[A-Za-z0-9]{43}")),
	R("defined-networking-api-token", "Defined Networking API token", "dnkey-",
	  TOK("dnkey-[A-Za-z0-9=_-]{26}-[A-Za-z0-9=_-]{52}")),
	R("prefect-api-token", "Prefect API key", "pnu_", TOK("pnu_[A-Za-z0-9]{36}"), .entropy = 3.5),
	R("scalingo-api-token", "Scalingo API token", "tk-us-", TOK("tk-us-[A-Za-z0-9_-]{48}")),
	R("settlemint-token", "SettleMint access token", "sm_pat_|sm_aat_|sm_sat_",
	  TOK("sm_(?:pat|aat|sat)_[A-Za-z0-9]{16}")),
	R("readme-api-token", "ReadMe API key", "rdme_", TOK("rdme_[a-z0-9]{70}")),
	R("frameio-api-token", "Frame.io API token", "fio-u-", TOK("fio-u-[A-Za-z0-9_=-]{64}")),
	R("databricks-api-token", "Databricks API token", "dapi", TOK("dapi[a-f0-9]{32}(?:-[0-9])?"), .entropy = 3.0),
	R("dynatrace-api-token", "Dynatrace API token", "dt0c01.", TOK("dt0c01\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{64}")),
	R("clickhouse-cloud-api-secret-key", "ClickHouse Cloud API secret", "4b1d", TOK("4b1d[A-Za-z0-9]{38}"),
	  .entropy = 4.0),
	R("grafana-api-key", "Grafana API key", "eyJrIjoi", TOK("eyJrIjoi[A-Za-z0-9]{70,400}={0,3}")),
	R("grafana-cloud-api-token", "Grafana Cloud token", "glc_", TOK("glc_[A-Za-z0-9+/]{32,400}={0,3}")),
	R("grafana-service-account-token", "Grafana service account token", "glsa_",
	  TOK("glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}"), .binary = 1),
	R("new-relic-user-api-key", "New Relic user API key", "NRAK-", TOK("NRAK-[A-Z0-9]{27}"), .binary = 1),
	R("new-relic-admin-api-key", "New Relic admin API key", "NRAA-", TOK("NRAA-[a-f0-9]{27}")),
	R("new-relic-browser-api-token", "New Relic browser API token", "NRJS-", TOK("NRJS-[a-f0-9]{19}"),
	  .sev = SEV_MEDIUM),
	R("new-relic-insert-key", "New Relic insert key", "NRII-", TOK("NRII-[A-Za-z0-9_-]{32}")),
	R("new-relic-license-key", "New Relic license key", "NRAL", TOK("[a-f0-9]{36}NRAL"), .det = "[a-f0-9]{36}NRAL"),
	RK("new-relic-user-api-id", "New Relic user API ID", "new_relic|newrelic|new-relic", "[a-z0-9]{64}",
	   .sev = SEV_MEDIUM),
	RK("datadog-api-key", "Datadog API key", "datadog|dd_api_key|dd-api-key|dd_apikey", HEX(32)),
	RK("datadog-app-key", "Datadog application key", "datadog|dd_app_key|dd-application-key|dd_application_key",
	   HEX(40)),
	R("sentry-org-token", "Sentry organization token", "sntrys_",
	  TOK("sntrys_eyJpYXQiO[A-Za-z0-9+/]{10,400}={0,2}_[A-Za-z0-9+/]{43}"), .binary = 1),
	R("sentry-user-token", "Sentry user token", "sntryu_", TOK("sntryu_[a-f0-9]{64}"), .binary = 1),
	RK("sentry-access-token", "Sentry access token", "sentry", HEX(64)),
	R("sumologic-access-id", "Sumo Logic access ID", "sumo",
	  KV("sumo(?:logic)?[_.-]?access[_.-]?id", "su[A-Za-z0-9]{12}"), .entropy = 3.0, .sev = SEV_MEDIUM),
	R("sumologic-access-token", "Sumo Logic access key", "sumo",
	  KV("sumo(?:logic)?[_.-]?access[_.-]?key", "[A-Za-z0-9]{64}"), .entropy = 3.0),
	R("postman-api-token", "Postman API key", "PMAK-", TOK("PMAK-[a-f0-9]{24}-[a-f0-9]{34}"), .binary = 1),
	RK("launchdarkly-access-token", "LaunchDarkly access token", "launchdarkly", "[a-z0-9=_-]{40}"),
	RK("intercom-api-key", "Intercom API key", "intercom", "[a-z0-9=_-]{60}"),
	R("1password-service-account-token", "1Password service account token", "ops_eyJ",
	  TOK("ops_eyJ[A-Za-z0-9+/=_-]{250,4096}"), .entropy = 4.0),
	R("1password-secret-key", "1Password secret key", NULL,
	  TOK("A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}"),
	  .det = "A3-[A-Z0-9]{6}-", .entropy = 3.0),

	/* AI services */
	R("openai-key", "OpenAI API key", "T3BlbkFJ",
	  TOK("sk-(?!ant-|or-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,512}T3BlbkFJ[A-Za-z0-9_-]{20,512}"),
	  .binary = 1),
	R("anthropic-api-key", "Anthropic API key", "sk-ant-api03-", TOK("sk-ant-api03-[A-Za-z0-9_-]{93}AA"),
	  .binary = 1),
	R("anthropic-admin-api-key", "Anthropic admin API key", "sk-ant-admin01-",
	  TOK("sk-ant-admin01-[A-Za-z0-9_-]{93}AA"), .binary = 1),
	R("huggingface-access-token", "Hugging Face access token", "hf_", TOK("hf_[A-Za-z0-9]{34,40}"), .entropy = 3.0),
	R("huggingface-organization-api-token", "Hugging Face organization token", "api_org_",
	  TOK("api_org_[A-Za-z]{34}"), .entropy = 3.0),
	R("openai-realtime-client-secret", "OpenAI realtime client secret", "ek_", TOK("ek_[a-f0-9]{32}"),
	  .entropy = 3.0, .sev = SEV_MEDIUM),
	R("perplexity-api-key", "Perplexity API key", "pplx-", TOK("pplx-[A-Za-z0-9]{48}"), .entropy = 3.5),
	R("groq-api-key", "Groq API key", "gsk_", TOK("gsk_[A-Za-z0-9]{52}"), .entropy = 3.5),
	R("xai-api-key", "xAI API key", "xai-", TOK("xai-[A-Za-z0-9]{80}"), .entropy = 3.5),
	R("replicate-api-token", "Replicate API token", "r8_", TOK("r8_[A-Za-z0-9]{37}"), .entropy = 3.5),
	R("langsmith-api-key", "LangSmith API key", "lsv2_", TOK("lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}")),
	R("pinecone-api-key", "Pinecone API key", "pcsk_", TOK("pcsk_[A-Za-z0-9]{4,8}_[A-Za-z0-9]{50,80}"),
	  .entropy = 3.5),
	RK("cohere-api-token", "Cohere API key", "cohere|co_api_key", "[a-z0-9]{40}", .entropy = 3.5),
	RK("privateai-api-token", "Private AI API key", "private_ai|private-ai|privateai", "[a-z0-9]{32}",
	   .entropy = 3.5),

	/* messaging, mail and collaboration */
	R("slack-token", "Slack token", NULL,
	  TOK("xoxb-[0-9]{8,14}-(?:[0-9]{8,14}-)?[A-Za-z0-9]{18,32}|xox[pe]-[0-9]{8,14}-[0-9]{8,14}-[0-9]{8,14}-[A-Fa-"
	      "f0-9]{28,34}|"
	      "xox[aosr]-[0-9]-?[0-9]{1,14}-[0-9]{8,14}-[0-9]{8,14}-[A-Fa-f0-9]{10,64}|"
	      "xox[os]-[0-9]{1,32}-[0-9]{1,32}-[0-9]{1,32}-[A-Fa-f0-9]{1,128}|"
	      "xapp-[0-9]-[A-Z0-9]{1,64}-[0-9]{1,32}-[a-z0-9]{1,128}|xoxe\\.xox[bp]-[0-9]-[A-Za-z0-9]{100,1024}|"
	      "xoxe-[0-9]-[A-Za-z0-9]{100,1024}"),
	  .det = "xox[abeoprs][.-]|xapp-", .binary = 1),
	R("slack-webhook", "Slack webhook URL", "hooks.slack.com/",
	  "https?://hooks\\.slack\\.com/(?:services|workflows)/([A-Za-z0-9+/]{43,80})", .binary = 1),
	R("discord-webhook", "Discord webhook URL", "discord.com/api/webhooks/|discordapp.com/api/webhooks/",
	  "https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/[0-9]{17,20}/([A-Za-z0-9_-]{60,68})"),
	RK("discord-api-token", "Discord bot token", "discord", HEX(64)),
	RK("discord-client-id", "Discord client ID", "discord", "[0-9]{18}", .sev = SEV_MEDIUM),
	RK("discord-client-secret", "Discord client secret", "discord", "[a-z0-9=_-]{32}"),
	R("microsoft-teams-webhook", "Microsoft Teams webhook URL", "webhook.office.com|outlook.office.com/webhook",
	  "https://[A-Za-z0-9.-]{1,64}\\.(?:webhook\\.office|outlook\\.office)\\.com/webhook(?:b2)?/"
	  "[A-Za-z0-9@-]{36,80}/"
	  "IncomingWebhook/([A-Za-z0-9]{32}/[A-Za-z0-9-]{36}(?:/[A-Za-z0-9_-]{10,80})?)"),
	R("microsoft-teams-workflow-webhook", "Microsoft Teams workflow webhook URL", "logic.azure.com",
	  "https://[A-Za-z0-9.-]{1,128}\\.logic\\.azure\\.com(?::443)?/workflows/[a-f0-9]{32}/triggers/"
	  "[^\\s\"'<>]{1,512}?"
	  "[?&]sig=([A-Za-z0-9_-]{43})"),
	/* found after a word that names them, on its line: the token's own shape is a short
	 * literal (":A", "SK", "|") that Hyperscan would confirm all over every text */
	R("telegram-bot-api-token", "Telegram bot token", "telegram|tgbot|bot_token|bottoken|bot-token",
	  NEAR("telegram|tgbot|bot_token|bottoken|bot-token", "[0-9]{5,16}:A[A-Za-z0-9_-]{34}"), .entropy = 3.5,
	  .kv = 1),
	RK("mattermost-access-token", "Mattermost access token", "mattermost", "[a-z0-9]{26}"),
	RK("gitter-access-token", "Gitter access token", "gitter", "[a-z0-9_-]{40}"),
	R("sendgrid-api-token", "SendGrid API key", NULL, TOK("SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}"),
	  .det = "SG\\.[A-Za-z0-9_-]{22}\\.", .binary = 1),
	R("sendinblue-api-token", "Brevo (Sendinblue) API key", "xkeysib-|xsmtpsib-",
	  TOK("x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16}"), .binary = 1),
	RK("mailchimp-api-key", "Mailchimp API key", "mailchimp|mailchimpe", HEX(32) "-us[0-9]{1,2}"),
	RK("mailgun-private-api-token", "Mailgun API key", "mailgun", "key-[a-z0-9]{32}"),
	RK("mailgun-pub-key", "Mailgun public key", "mailgun", "pubkey-[a-f0-9]{32}", .sev = SEV_MEDIUM),
	RK("mailgun-signing-key", "Mailgun webhook signing key", "mailgun", "[a-h0-9]{32}-[a-h0-9]{8}-[a-h0-9]{8}"),
	RK("mailjet-api-key", "Mailjet API key", "mailjet", HEX(32)),
	RK("postmark-server-token", "Postmark server token", "postmark", UUID),
	R("twilio-api-key", "Twilio API key", "twilio", NEAR("twilio", "SK[0-9a-fA-F]{32}"), .kv = 1),
	RK("twilio-auth-token", "Twilio auth token", "twilio", HEX(32)),
	RK("messagebird-api-token", "MessageBird API key", "messagebird|message-bird|message_bird", "[a-z0-9]{25}"),
	RK("messagebird-client-id", "MessageBird client ID", "messagebird|message-bird|message_bird", UUID,
	   .sev = SEV_MEDIUM),
	RK("sendbird-access-token", "Sendbird access token", "sendbird", HEX(40)),
	RK("sendbird-access-id", "Sendbird application ID", "sendbird", UUID, .sev = SEV_MEDIUM),
	R("notion-api-token", "Notion API token", "ntn_", TOK("ntn_[0-9]{11}[A-Za-z0-9]{35}"), .entropy = 3.5),
	R("linear-api-key", "Linear API key", "lin_api_", TOK("lin_api_[A-Za-z0-9]{40}")),
	RK("linear-client-secret", "Linear client secret", "linear_client|linear_secret|linear_oauth|linear_api",
	   HEX(32)),
	RK("asana-client-id", "Asana client ID", "asana", "[0-9]{16}", .sev = SEV_MEDIUM),
	RK("asana-client-secret", "Asana client secret", "asana", "[a-z0-9]{32}"),
	RK("trello-access-token", "Trello access token", "trello", "[a-z0-9]{32}"),
	RK("zendesk-secret-key", "Zendesk API token", "zendesk", "[a-z0-9]{40}"),
	R("typeform-api-token", "Typeform API token", "tfp_", TOK("tfp_[A-Za-z0-9_.=-]{59}")),
	RK("beamer-api-token", "Beamer API key", "beamer", "b_[a-z0-9=_-]{44}"),
	RK("contentful-delivery-api-token", "Contentful delivery token", "contentful", "[a-z0-9=_-]{43}"),
	RK("squarespace-access-token", "Squarespace API key", "squarespace", UUID),
	RK("hubspot-api-key", "HubSpot API key", "hubspot", UUID),
	R("hubspot-private-app-token", "HubSpot private app token", "pat-na1-|pat-eu1-", TOK("pat-(?:na|eu)1-" UUID)),
	R("intra42-client-secret", "42 intranet client secret", "s-s4t2", TOK("s-s4t2(?:ud|af)-[a-f0-9]{64}")),

	/* social, media and other services */
	RK("facebook-secret", "Facebook app secret", "facebook", HEX(32)),
	R("facebook-access-token", "Facebook access token", "facebook",
	  NEAR("facebook", "[0-9]{15,16}(?:\\||%7[Cc])[A-Za-z0-9_-]{27}"), .kv = 1),
	R("facebook-page-access-token", "Facebook page access token", NULL, TOK("EAA[MC][A-Za-z0-9]{100,512}"),
	  .det = "EAA[MC][A-Za-z0-9]{20}", .entropy = 4.0),
	RK("twitter-api-key", "Twitter API key", "twitter", "[a-z0-9]{25}"),
	RK("twitter-api-secret", "Twitter API secret", "twitter", "[a-z0-9]{50}"),
	RK("twitter-access-token", "Twitter access token", "twitter", "[0-9]{15,25}-[a-z0-9]{20,40}"),
	RK("twitter-access-secret", "Twitter access secret", "twitter", "[a-z0-9]{45}"),
	R("twitter-bearer-token", "Twitter bearer token", "AAAAAAAAAAAAAAAAAAAAA", TOK("A{22}[A-Za-z0-9%]{80,100}"),
	  .entropy = 3.0),
	RK("twitch-api-token", "Twitch API token", "twitch", "[a-z0-9]{30}"),
	RK("linkedin-client-id", "LinkedIn client ID", "linkedin|linked_in|linked-in", "[a-z0-9]{14}",
	   .sev = SEV_MEDIUM),
	RK("linkedin-client-secret", "LinkedIn client secret", "linkedin|linked_in|linked-in", "[a-z0-9]{16}"),
	RK("flickr-access-token", "Flickr API key", "flickr", "[a-z0-9]{32}"),
	RK("nytimes-access-token", "New York Times API key", "nytimes|new-york-times|newyorktimes", "[a-z0-9=_-]{32}"),
	RK("etsy-access-token", "Etsy API key", "etsy", "[a-z0-9]{24}"),
	RK("dropbox-api-token", "Dropbox API secret", "dropbox", "[a-z0-9]{15}"),
	R("dropbox-short-lived-api-token", "Dropbox short-lived token", "dropbox",
	  KV("dropbox", "sl\\.[a-z0-9_=-]{135}"), .entropy = 3.5, .sev = SEV_HIGH),
	RK("dropbox-long-lived-api-token", "Dropbox long-lived token", "dropbox",
	   "[a-z0-9]{11}AAAAAAAAAA[a-z0-9_=-]{43}"),
	RK("mapbox-api-token", "Mapbox public token", "mapbox", "pk\\.[a-z0-9]{60}\\.[a-z0-9]{22}", .sev = SEV_MEDIUM),
	R("mapbox-secret-token", "Mapbox secret token", "sk.eyJ",
	  TOK("sk\\.eyJ[A-Za-z0-9_-]{50,400}\\.[A-Za-z0-9_-]{20,64}")),
	RK("maxmind-license-key-legacy", "MaxMind license key (legacy)", "maxmind|geoip", "[a-z0-9]{16}",
	   .entropy = 3.5),
	R("maxmind-license-key", "MaxMind license key", "_mmk", TOK("[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk")),
	RK("rapidapi-access-token", "RapidAPI key", "rapidapi|x-rapidapi-key", "[a-z0-9_-]{50}"),
	RK("finnhub-access-token", "Finnhub API key", "finnhub", "[a-z0-9]{20}"),
	RK("algolia-api-key", "Algolia API key", "algolia", "[a-z0-9]{32}"),
	RK("adobe-client-id", "Adobe client ID", "adobe", HEX(32), .sev = SEV_MEDIUM),
	R("adobe-client-secret", "Adobe client secret", "p8e-", TOK("p8e-[A-Za-z0-9]{32}"), .entropy = 3.0),
	R("adafruit-api-key", "Adafruit IO key", "aio_", TOK("aio_[A-Za-z0-9]{28}"), .entropy = 3.5),
	RK("airtable-api-key", "Airtable API key (legacy)", "airtable", "key[a-z0-9]{14}"),
	R("airtable-personal-access-token", "Airtable personal access token", NULL,
	  TOK("pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}"), .det = "pat[A-Za-z0-9]{14}\\.[a-f0-9]{8}"),
	R("authress-service-client-access-key", "Authress access key", NULL,
	  TOK("(?:sc|ext|scauth|authress)_[a-z0-9]{5,30}\\.[a-z0-9]{4,6}\\.acc[_-][a-z0-9-]{10,32}\\.[a-z0-9+/"
	      "_=-]{30,120}"),
	  .det = "\\.acc[_-][a-z0-9-]{10}"),
	RK("freshbooks-access-token", "FreshBooks access token", "freshbooks", "[a-z0-9]{64}"),
	R("freemius-secret-key", "Freemius secret key", "secret_key",
	  "(?i)[\"']secret_key[\"']\\s{0,16}=>\\s{0,16}[\"'](sk_[^\\s\"']{29})[\"']"),
	R("easypost-api-token", "EasyPost API key", "EZAK|EZTK", TOK("EZ[AT]K[A-Za-z0-9]{54}")),
	R("shippo-api-token", "Shippo API token", "shippo_", TOK("shippo_(?:live|test)_[a-f0-9]{40}")),
	RK("lob-api-key", "Lob API key", "lob_api|lob_key|lob_secret|lob_live|lob_test|lobapi|lobkey",
	   "(?:live|test)_[a-f0-9]{35}"),
	RK("lob-pub-api-key", "Lob publishable key", "lob_pub|lob_api|lob_key|lob_live|lob_test|lobapi|lobkey",
	   "(?:test|live)_pub_[a-f0-9]{31}", .sev = SEV_MEDIUM),
	RK("looker-client-id", "Looker client ID", "looker", "[a-z0-9]{20}", .sev = SEV_MEDIUM),
	RK("looker-client-secret", "Looker client secret", "looker", "[a-z0-9]{24}"),

	/* payments and finance */
	R("stripe-key", "Stripe secret key", NULL, TOK("(?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{10,247}"),
	  .det = "(sk|rk)_(live|test|prod)_", .binary = 1),
	R("square-access-token", "Square access token", "sq0atp-|EAAA",
	  TOK("sq0atp-[A-Za-z0-9_-]{22}|EAAA[A-Za-z0-9_+=-]{60}"), .entropy = 3.0),
	R("square-secret", "Square OAuth secret", "sq0csp-", TOK("sq0csp-[A-Za-z0-9_-]{43}")),
	R("shopify-token", "Shopify access token", "shpat_|shpca_|shppa_", TOK("shp(?:at|ca|pa)_[a-fA-F0-9]{32}"),
	  .binary = 1),
	R("shopify-shared-secret", "Shopify shared secret", "shpss_", TOK("shpss_[a-fA-F0-9]{32}"), .binary = 1),
	R("flutterwave-key", "Flutterwave key", "FLWSECK|FLWPUBK",
	  TOK("FLW(?:SEC|PUB)K_TEST-[a-h0-9]{32}-X|FLWSECK_TEST[a-h0-9]{12}"), .entropy = 3.0),
	R("gocardless-api-token", "GoCardless access token", "gocardless", KV("gocardless", "live_[a-z0-9_=-]{40}"),
	  .sev = SEV_HIGH),
	RK("plaid-client-id", "Plaid client ID", "plaid", "[a-z0-9]{24}", .sev = SEV_MEDIUM),
	RK("plaid-secret-key", "Plaid secret", "plaid", "[a-z0-9]{30}"),
	R("plaid-api-token", "Plaid access token", "access-sandbox-|access-development-|access-production-",
	  TOK("access-(?:sandbox|development|production)-" UUID)),
	R("planetscale-token", "PlanetScale token", "pscale_pw_|pscale_tkn_|pscale_oauth_",
	  TOK("pscale_(?:pw|tkn|oauth)_[A-Za-z0-9=._-]{32,64}")),
	R("duffel-api-token", "Duffel API token", "duffel_", TOK("duffel_(?:test|live)_[A-Za-z0-9_=-]{43}")),
	RK("finicity-client-secret", "Finicity client secret", "finicity", "[a-z0-9]{20}"),
	RK("finicity-api-token", "Finicity API token", "finicity", HEX(32)),
	RK("coinbase-access-token", "Coinbase access token", "coinbase", "[a-z0-9_-]{64}"),
	RK("kraken-access-token", "Kraken API key", "kraken", "[a-z0-9/=_+-]{80,90}"),
	RK("kucoin-access-token", "KuCoin API key", "kucoin", HEX(24)),
	RK("kucoin-secret-key", "KuCoin API secret", "kucoin", UUID),
	RK("bittrex-access-key", "Bittrex API key", "bittrex", "[a-z0-9]{32}"),
	RK("confluent-access-token", "Confluent API key", "confluent", "[a-z0-9]{16}"),
	RK("confluent-secret-key", "Confluent API secret", "confluent", "[a-z0-9]{64}"),
	RK("okta-access-token", "Okta API token", "okta", "00[a-z0-9_-]{40}"),
	RK("meraki-api-key", "Cisco Meraki API key", "meraki", HEX(40)),
	RK("symfony-default-secret", "Symfony default secret", "app_secret", HEX(32), .where = KV_FILE),
	/* the secret Symfony's and eZ Platform's skeletons shipped: known to everyone, so anyone can
	   sign what the application trusts (reported, not taken for a placeholder) */
	R("symfony-published-secret", "Symfony's published default secret", "TokenIsNotSoSecret",
	  TOK("ThisTokenIsNotSoSecretChangeIt|ThisEzPlatformTokenIsNotSoSecret_PleaseChangeIt"), .sev = SEV_HIGH),

	/* connection strings, URLs and Ruby gems' sources */
	R("sidekiq-secret", "Sidekiq Enterprise credential", "contribsys__com",
	  KV("bundle_enterprise__contribsys__com|bundle_gems__contribsys__com", "[a-f0-9]{8}:[a-f0-9]{8}")),
	R("sidekiq-sensitive-url", "Sidekiq Enterprise source URL", "contribsys.com",
	  "(?i)https?://([a-f0-9]{8}:[a-f0-9]{8})@(?:gems|enterprise)\\.contribsys\\.com"),
	R("database-connection-string", "database connection string with a password", NULL,
	  "(?i)(?<![A-Za-z0-9+.-])(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\\+srv)?|rediss?|amqps?|mssql|sqlserver|"
	  "cockroachdb|clickhouse|couchdb|neo4j(?:\\+s)?|bolt)://[^/\\s:@'\"<>]{0,64}:([^/\\s:@'\"<>]{3,128})@"
	  "[A-Za-z0-9._-]{2,253}",
	  .det = "(?i)(postgres|mysql|mariadb|mongodb|redis|amqp|mssql|sqlserver|cockroachdb|clickhouse|couchdb|neo4j|"
		 "bolt)"
		 "[a-z+]{0,4}://[^/\\s:@]*:[^/\\s:@]+@",
	  .check = CHK_PASSWORD),
	R("jdbc-connection-string", "JDBC or ADO.NET connection string with a password", "password=|pwd=",
	  "(?i)(?:jdbc:[a-z0-9]{2,16}:[^\\s\"'<>]{1,256}?[;?&]|(?<![A-Za-z])(?:server|data "
	  "source|host)=[^;\"'\\n]{1,128};"
	  "[^\"'\\n]{0,256}?)(?:password|pwd)=([^;&\\s\"']{3,128})",
	  .sev = SEV_HIGH, .check = CHK_PASSWORD),
	/* credentials on a curl command line (in a script, a README, a shell's history): curl, then
	 * within a few continued lines (a "\" at the end, comment marks kept), -u/--user USER:PASS
	 * or a credential's header; variables, placeholders and examples are not secrets */
	R("curl-auth-user", "credentials on a curl command line (-u)", "curl",
	  CURL_ARGS
	  "[ \\t](?:-u|--user)(?:[ \\t]{1,16}|=)"
	  "((?:\"[^\"\\n]{0,256}\"|'[^'\\n]{0,256}'|[^\\s'\"]{1,256})(?::(?:\"[^\"\\n]{1,256}\"|'[^'\\n]{1,256}'))?)",
	  .allow = "^[^:]*$|^[\"']?:[\"']?$|(?:^|:)[\"']?\\$|[<\\[]|\\*\\*\\*|(?i)^[\"']?(?:user(?:name)?|admin|test|"
		   "xxx+|"
		   "foo|me|name):(?:pass(?:word)?|token|test|secret|yyy+|bar|key)?[\"']?$",
	  .sev = SEV_HIGH),
	R("curl-auth-header", "credentials in a curl command's header (-H)", "curl",
	  CURL_ARGS
	  "[ \\t](?:-H|--header)(?:[ \\t]{1,16}|=)['\"][ "
	  "\\t]{0,16}(?i:authorization|[a-z-]{0,32}(?:api-?key|"
	  "token))[ \\t]{0,16}:[ \\t]{0,16}(?i:(?:basic[ \\t]{1,16}(?!eyJ)|bearer[ \\t]{1,16}|token[ \\t]{1,16}|"
	  "api-token[ \\t]{1,16}))?([^\\s'\"]{6,4096})",
	  .allow = "^[$<{*]|^(?:x{4,}|X{4,}|\\.{3,})$", .sev = SEV_HIGH),
	/* passwords given to other commands on their command line */
	RC("docker-login-password", "password on a docker login command line",
	   "docker|podman|buildah|skopeo|nerdctl|oras|helm",
	   CMD_START
	   "(?:docker|podman|buildah|skopeo|nerdctl|oras|helm registry)[ \\t]{1,16}login[ \\t][^\\n|;&]{0,512}?"
	   "[ \\t](?:-p|--password)(?:[ \\t]{1,16}|=)" CMD_ARG),
	RC("sshpass-password", "password on an sshpass command line", "sshpass",
	   CMD_START "sshpass[ \\t]{1,16}(?:-[a-oq-zA-Z][^\\s]{0,64}[ \\t]{1,16}){0,4}-p[ \\t]{0,16}" CMD_ARG),
	RC("mysql-password", "password on a mysql command line", "mysql|mariadb",
	   CMD_START "(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)[ \\t][^\\n|;&]{0,512}?[ \\t]"
		     "(?:-p|--password=)" CMD_ARG),
	RC("psexec-password", "password on a psexec command line", "psexec",
	   "(?i)" CMD_START "psexec(?:64)?(?:\\.exe)?[ \\t][^\\n|;&]{0,512}?[ \\t]-p[ \\t]{1,16}" CMD_ARG),
	RC("chpasswd-password", "password set by chpasswd", "chpasswd",
	   CMD_START "echo[ \\t]{1,16}(?:-[ne][ \\t]{1,16})?[\"']?[a-z_][a-z0-9_.-]{0,31}:([^\\s'\"|:]{1,256})"
		     "[\"']?[ \\t]{0,16}\\|[ \\t]{0,16}(?:sudo[ \\t]{1,16})?chpasswd"),
	R("jwt", "JSON Web Token", NULL,
	  "(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{8,4096}={0,2}\\.eyJ[A-Za-z0-9_-]{8,4096}={0,2}\\.(?:[A-Za-z0-9_-]{10,"
	  "4096}={0,2})?)",
	  .det = "eyJ[A-Za-z0-9_-]{8}[A-Za-z0-9_-]*={0,2}\\.eyJ", .sev = SEV_HIGH),
	R("netrc-password", "password in a .netrc", NULL,
	  "(?:machine\\s{1,64}\\S{1,256}|default)\\s{1,64}(?:login\\s{1,64}\\S{1,256}\\s{1,64})?password\\s{1,64}(\\S{"
	  "1,"
	  "256})",
	  .det = "password\\s", .where = NETRC_FILE, .check = CHK_PASSWORD),
	/* Apache's user:hash lines (htpasswd -m, -B, -s, and crypt's SHA-2; DES crypt, htpasswd -d,
	 * in a file that has one of those too): a hash anyone who pulls the image can crack offline;
	 * /etc/shadow is judged by the image rules (SHP2013). The detector is the hashes' prefixes:
	 * a DES hash's thirteen letters alone would have it run on 2% of all text. */
	R("htpasswd-hash", "password hash in an htpasswd file", NULL,
	  "(?m)^[^:#\\s][^:\\s]{0,255}:(\\$apr1\\$[./0-9A-Za-z]{1,8}\\$[./0-9A-Za-z]{22}|"
	  "\\$2[aby]\\$[0-9]{2}\\$[./0-9A-Za-z]{53}|\\{SHA\\}[A-Za-z0-9+/]{27}=|"
	  "\\$[156]\\$(?:rounds=[0-9]{1,9}\\$)?[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]{22,86}|[./0-9A-Za-z]{13})"
	  "[ \\t]{0,16}\\r?$",
	  .det = ":(\\$apr1\\$|\\$2[aby]\\$|\\{SHA\\}|\\$[156]\\$)", .sev = SEV_HIGH, .where = HTPASSWD_FILE),
	R("url-password", "password in a URL", NULL,
	  "(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,15}://[^/\\s:@'\"<>]{1,64}:([^/"
	  "\\s:@'\"<>]{3,128})@[A-Za-z0-9._-]{2,253}",
	  .det = "://[^/\\s:@]+:[^/\\s:@]+@", .sev = SEV_HIGH, .check = CHK_PASSWORD),
	R("env-password", "password or key in a KEY=value file", NULL,
	  "(?im)^[ \\t]{0,64}(?:export[ "
	  "\\t]{1,64})?[\"']?[A-Za-z0-9_.-]{0,128}(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API[_-]?KEY|"
	  "ACCESS[_-]?KEY|PRIVATE[_-]?KEY|CREDENTIALS?)[A-Za-z0-9_.-]{0,128}[\"']?[ \\t]{0,64}[=:][ \\t]{0,64}[\"']?"
	  "([^\\s\"'#;]{6,1024})",
	  .det = "(?i)(password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential)",
	  .sev = SEV_HIGH, .where = KV_FILE, .check = CHK_PASSWORD),
	/* the generic rule, last: a quoted, random-looking value under a credential's name (any
	 * named rule that matches the same text is reported instead) */
	R("generic-api-key", "generic API key or token",
	  "access_token|access-token|accesstoken|auth_token|authtoken|api_key|api-key|apikey|api_token|api-token|"
	  "apitoken|client_secret|client-secret|clientsecret|credentials|secret_key|secretkey|user_auth",
	  "(?i)(?<![A-Za-z0-9_])(?:access[_-]?token|auth[_-]?token|api[_-]?(?:key|token)|client[_-]?secret|"
	  "credentials|secret[_-]?key|user_auth)['\"]{1,2}[ \\t]{0,16}[:=,][ \\t]{0,16}['\"]"
	  "((?=[^'\"]{0,255}[0-9])[A-Za-z0-9+/=_.~-]{16,256})['\"]",
	  .entropy = 3.5, .allow = "^(?:2YotnFZFEjr1zCsicMWpAA|tGzv3JOkF0XG5Qx2TlKWIA)$", .sev = SEV_HIGH, .kv = 1,
	  .check = CHK_PASSWORD),
};

#define NPAT (sizeof patterns / sizeof patterns[0])

static int secret_binary_kind(size_t k) { return patterns[k].binary; }

/* A detector's match id: the rule's index, and for a keyword rule which of its keywords
 * (each is a detector of its own, reported wherever it occurs: the rule's matches start at
 * them, so PCRE2 tries there alone instead of searching the rest of the file). */
#define DET_ID(k, kw) ((unsigned)(k) << 6 | (unsigned)(kw))
#define DET_RULE(id) ((id) >> 6)
#define DET_KEYWORD(id) ((id)&63u)

/* Appends literal kw[0..n) to o as a Hyperscan regex (every byte but a letter or a digit
 * escaped); returns the end. */
static char *secret_literal(char *o, const char *kw, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = kw[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			*o++ = c;
		else
			o += sprintf(o, "\\x%02x", (unsigned char)c);
	}
	*o = 0;
	return o;
}

/* The length of keyword i of rule k (0: none). */
static size_t secret_keyword_len(size_t k, unsigned i)
{
	const char *c = patterns[k].keywords;
	for (; c && i; i--)
		c = strchr(c, '|') ? strchr(c, '|') + 1 : NULL;
	return c ? strcspn(c, "|") : 0;
}

/* The length of regex text re that spells keyword i of rule k (a punctuation character may be
 * escaped; icase: in any case), or 0. */
static size_t secret_spells(size_t k, unsigned i, const char *re, int icase)
{
	const char *kw = patterns[k].keywords, *r = re;
	for (unsigned j = 0; j < i; j++)
		kw = strchr(kw, '|') + 1;
	size_t n = secret_keyword_len(k, i);
	for (size_t j = 0; j < n; j++) {
		char c = *r;
		if (c == '\\' && r[1] && !isalnum((unsigned char)r[1]))
			c = *++r;
		else if (!c || strchr(".^$|?*+()[]{}\\", c))
			return 0;
		r++;
		if (icase ? tolower((unsigned char)c) != tolower((unsigned char)kw[j]) : c != kw[j])
			return 0;
	}
	return n ? (size_t)(r - re) : 0;
}

/* Whether each alternative of the alternation at *s (up to the ')' that closes it, or the
 * end) begins with one of rule k's keywords, or with a group "(?:...)" that is not optional
 * and whose alternatives do; *s is left after the closing ')'. */
static int secret_alts_at_keyword(size_t k, const char **s, int icase)
{
	for (const char *r = *s;;) {
		if (!strncmp(r, "(?:", 3)) {
			r += 3;
			if (!secret_alts_at_keyword(k, &r, icase) || (*r && strchr("?*{", *r)))
				return 0;
		} else {
			unsigned i = 0;
			while (secret_keyword_len(k, i) && !secret_spells(k, i, r, icase))
				i++;
			if (!secret_keyword_len(k, i))
				return 0;
		}
		/* to the next alternative at this depth, or the end of the alternation */
		for (int depth = 0;; r++) {
			if (!*r) {
				*s = r;
				return 1;
			}
			if (*r == '\\' && r[1]) {
				r++;
			} else if (*r == '[') {
				r += r[1] == '^' ? 2 : 1;
				for (r += *r == ']'; *r && *r != ']'; r++)
					r += *r == '\\' && r[1];
				if (!*r)
					return 0;
			} else if (*r == '(') {
				depth++;
			} else if (*r == ')' && depth) {
				depth--;
			} else if (*r == ')') {
				*s = r + 1;
				return 1;
			} else if (*r == '|' && !depth) {
				r++;
				break;
			}
		}
	}
}

/* Whether every match of rule k starts where one of its keywords does: its regex is, after
 * "(?i)" and a look-behind, and inside the group that captures the secret, keywords or
 * groups of them (a token's prefix, a command's name). Such a rule, as a keyword rule (kv),
 * is tried at its keywords alone, anchored, not searched from its first to the text's end. */
static int secret_at_keyword(size_t k)
{
	const struct pattern *p = &patterns[k];
	if (p->kv)
		return 1;
	if (!p->keywords || p->det)
		return 0;
	const char *s = p->re;
	int icase = !strncmp(s, "(?i)", 4);
	s += icase ? 4 : 0;
	if (!strncmp(s, "(?<!", 4) || !strncmp(s, "(?<=", 4)) {
		const char *e = strchr(s + 4, ')');
		if (!e || memchr(s + 4, '(', (size_t)(e - s - 4)))
			return 0;
		s = e + 1;
	}
	int group = s[0] == '(' && s[1] != '?';
	s += group;
	if (!secret_alts_at_keyword(k, &s, icase))
		return 0;
	/* the capturing group closed (or the regex ended): nothing after it is an alternative */
	if (!group)
		return !*s || !strchr("?*{", *s);
	if (*s && strchr("?*{", *s))
		return 0;
	for (int depth = 0; *s; s++) {
		if (*s == '\\' && s[1])
			s++;
		else if (*s == '[') {
			s += s[1] == '^' ? 2 : 1;
			for (s += *s == ']'; *s && *s != ']'; s++)
				s += *s == '\\' && s[1];
			if (!*s)
				return 0;
		} else if (*s == '(')
			depth++;
		else if (*s == ')')
			depth--;
		else if (*s == '|' && depth <= 0)
			return 0;
	}
	return 1;
}

/* Compiles the detectors of all kinds, or of the binary ones alone, into one database (see
 * DET_ID; a binary file is searched by a database of its own, so the generic kinds cost
 * nothing there: most of an image's bytes are programs). A rule's detector is its det, or
 * its keywords as literals, matched in any case. platform NULL: the machine this runs on.
 * Aborts on a pattern without a detector or that does not compile: a defect of the tables,
 * which the build finds first. */
static hs_database_t *secret_detectors(int binary, const hs_platform_info_t *platform)
{
	size_t max = 0;
	for (size_t i = 0; i < NPAT; i++)
		for (const char *c = patterns[i].keywords; c; c = strchr(c, '|') ? strchr(c, '|') + 1 : NULL)
			max++;
	max += NPAT;
	char **exprs = malloc(max * sizeof *exprs);
	unsigned *flags = malloc(max * sizeof *flags), *ids = malloc(max * sizeof *ids), n = 0;
	if (!exprs || !flags || !ids)
		abort();
	for (size_t i = 0; i < NPAT; i++) {
		const struct pattern *p = &patterns[i];
		if (binary && !secret_binary_kind(i))
			continue;
		if (p->det) {
			exprs[n] = strdup(p->det);
			flags[n] = HS_FLAG_PREFILTER | HS_FLAG_SINGLEMATCH;
			ids[n++] = DET_ID(i, 0);
			continue;
		}
		if (!p->keywords) {
			fprintf(stderr, "shipshape: internal error: secret pattern %s has no detector\n", p->kind.id);
			abort();
		}
		if (!secret_at_keyword(i)) { /* one detector, "(?:a|b)" */
			char *o = exprs[n] = malloc(4 * strlen(p->keywords) + 8);
			o += sprintf(o, "(?:");
			for (const char *c = p->keywords; *c; c += *c == '|') {
				size_t l = strcspn(c, "|");
				o = secret_literal(o, c, l);
				c += l;
				if (*c)
					*o++ = '|';
			}
			strcpy(o, ")");
			/* in any case if the pattern is: a token's prefix has one */
			flags[n] = (strncmp(p->re, "(?i", 3) ? 0 : HS_FLAG_CASELESS) | HS_FLAG_SINGLEMATCH;
			ids[n++] = DET_ID(i, 0);
			continue;
		}
		for (unsigned w = 0; secret_keyword_len(i, w); w++) {
			const char *c = p->keywords;
			for (unsigned j = 0; j < w; j++)
				c = strchr(c, '|') + 1;
			size_t l = secret_keyword_len(i, w);
			if (w >= 64)
				abort(); /* DET_ID has room for 64 */
			exprs[n] = malloc(4 * l + 1);
			secret_literal(exprs[n], c, l);
			flags[n] = p->kv || !strncmp(p->re, "(?i", 3) ? HS_FLAG_CASELESS : 0;
			ids[n++] = DET_ID(i, w);
		}
	}
	hs_database_t *db = NULL;
	hs_compile_error_t *ce = NULL;
	if (hs_compile_multi((const char *const *)exprs, flags, ids, n, HS_MODE_BLOCK, platform, &db, &ce) !=
	    HS_SUCCESS) {
		fprintf(stderr, "shipshape: internal error: secret patterns (%s): %s\n",
			ce && ce->expression >= 0 ? patterns[DET_RULE(ids[ce->expression])].kind.id : "?",
			ce ? ce->message : "?");
		abort();
	}
	for (unsigned i = 0; i < n; i++)
		free(exprs[i]);
	free(exprs);
	free(flags);
	free(ids);
	return db;
}
