/* sandbox.h - runs an image's command without a container engine and watches what it
 * touches. The root is a tmpfs of its own, unpacked from a layer tarball; the command runs
 * in new user, mount, PID, network (loopback only), UTS and IPC namespaces, as the image's
 * user, with its environment and working directory. A seccomp filter stops the process tree
 * at each file system call (open, exec, stat, access, readlink, list, make, remove, rename)
 * and its tracer (ptrace, following forks and execs) records the path named. Probes
 * exercise it meanwhile: an HTTP GET to each port asked for, and to each one it listens on,
 * once it listens; commands run in the sandbox. The run ends when the probes are done, when
 * the command's processes have all exited, or when the time given passes; then every process
 * of the sandbox is killed (the PID namespace's init is), and the tmpfs goes with them: the
 * host's files are never reachable from inside (pivot_root, the old root detached). The
 * tmpfs is memory: a root larger than half of the memory free is refused, and each process
 * of the command may have at most that half as data (RLIMIT_DATA).
 *
 * With one user ID mapped (an unprivileged caller, or a user namespace that allows no more),
 * every command runs as that one user: setuid(2), chown(2) and their kin are answered with
 * success and no effect, as fakeroot does, so a program that drops its privileges still
 * starts. */
#pragma once
#include "util/error.h"

#include <stddef.h>
#include <stdint.h>

#define SHP_SANDBOX_DEFAULT_MS 30000u	     /* the longest a run takes (--probe-time) */
#define SHP_SANDBOX_MAX_PROCS 256u	     /* processes the command may make, in all */
#define SHP_SANDBOX_SPARE_BYTES (256u << 20) /* the tmpfs's room beyond the root's files */
#define SHP_SANDBOX_OUTPUT 4096u	     /* the last bytes of the command's output kept */
/* The distinct paths a run may name, and their bytes: past either, it is stopped (a command
 * naming paths without end would take the memory they are recorded in). A Flask app names
 * about a thousand. SHIPSHAPE_SANDBOX_MAX_PATHS lowers the count, for tests. */
#define SHP_SANDBOX_MAX_PATHS (1u << 18)
#define SHP_SANDBOX_MAX_PATH_BYTES (64u << 20)

/* One probe, asked for or found (a port the command listened on), and what it saw. */
struct shp_probe {
	char *cmd;	/* a command run in the sandbox (sh -c when it has a shell), or NULL: HTTP */
	unsigned port;	/* HTTP: GET http://127.0.0.1:port/path */
	char *path;	/* "/" */
	int found;	/* a port it listened on that no probe asked for */
	int ran;	/* 0: the port never listened, or the command could not start */
	int status;	/* the HTTP status, 0 for no answer; a command's exit code (128 + signal) */
	uint64_t bytes; /* the HTTP body's bytes; the command's output bytes */
};

struct shp_sandbox_opts {
	int layer_fd; /* an uncompressed layer tarball, read from offset 0: the root */
	uint64_t root_bytes;
	const char *const *argv; /* the command, argv[0] looked up on the environment's PATH */
	size_t argc;
	const char *const *env; /* "NAME=VALUE" */
	size_t nenv;
	const char *workdir;		/* NULL: / */
	const char *user;		/* USER[:GROUP], names or IDs, as an image config says it; NULL: root */
	const struct shp_probe *probes; /* asked for (their results are the result's) */
	size_t nprobes;
	int probe_listening; /* also GET / on every other port the command listens on */
	unsigned time_ms;    /* 0: SHP_SANDBOX_DEFAULT_MS */
	unsigned max_procs;  /* 0: SHP_SANDBOX_MAX_PROCS */
};

struct shp_sandbox_result {
	char **paths; /* every path the tree named, absolute, in the order first named */
	size_t npaths, cpaths;
	char **wrote; /* those opened to write, or made, removed, renamed, chmod'ed */
	size_t nwrote, cwrote;
	char *root_why; /* the first thing it did that takes root ("binds port 80", "calls setuid"), or NULL */
	struct shp_probe *probes;
	size_t nprobes, cprobes;
	int started;	       /* the command was executed */
	int exited, exit_code; /* it ended by itself: its code (128 + signal) */
	int timed_out;	       /* the time passed with probes still to run, or the command running */
	int proc_limit;	       /* it made more than max_procs processes and was killed */
	int path_limit;	       /* it named more than SHP_SANDBOX_MAX_PATHS paths (or their bytes) and was killed */
	unsigned procs;	       /* processes it made */
	int one_id;	       /* one user ID was mapped: identity calls were answered with no effect */
	char output[SHP_SANDBOX_OUTPUT + 1]; /* the last bytes of its output, NUL-terminated */
	size_t output_len;
};

/* The user a command runs as. */
#define SHP_SANDBOX_MAX_GROUPS 32
struct shp_sandbox_ident {
	unsigned uid, gid;
	unsigned groups[SHP_SANDBOX_MAX_GROUPS]; /* the primary group first */
	int ngroups;
	char name[64]; /* "" when the UID has no line in passwd */
};

/* USER[:GROUP] as runc reads an image config's User: a name looked up in passwd (the root's
 * /etc/passwd text), a number taken as it is (with its passwd line's group, if any), a group
 * by name in group (/etc/group) or by number, and the groups that list the user. passwd and
 * group are NUL-terminated (empty when the root has no such file). 0, or -1 with why. */
int shp_sandbox_user(const char *spec, const char *passwd, const char *group, struct shp_sandbox_ident *id, char *why,
		     size_t size);

/* Runs o->argv in a new sandbox over the root in o->layer_fd. -1 with err (exit 3) when the
 * sandbox cannot be made (err says why: user namespaces not allowed, a mount refused); 0
 * otherwise, whatever the command did. */
int shp_sandbox_run(const struct shp_sandbox_opts *o, struct shp_sandbox_result *r, struct shp_error **err);
void shp_sandbox_result_free(struct shp_sandbox_result *r);
