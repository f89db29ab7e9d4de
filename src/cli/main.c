/* main.c - shipshape's entry point: the command table and global flags. */
#include "cli/cli.h"

#include <malloc.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct shp_command commands[] = {
	{"lint", shp_cmd_lint, "lint Dockerfiles (files, directories, or - for stdin)"},
	{"fix", shp_cmd_fix, "rewrite Dockerfiles to follow the rules that have a mechanical fix"},
	{"pin", shp_cmd_pin, "pin image references (FROM, compose, Kubernetes) to their registry digests"},
	{"image", shp_cmd_image, "analyze an image: docker-save tar, OCI layout, or root filesystem"},
	{"slim", shp_cmd_slim, "make a smaller image with only what the entrypoint needs, no setuid, not root"},
	{"sbom", shp_cmd_sbom, "list the OS packages of an image or root as CycloneDX or SPDX JSON"},
	{"audit", shp_cmd_audit, "audit compose files and Kubernetes manifests: privileges, mounts, limits"},
	{"host", shp_cmd_host, "check the container host: engine sockets, docker group, daemon.json, file modes"},
	{"vuln", shp_cmd_vuln, "match installed packages against the local vulnerability database"},
	{"db", shp_cmd_db, "the local vulnerability database: shipshape db update, db import FEED..., db info"},
	{"vercmp", shp_cmd_vercmp, "order versions as dpkg, apk or rpm do: shipshape vercmp --type deb A B"},
	{"rules", shp_cmd_rules, "list the rules, or explain one: shipshape rules DL3008"},
};

static void usage(FILE *f)
{
	fputs("usage: shipshape COMMAND [options] [args]\n\n"
	      "container security from Dockerfile to host, offline\n\ncommands:\n",
	      f);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fputs("\nshipshape COMMAND --help shows a command's options.\n"
	      "exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage, 3 bad input or I/O\n",
	      f);
}

/* Trivy's --input FILE (image, sbom, vuln) names the image as the operand does: the flag
 * is dropped, its value stays an operand. Returns the new argc. */
static int input_as_operand(int argc, char **argv)
{
	int out = 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "--input") && i + 1 < argc)
			continue;
		argv[out++] = !strncmp(argv[i], "--input=", 8) ? argv[i] + 8 : argv[i];
	}
	argv[out] = NULL;
	return out;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	/* Heaps grow in MiB steps, not page by page: linting the corpus on two threads made
	 * some 330 mprotect/brk calls growing the worker's heap. */
	mallopt(M_TOP_PAD, 1 << 20);
	/* Buffers of a few MiB (a Java archive's inflate state, a secret window) are made and
	 * freed for file after file: kept in the heap instead of mapped and unmapped each time,
	 * their pages are not faulted in again (6,000 faults in the bench image). */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	/* With TZ unset, glibc stats /etc/localtime on every mktime(): libarchive's zip reader
	 * calls it for each member of each Java archive (17,000 stats in the bench image). The
	 * same zone, named once, is read once. */
	setenv("TZ", ":/etc/localtime", 0);
	/* SQLite counts every allocation under a global mutex when asked for its memory use,
	 * which shipshape never does: a vulnerability import makes millions of them. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	static char out_block[SHP_OUT_BLOCK]; /* glibc ignores the size when given no buffer */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, out_block, _IOFBF, sizeof out_block);
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V") || !strcmp(cmd, "version")) {
		printf("shipshape %s\n", SHIPSHAPE_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "image") || !strcmp(cmd, "sbom") || !strcmp(cmd, "vuln"))
		argc = input_as_operand(argc - 1, argv + 1) + 1;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(cmd, commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	const char *names[sizeof commands / sizeof commands[0] + 2] = {"help", "version"};
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		names[i + 2] = commands[i].name;
	const char *near = shp_cli_nearest(cmd, names, sizeof names / sizeof names[0]);
	if (near) {
		shp_cli_error("unknown command \"%s\"; did you mean \"%s\"?", cmd, near);
		return 2;
	}
	shp_cli_error("unknown command \"%s\"", cmd);
	fputc('\n', stderr);
	usage(stderr);
	return 2;
}
