/* sandbox.c - an image's command run in namespaces of its own, traced (sandbox.h).
 *
 * Four processes:
 *   the caller   clones the sandbox's init with new user, mount, PID, network, UTS and IPC
 *                namespaces, writes its ID maps, then reads what init reports (a stream of
 *                records) and the command's output until init exits, or kills init when
 *                the run overstays;
 *   init         (PID 1 inside) mounts a tmpfs, unpacks the root into it, binds a few
 *                devices, mounts /proc, pivots into it and detaches the host's tree; then it
 *                starts the prober and the command, and traces the command's whole tree;
 *                at the end it kills every process of the namespace and reports;
 *   the prober   (untraced) waits for the ports to listen and sends each its GET;
 *   the command  stops for init to trace it, installs the seccomp filter that stops it at
 *                each file system call, takes the image's user and execs.
 * Init and the prober are not dumpable: a process of the command cannot ptrace them, read
 * their memory or their descriptors (they were made by a process of the host's user
 * namespace, whose capabilities the command has not). */
#include "slim/sandbox.h"
#include "image/store.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/file.h"
#include "util/xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__x86_64__)
#define SHP_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SHP_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

/* ---- records: init to the caller ---------------------------------------------------------- */

enum rec_type {
	REC_PATH = 'P',	  /* a path named */
	REC_WROTE = 'W',  /* a path written */
	REC_ROOT = 'R',	  /* why it needs root */
	REC_PROBE = 'H',  /* struct probe_rec, then the path or command */
	REC_EXIT = 'X',	  /* struct exit_rec */
	REC_ERROR = 'E',  /* the sandbox could not be made: the message */
	REC_STARTED = 'S' /* the command was executed */
};

struct rec_hdr {
	char type;
	uint32_t len;
} __attribute__((packed));

struct probe_rec {
	uint32_t index; /* of the probes asked for; UINT32_MAX: found */
	uint32_t port;
	int32_t ran, status;
	uint64_t bytes;
};

struct exit_rec {
	int32_t exited, exit_code, timed_out, proc_limit, path_limit;
	uint32_t procs;
};

/* One record, in one write of at most PIPE_BUF bytes: init and the prober write to the same
 * pipe, and such a write is never interleaved with another. A longer path is left out. */
static int send_rec(int fd, char type, const void *p, size_t n)
{
	char buf[PIPE_BUF];
	struct rec_hdr h = {.type = type, .len = (uint32_t)n};
	if (n > sizeof buf - sizeof h)
		return -1;
	memcpy(buf, &h, sizeof h);
	memcpy(buf + sizeof h, p, n);
	return shp_write_all(fd, buf, sizeof h + n);
}

static void send_error(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void send_error(int fd, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	send_rec(fd, REC_ERROR, msg, n < 0 ? 0 : (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
}

/* ---- the sandbox's init: the root ------------------------------------------------------------ */

#define OLD_ROOT ".shipshape-old-root"

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = shp_write_all(fd, text, strlen(text));
	close(fd);
	return rc;
}

/* name's parent directories, made as a runtime's unpacker makes them */
static void parents(char *name)
{
	for (char *s = strchr(name, '/'); s; s = strchr(s + 1, '/')) {
		*s = 0;
		mkdir(name, 0755);
		*s = '/';
	}
}

/* One regular file's data, holes kept. */
static int unpack_data(struct archive *a, int fd, int64_t size)
{
	const void *buf;
	size_t n;
	int64_t off;
	int r;
	while ((r = archive_read_data_block(a, &buf, &n, &off)) == ARCHIVE_OK)
		if (n && pwrite(fd, buf, n, off) != (ssize_t)n)
			return -1;
	return r == ARCHIVE_EOF && ftruncate(fd, size) == 0 ? 0 : -1;
}

/* The root's files, from the layer tarball, into the working directory: called once the
 * host's files are gone from the sandbox, so a symlink of the image leads nowhere but into
 * it. /dev and /proc are the sandbox's; device nodes and FIFOs are left out; owners the user
 * namespace cannot give stay root's. */
static int unpack(int fd, int out)
{
	struct archive *a = archive_read_new();
	archive_read_support_format_tar(a);
	int rc = -1;
	if (lseek(fd, 0, SEEK_SET) < 0 || archive_read_open_fd(a, fd, 1 << 16) != ARCHIVE_OK) {
		send_error(out, "the root could not be read: %s", archive_error_string(a));
		goto done;
	}
	struct archive_entry *ae;
	int r;
	while ((r = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
		char name[4096];
		const char *p = archive_entry_pathname(ae);
		while (p && (*p == '/' || (p[0] == '.' && p[1] == '/')))
			p += *p == '/' ? 1 : 2;
		if (!p || !*p || snprintf(name, sizeof name, "%s", p) >= (int)sizeof name)
			continue;
		size_t n = strlen(name);
		while (n > 1 && name[n - 1] == '/')
			name[--n] = 0;
		if (!strncmp(name, "dev", 3) && (!name[3] || name[3] == '/'))
			continue;
		if (!strncmp(name, "proc", 4) && (!name[4] || name[4] == '/'))
			continue;
		parents(name);
		mode_t mode = archive_entry_perm(ae) & 07777;
		const char *hard = archive_entry_hardlink(ae);
		int f = -1;
		switch (archive_entry_filetype(ae)) {
		case AE_IFDIR:
			if (mkdir(name, mode) < 0 && errno == EEXIST)
				chmod(name, mode);
			break;
		case AE_IFLNK:
			unlink(name);
			if (symlink(archive_entry_symlink(ae), name) < 0)
				continue;
			break;
		case AE_IFREG:
			unlink(name);
			if (hard) {
				while (*hard == '/' || (hard[0] == '.' && hard[1] == '/'))
					hard += *hard == '/' ? 1 : 2;
				link(hard, name);
				continue;
			}
			f = open(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
			if (f < 0 || unpack_data(a, f, archive_entry_size(ae)) < 0 || fchmod(f, mode) < 0) {
				int e = errno;
				if (f >= 0)
					close(f);
				if (archive_errno(a)) {
					send_error(out, "the root could not be read at %s: %s", name,
						   archive_error_string(a));
					goto done;
				}
				send_error(out, "/%s could not be written in the sandbox: %s", name, strerror(e));
				goto done;
			}
			break;
		default: continue;
		}
		if (f >= 0) {
			fchown(f, (uid_t)archive_entry_uid(ae), (gid_t)archive_entry_gid(ae));
			close(f);
		} else
			lchown(name, (uid_t)archive_entry_uid(ae), (gid_t)archive_entry_gid(ae));
		struct timespec ts[2] = {{archive_entry_mtime(ae), 0}, {archive_entry_mtime(ae), 0}};
		utimensat(AT_FDCWD, name, ts, AT_SYMLINK_NOFOLLOW);
	}
	if (r != ARCHIVE_EOF) {
		send_error(out, "the root could not be read: %s", archive_error_string(a));
		goto done;
	}
	rc = 0;
done:
	archive_read_free(a);
	return rc;
}

/* /dev: a tmpfs of its own with the host's harmless devices bound in (no terminal), and
 * /dev/shm */
static int make_dev(int out)
{
	if (mkdir("dev", 0755) < 0 ||
	    mount("tmpfs", "dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755,size=64k,nr_inodes=64") < 0) {
		send_error(out, "/dev could not be made: %s", strerror(errno));
		return -1;
	}
	static const char *const devs[] = {"null", "zero", "full", "random", "urandom", NULL};
	char host[64], in[64];
	for (int i = 0; devs[i]; i++) {
		snprintf(host, sizeof host, "/dev/%s", devs[i]);
		snprintf(in, sizeof in, "dev/%s", devs[i]);
		int fd = open(in, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0)
			close(fd);
		if (fd < 0 || mount(host, in, NULL, MS_BIND, NULL) < 0) {
			send_error(out, "%s could not be bound into the sandbox: %s", host, strerror(errno));
			return -1;
		}
	}
	if (symlink("/proc/self/fd", "dev/fd") < 0 || symlink("/proc/self/fd/0", "dev/stdin") < 0 ||
	    symlink("/proc/self/fd/1", "dev/stdout") < 0 || symlink("/proc/self/fd/2", "dev/stderr") < 0 ||
	    mkdir("dev/shm", 01777) < 0 ||
	    mount("tmpfs", "dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=64m") < 0) {
		send_error(out, "/dev could not be made: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* What a runtime gives every container: /etc/hosts, /etc/hostname, /etc/resolv.conf (made
 * when the image has /etc; they are not the image's, so never kept). */
static void make_etc(void)
{
	struct stat st;
	if (lstat("/etc", &st) < 0 || !S_ISDIR(st.st_mode))
		return;
	static const struct {
		const char *path, *text;
	} files[] = {{"/etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"},
		     {"/etc/hostname", "sandbox\n"},
		     {"/etc/resolv.conf", "# no network in the sandbox\n"}};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		unlink(files[i].path);
		int fd = open(files[i].path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd >= 0) {
			shp_write_all(fd, files[i].text, strlen(files[i].text));
			close(fd);
		}
	}
}

static void loopback_up(void)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return;
	struct ifreq ifr = {0};
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
}

/* Where the root is mounted in the sandbox's mount namespace, before it is pivoted into: a
 * directory every host has and every user may reach (as bubblewrap mounts its own), covered
 * there only; nothing is made on the host. */
#define MOUNT_AT "/tmp"

/* The tmpfs root with /dev and /proc, pivoted into, the host's tree detached; then the
 * image's files unpacked into it. */
static int make_root(const struct shp_sandbox_opts *o, int out)
{
	char opts[96];
	uint64_t kib = (o->root_bytes + SHP_SANDBOX_SPARE_BYTES) / 1024;
	snprintf(opts, sizeof opts, "mode=0755,size=%lluk,nr_inodes=%u", (unsigned long long)kib, 1u << 20);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", MOUNT_AT, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0 || chdir(MOUNT_AT) < 0) {
		send_error(out, "the sandbox's root could not be mounted: %s", strerror(errno));
		return -1;
	}
	if (make_dev(out) < 0)
		return -1;
	if (mkdir("proc", 0555) < 0 || mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		send_error(out, "/proc could not be mounted in the sandbox: %s", strerror(errno));
		return -1;
	}
	if (mkdir(OLD_ROOT, 0700) < 0 || syscall(SYS_pivot_root, ".", OLD_ROOT) < 0 || chdir("/") < 0 ||
	    umount2("/" OLD_ROOT, MNT_DETACH) < 0 || rmdir("/" OLD_ROOT) < 0) {
		send_error(out, "the sandbox could not leave the host's files: %s", strerror(errno));
		return -1;
	}
	if (unpack(o->layer_fd, out) < 0)
		return -1;
	make_etc();
	loopback_up();
	sethostname("sandbox", 7);
	return 0;
}

/* ---- the user, from the root's /etc/passwd and /etc/group ---------------------------------- */

/* The field-th (0-based) colon field of the line of text whose key_field-th field is key,
 * copied into out: 1, or 0 when no line has it. */
static int lookup(const char *text, const char *key, int key_field, int field, char *out, size_t size)
{
	size_t klen = strlen(key);
	for (const char *line = text; line && *line;) {
		const char *eol = strchrnul(line, '\n'), *f[8], *p = line;
		size_t fl[8];
		int n = 0;
		while (n < 8) {
			const char *c = memchr(p, ':', (size_t)(eol - p));
			f[n] = p;
			fl[n++] = (size_t)((c ? c : eol) - p);
			if (!c)
				break;
			p = c + 1;
		}
		if (key_field < n && field < n && fl[key_field] == klen && !memcmp(f[key_field], key, klen)) {
			snprintf(out, size, "%.*s", (int)(fl[field] < 1024 ? fl[field] : 1024), f[field]);
			return 1;
		}
		line = *eol ? eol + 1 : NULL;
	}
	return 0;
}

/* An ID written in decimal, as the runtimes take it: 0, or -1 (not a number, or too large). */
static int parse_id(const char *s, unsigned *id)
{
	if (!*s || strlen(s) > 10)
		return -1;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	unsigned long long v = strtoull(s, NULL, 10);
	if (v >= 4294967295ull)
		return -1;
	*id = (unsigned)v;
	return 0;
}

/* Whether the comma-separated list has name. */
static int member(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; *p;) {
		const char *e = strchrnul(p, ',');
		if ((size_t)(e - p) == n && !memcmp(p, name, n))
			return 1;
		p = *e ? e + 1 : e;
	}
	return 0;
}

int shp_sandbox_user(const char *spec, const char *passwd, const char *group, struct shp_sandbox_ident *id, char *why,
		     size_t size)
{
	*id = (struct shp_sandbox_ident){0};
	if (!spec || !*spec)
		spec = "0";
	char user[256], grp[256] = "", v[1100];
	if (snprintf(user, sizeof user, "%s", spec) >= (int)sizeof user) {
		snprintf(why, size, "the user \"%.64s...\" is too long", spec);
		return -1;
	}
	char *colon = strchr(user, ':');
	if (colon) {
		*colon = 0;
		snprintf(grp, sizeof grp, "%s", colon + 1);
	}
	if (parse_id(user, &id->uid) == 0) {
		if (lookup(passwd, user, 2, 3, v, sizeof v) && parse_id(v, &id->gid) < 0)
			id->gid = 0;
		if (lookup(passwd, user, 2, 0, v, sizeof v))
			snprintf(id->name, sizeof id->name, "%.63s", v);
	} else if (lookup(passwd, user, 0, 2, v, sizeof v) && parse_id(v, &id->uid) == 0) {
		if (!lookup(passwd, user, 0, 3, v, sizeof v) || parse_id(v, &id->gid) < 0)
			id->gid = 0;
		snprintf(id->name, sizeof id->name, "%.63s", user);
	} else {
		snprintf(why, size, "the user %.64s is not in the image's /etc/passwd", user);
		return -1;
	}
	if (*grp && parse_id(grp, &id->gid) < 0 &&
	    (!lookup(group, grp, 0, 2, v, sizeof v) || parse_id(v, &id->gid) < 0)) {
		snprintf(why, size, "the group %.64s is not in the image's /etc/group", grp);
		return -1;
	}
	id->groups[id->ngroups++] = id->gid;
	/* the groups that list the user as a member */
	for (const char *line = *id->name ? group : NULL; line && *line && id->ngroups < SHP_SANDBOX_MAX_GROUPS;) {
		const char *eol = strchrnul(line, '\n');
		char copy[1100];
		snprintf(copy, sizeof copy, "%.*s", (int)((size_t)(eol - line) < 1024 ? (size_t)(eol - line) : 1024),
			 line);
		char *gid = strchr(copy, ':') ? strchr(strchr(copy, ':') + 1, ':') : NULL;
		char *mem = gid ? strchr(gid + 1, ':') : NULL;
		unsigned g;
		if (mem) {
			*mem = 0;
			if (member(mem + 1, id->name) && parse_id(gid + 1, &g) == 0)
				id->groups[id->ngroups++] = g;
		}
		line = *eol ? eol + 1 : NULL;
	}
	return 0;
}

/* The user of spec, by the root's files (absent files are empty). */
static int resolve_user(const char *spec, struct shp_sandbox_ident *id, char *why, size_t size)
{
	char *passwd = NULL, *group = NULL;
	size_t len;
	struct shp_error *e = NULL;
	if (shp_read_file_at(AT_FDCWD, "/etc/passwd", SHP_OPEN_FOUND, "/etc/passwd", 1u << 20, &passwd, &len, &e) < 0)
		shp_error_free(e);
	e = NULL;
	if (shp_read_file_at(AT_FDCWD, "/etc/group", SHP_OPEN_FOUND, "/etc/group", 1u << 20, &group, &len, &e) < 0)
		shp_error_free(e);
	int rc = shp_sandbox_user(spec, passwd ? passwd : "", group ? group : "", id, why, size);
	free(passwd);
	free(group);
	return rc;
}

/* ---- the command ---------------------------------------------------------------------------- */

/* The system calls that name a path: where the directory descriptor and the path are (-1:
 * none), and whether the call writes. */
struct pathcall {
	long nr;
	signed char dirfd, path, dirfd2, path2;
	char write; /* 1 writes; 2 writes when its open flags say so (flags argument: path + 1) */
};

#define PC(n, d, p, d2, p2, w)                                                                                         \
	{                                                                                                              \
		SYS_##n, d, p, d2, p2, w                                                                               \
	}
static const struct pathcall pathcalls[] = {
#ifdef SYS_open
	PC(open, -1, 0, -1, -1, 2),
	PC(creat, -1, 0, -1, -1, 1),
	PC(stat, -1, 0, -1, -1, 0),
	PC(lstat, -1, 0, -1, -1, 0),
	PC(access, -1, 0, -1, -1, 0),
	PC(readlink, -1, 0, -1, -1, 0),
	PC(mkdir, -1, 0, -1, -1, 1),
	PC(rmdir, -1, 0, -1, -1, 1),
	PC(unlink, -1, 0, -1, -1, 1),
	PC(rename, -1, 0, -1, 1, 1),
	PC(link, -1, 0, -1, 1, 1),
	PC(symlink, -1, -1, -1, 1, 1),
	PC(chmod, -1, 0, -1, -1, 1),
	PC(mknod, -1, 0, -1, -1, 1),
	PC(utimes, -1, 0, -1, -1, 1),
#endif
	PC(execve, -1, 0, -1, -1, 0),
	PC(execveat, 0, 1, -1, -1, 0),
	PC(openat, 0, 1, -1, -1, 2),
	PC(newfstatat, 0, 1, -1, -1, 0),
	PC(statx, 0, 1, -1, -1, 0),
	PC(faccessat, 0, 1, -1, -1, 0),
#ifdef SYS_faccessat2
	PC(faccessat2, 0, 1, -1, -1, 0),
#endif
	PC(readlinkat, 0, 1, -1, -1, 0),
	PC(truncate, -1, 0, -1, -1, 1),
	PC(chdir, -1, 0, -1, -1, 0),
	PC(statfs, -1, 0, -1, -1, 0),
	PC(getxattr, -1, 0, -1, -1, 0),
	PC(lgetxattr, -1, 0, -1, -1, 0),
	PC(listxattr, -1, 0, -1, -1, 0),
	PC(mkdirat, 0, 1, -1, -1, 1),
	PC(unlinkat, 0, 1, -1, -1, 1),
#ifdef SYS_renameat
	PC(renameat, 0, 1, 2, 3, 1),
#endif
#ifdef SYS_openat2
	PC(openat2, 0, 1, -1, -1, 2),
#endif
	PC(renameat2, 0, 1, 2, 3, 1),
	PC(linkat, 0, 1, 2, 3, 1),
	PC(symlinkat, -1, -1, 1, 2, 1),
	PC(fchmodat, 0, 1, -1, -1, 1),
	PC(utimensat, 0, 1, -1, -1, 1),
	PC(mknodat, 0, 1, -1, -1, 1),
	PC(inotify_add_watch, -1, 1, -1, -1, 0),
};

/* Calls that take a descriptor of what they read (a directory listed, one changed to). */
static const long fdcalls[] = {SYS_getdents64,
#ifdef SYS_getdents
			       SYS_getdents,
#endif
			       SYS_fchdir};

/* Calls that change the user or an owner: traced for what needs root when the IDs are
 * real, answered with success and no effect when one ID is mapped. */
static const long idcalls[] = {
	SYS_setuid,    SYS_setgid,   SYS_setreuid, SYS_setregid, SYS_setresuid, SYS_setresgid,
	SYS_setgroups, SYS_setfsuid, SYS_setfsgid, SYS_fchown,	 SYS_fchownat,
#ifdef SYS_chown
	SYS_chown,     SYS_lchown,
#endif
};

#define SECCOMP_DATA_NR 0
#define SECCOMP_DATA_ARCH 4

static int install_filter(int one_id)
{
#ifdef SHP_AUDIT_ARCH
	struct sock_filter f[256];
	size_t n = 0;
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARCH);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SHP_AUDIT_ARCH, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR);
#define RULE(nr, action)                                                                                               \
	do {                                                                                                           \
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(nr), 0, 1);                \
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, (action));                                      \
	} while (0)
	for (size_t i = 0; i < sizeof pathcalls / sizeof *pathcalls; i++)
		RULE(pathcalls[i].nr, SECCOMP_RET_TRACE);
	for (size_t i = 0; i < sizeof fdcalls / sizeof *fdcalls; i++)
		RULE(fdcalls[i], SECCOMP_RET_TRACE);
	for (size_t i = 0; i < sizeof idcalls / sizeof *idcalls; i++)
		RULE(idcalls[i], one_id ? SECCOMP_RET_ERRNO | 0 : SECCOMP_RET_TRACE);
	RULE(SYS_bind, SECCOMP_RET_TRACE);
#undef RULE
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = {.len = (unsigned short)n, .filter = f};
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
#else
	(void)one_id;
	errno = ENOSYS;
	return -1;
#endif
}

/* The data (heap and private writable mappings) each process of the command may have: half
 * of the memory free when the sandbox is made (SHIPSHAPE_SANDBOX_DATA_BYTES overrides it, for
 * tests); set by the caller, inherited by the sandbox's processes. */
static uint64_t data_limit;

/* PATH's directory in which name is an executable file, as execvp looks; name itself when
 * it has a slash. */
static const char *find_program(const char *name, const char *const *env, size_t nenv, char *buf, size_t size)
{
	if (strchr(name, '/'))
		return name;
	const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	for (size_t i = 0; i < nenv; i++)
		if (!strncmp(env[i], "PATH=", 5))
			path = env[i] + 5;
	for (const char *p = path; *p;) {
		const char *e = strchrnul(p, ':');
		snprintf(buf, size, "%.*s/%s", (int)(e - p), p, name);
		if (e > p && access(buf, X_OK) == 0)
			return buf;
		p = *e ? e + 1 : e;
	}
	return name;
}

/* In the child that becomes the command: stopped for its tracer, then as a runtime starts
 * a container's process. Never returns. */
static void become(const char *const *argv, const char *const *env, size_t nenv, const char *workdir,
		   const struct shp_sandbox_ident *id, int one_id, int log_fd)
{
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0) {
		dprintf(log_fd, "sandbox: the command cannot be traced (ptrace: %s)\n", strerror(errno));
		_exit(126);
	}
	raise(SIGSTOP);
	setsid();
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null < 0 || dup2(null, 0) < 0 || dup2(log_fd, 1) < 0 || dup2(log_fd, 2) < 0)
		_exit(126);
	syscall(SYS_close_range, 3u, ~0u, 0u);
	struct rlimit core = {0, 0}, data = {data_limit, data_limit};
	setrlimit(RLIMIT_CORE, &core);
	if (data_limit)
		setrlimit(RLIMIT_DATA, &data);
	signal(SIGPIPE, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	const char *wd = workdir && *workdir ? workdir : "/";
	if (chdir(wd) < 0) {
		/* a runtime makes the working directory */
		char p[4096];
		snprintf(p, sizeof p, "%s", wd);
		for (char *s = p + 1; (s = strchr(s, '/')); s++) {
			*s = 0;
			mkdir(p, 0755);
			*s = '/';
		}
		mkdir(p, 0755);
		if (chdir(wd) < 0) {
			dprintf(2, "sandbox: the working directory %s: %s\n", wd, strerror(errno));
			_exit(126);
		}
	}
	if (!one_id && (setgroups((size_t)id->ngroups, (const gid_t *)id->groups) < 0 ||
			setresgid(id->gid, id->gid, id->gid) < 0 || setresuid(id->uid, id->uid, id->uid) < 0)) {
		dprintf(2, "sandbox: the user %u:%u: %s\n", id->uid, id->gid, strerror(errno));
		_exit(126);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || install_filter(one_id) < 0) {
		dprintf(2, "sandbox: the trace filter: %s\n", strerror(errno));
		_exit(126);
	}
	char buf[4096];
	const char *prog = find_program(argv[0], env, nenv, buf, sizeof buf);
	execve(prog, (char *const *)argv, (char *const *)env);
	dprintf(2, "sandbox: %s: %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* ---- the tracer: the paths named ------------------------------------------------------------ */

/* The paths reported, each once per kind. */
struct seen {
	char **v;
	uint8_t *kinds;
	size_t n, cap; /* open addressing; cap a power of two */
};

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* 1 when path is new for kind (1 path, 2 written) */
static int seen_add(struct seen *s, const char *path, uint8_t kind)
{
	if (2 * (s->n + 1) > s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 1024;
		char **v = shp_xcalloc(cap, sizeof *v);
		uint8_t *k = shp_xcalloc(cap, 1);
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i]) {
				size_t j = hash_str(s->v[i]) & (cap - 1);
				while (v[j])
					j = (j + 1) & (cap - 1);
				v[j] = s->v[i];
				k[j] = s->kinds[i];
			}
		free(s->v);
		free(s->kinds);
		s->v = v;
		s->kinds = k;
		s->cap = cap;
	}
	size_t j = hash_str(path) & (s->cap - 1);
	while (s->v[j] && strcmp(s->v[j], path))
		j = (j + 1) & (s->cap - 1);
	if (!s->v[j]) {
		s->v[j] = shp_xstrdup(path);
		s->n++;
	}
	if (s->kinds[j] & kind)
		return 0;
	s->kinds[j] |= kind;
	return 1;
}

/* Reads a NUL-terminated string of the tracee at addr into buf; 0 or -1. */
static int read_str(pid_t pid, uint64_t addr, char *buf, size_t size)
{
	size_t got = 0;
	while (got < size - 1) {
		size_t page = 4096 - ((addr + got) & 4095), want = size - 1 - got < page ? size - 1 - got : page;
		struct iovec l = {buf + got, want}, r = {(void *)(uintptr_t)(addr + got), want};
		ssize_t k = process_vm_readv(pid, &l, 1, &r, 1, 0);
		if (k <= 0)
			return -1;
		if (memchr(buf + got, 0, (size_t)k))
			return 0;
		got += (size_t)k;
	}
	buf[size - 1] = 0;
	return 0;
}

static int read_mem(pid_t pid, uint64_t addr, void *buf, size_t n)
{
	struct iovec l = {buf, n}, r = {(void *)(uintptr_t)addr, n};
	return process_vm_readv(pid, &l, 1, &r, 1, 0) == (ssize_t)n ? 0 : -1;
}

/* The system call a tracee stopped at: its number and six arguments. */
static int syscall_args(pid_t pid, long *nr, uint64_t a[6])
{
#if defined(__x86_64__)
	struct user_regs_struct r;
	struct iovec io = {&r, sizeof r};
	if (ptrace(PTRACE_GETREGSET, pid, (void *)NT_PRSTATUS, &io) < 0)
		return -1;
	*nr = (long)r.orig_rax;
	uint64_t v[6] = {r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9};
	memcpy(a, v, sizeof v);
	return 0;
#elif defined(__aarch64__)
	struct user_pt_regs r;
	struct iovec io = {&r, sizeof r};
	if (ptrace(PTRACE_GETREGSET, pid, (void *)NT_PRSTATUS, &io) < 0)
		return -1;
	*nr = (long)r.regs[8];
	memcpy(a, r.regs, 6 * sizeof *a);
	return 0;
#else
	(void)pid, (void)nr, (void)a;
	return -1;
#endif
}

/* The absolute path name of tracee pid names relative to its directory descriptor dirfd (or
 * its working directory); 0, or -1 when it cannot be known. */
static int absolute(pid_t pid, long dirfd, const char *name, char *out, size_t size)
{
	if (name[0] == '/') {
		snprintf(out, size, "%s", name);
	} else {
		char link[64], base[4096];
		if ((int)dirfd == AT_FDCWD)
			snprintf(link, sizeof link, "/proc/%d/cwd", (int)pid);
		else
			snprintf(link, sizeof link, "/proc/%d/fd/%d", (int)pid, (int)dirfd);
		ssize_t n = readlink(link, base, sizeof base - 1);
		if (n <= 0 || base[0] != '/')
			return -1;
		base[n] = 0;
		if (snprintf(out, size, "%s/%s", base, name) >= (int)size)
			return -1;
	}
	/* "/a/./b//../c" is "/a/c": a lexical reading (the kept set follows symlinks afterwards,
	 * in the image's tree) */
	int climbed;
	shp_path_normalize(out + 1, &climbed);
	return 0;
}

struct tracer {
	int out; /* the records */
	struct seen seen;
	uint64_t bytes; /* of the paths seen */
	size_t max_paths;
	int root_said;
	int full; /* a path past max_paths or SHP_SANDBOX_MAX_PATH_BYTES: the run is stopped */
};

static void report_path(struct tracer *t, const char *path, int write)
{
	if (!strncmp(path, "/proc/", 6) || !strcmp(path, "/proc") || !strncmp(path, "/dev/", 5))
		return;
	/* a command naming paths without end would take this memory, and the caller's */
	if (t->seen.n >= t->max_paths || t->bytes > SHP_SANDBOX_MAX_PATH_BYTES) {
		t->full = 1;
		return;
	}
	size_t before = t->seen.n;
	int fresh = seen_add(&t->seen, path, 1);
	if (t->seen.n > before)
		t->bytes += strlen(path) + 1;
	if (fresh)
		send_rec(t->out, REC_PATH, path, strlen(path));
	if (write && seen_add(&t->seen, path, 2))
		send_rec(t->out, REC_WROTE, path, strlen(path));
}

static void say_root(struct tracer *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say_root(struct tracer *t, const char *fmt, ...)
{
	if (t->root_said)
		return;
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (n > 0) {
		send_rec(t->out, REC_ROOT, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
		t->root_said = 1;
	}
}

static void one_path(struct tracer *t, pid_t pid, long dirfd, uint64_t addr, int write)
{
	char name[4096], path[8192];
	if (read_str(pid, addr, name, sizeof name) == 0 && *name && absolute(pid, dirfd, name, path, sizeof path) == 0)
		report_path(t, path, write);
}

/* A tracee stopped at the filter: the path its call names. */
static void on_syscall(struct tracer *t, pid_t pid)
{
	long nr;
	uint64_t a[6];
	if (syscall_args(pid, &nr, a) < 0)
		return;
	for (size_t i = 0; i < sizeof pathcalls / sizeof *pathcalls; i++) {
		const struct pathcall *c = &pathcalls[i];
		if (c->nr != nr)
			continue;
		int write = c->write == 1;
		if (c->write == 2) {
			uint64_t flags = a[c->path + 1];
#ifdef SYS_openat2
			if (nr == SYS_openat2 && read_mem(pid, a[2], &flags, sizeof flags) < 0)
				flags = 0;
#endif
			write = (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) != 0;
		}
		if (c->path >= 0)
			one_path(t, pid, c->dirfd >= 0 ? (long)a[c->dirfd] : AT_FDCWD, a[c->path], write);
		if (c->path2 >= 0)
			one_path(t, pid, c->dirfd2 >= 0 ? (long)a[c->dirfd2] : AT_FDCWD, a[c->path2], write);
		return;
	}
	for (size_t i = 0; i < sizeof fdcalls / sizeof *fdcalls; i++)
		if (fdcalls[i] == nr) {
			char link[64], path[4096];
			snprintf(link, sizeof link, "/proc/%d/fd/%d", (int)pid, (int)a[0]);
			ssize_t n = readlink(link, path, sizeof path - 1);
			if (n > 0 && path[0] == '/') {
				path[n] = 0;
				report_path(t, path, 0);
			}
			return;
		}
	if (nr == SYS_bind) {
		struct sockaddr_in6 sa; /* sin_port and sin6_port are at the same place */
		if (a[2] >= sizeof(struct sockaddr_in) && read_mem(pid, a[1], &sa, sizeof(struct sockaddr_in)) == 0 &&
		    (sa.sin6_family == AF_INET || sa.sin6_family == AF_INET6)) {
			unsigned port = ntohs(sa.sin6_port);
			if (port && port < 1024)
				say_root(t, "binds port %u", port);
		}
		return;
	}
	switch (nr) {
	case SYS_setuid:
	case SYS_setreuid:
	case SYS_setresuid:
	case SYS_setfsuid: say_root(t, "changes its user (setuid)"); break;
	case SYS_setgid:
	case SYS_setregid:
	case SYS_setresgid:
	case SYS_setfsgid:
	case SYS_setgroups: say_root(t, "changes its group (setgid)"); break;
	default: break;
	}
}

/* ---- the prober ------------------------------------------------------------------------------- */

/* The TCP ports listened on in the sandbox's network namespace (/proc/net/tcp and tcp6). */
static size_t listening(unsigned *ports, size_t max)
{
	size_t n = 0;
	static const char *const files[] = {"/proc/net/tcp", "/proc/net/tcp6"};
	for (int f = 0; f < 2; f++) {
		FILE *in = fopen(files[f], "re");
		if (!in)
			continue;
		char line[512];
		while (fgets(line, sizeof line, in)) {
			unsigned port, state;
			char *colon = strchr(line, ':');
			colon = colon ? strchr(colon + 1, ':') : NULL;
			if (!colon || sscanf(colon + 1, "%x %*s %x", &port, &state) != 2 || state != 0x0A)
				continue;
			int dup = 0;
			for (size_t i = 0; i < n; i++)
				dup |= ports[i] == port;
			if (!dup && n < max)
				ports[n++] = port;
		}
		fclose(in);
	}
	return n;
}

static int has_port(const unsigned *ports, size_t n, unsigned port)
{
	for (size_t i = 0; i < n; i++)
		if (ports[i] == port)
			return 1;
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* GET http://localhost:port/path: the status (0 for none) and the body's bytes. */
static int http_get(unsigned port, const char *path, uint64_t *body)
{
	*body = 0;
	int status = 0;
	for (int v6 = 0; v6 < 2 && !status; v6++) {
		int s = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (s < 0)
			continue;
		struct timeval tv = {10, 0};
		setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		struct sockaddr_in a4 = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
		struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port)};
		a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a6.sin6_addr = in6addr_loopback;
		int c = v6 ? connect(s, (struct sockaddr *)&a6, sizeof a6)
			   : connect(s, (struct sockaddr *)&a4, sizeof a4);
		char req[4200];
		int n = snprintf(req, sizeof req,
				 "GET %s HTTP/1.1\r\nHost: localhost:%u\r\nUser-Agent: shipshape-probe\r\nAccept: "
				 "*/*\r\nConnection: close\r\n\r\n",
				 path, port);
		if (c < 0 || n < 0 || (size_t)n >= sizeof req || shp_write_all(s, req, (size_t)n) < 0) {
			close(s);
			continue;
		}
		char head[8192];
		size_t hl = 0, total = 0, hend = 0;
		ssize_t k;
		char buf[16384];
		while ((k = read(s, buf, sizeof buf)) > 0) {
			if (!hend) {
				size_t take = (size_t)k < sizeof head - 1 - hl ? (size_t)k : sizeof head - 1 - hl;
				memcpy(head + hl, buf, take);
				hl += take;
				head[hl] = 0;
				char *e = strstr(head, "\r\n\r\n");
				if (e)
					hend = (size_t)(e - head) + 4;
			}
			total += (size_t)k;
		}
		close(s);
		unsigned code;
		if (hl >= 12 && !strncmp(head, "HTTP/", 5) &&
		    sscanf(strchr(head, ' ') ? strchr(head, ' ') : head, " %3u", &code) == 1) {
			status = (int)code;
			*body = hend && total >= hend ? total - hend : 0;
		}
	}
	return status;
}

/* The prober: waits for the asked ports (or, with none asked, for the first ones the command
 * opens, until they stay the same for a second), then sends each its GET. */
static void prober(const struct shp_sandbox_opts *o, long deadline, int out)
{
	unsigned ports[64];
	size_t n = 0, last = 0;
	long stable_since = now_ms();
	size_t nhttp = 0;
	for (size_t i = 0; i < o->nprobes; i++)
		nhttp += !o->probes[i].cmd;
	for (;;) {
		n = listening(ports, 64);
		int all = nhttp > 0;
		for (size_t i = 0; i < o->nprobes; i++)
			if (!o->probes[i].cmd && !has_port(ports, n, o->probes[i].port))
				all = 0;
		if (n != last) {
			last = n;
			stable_since = now_ms();
		}
		if (all && (!o->probe_listening || now_ms() - stable_since >= 500))
			break;
		if (!nhttp && o->probe_listening && n && now_ms() - stable_since >= 1000)
			break;
		if (!nhttp && !o->probe_listening)
			return;
		if (now_ms() >= deadline)
			break;
		usleep(50000);
	}
	for (size_t i = 0; i < o->nprobes; i++) {
		const struct shp_probe *p = &o->probes[i];
		if (p->cmd)
			continue;
		struct probe_rec r = {.index = (uint32_t)i, .port = p->port};
		if (has_port(ports, n, p->port)) {
			r.ran = 1;
			r.status = http_get(p->port, p->path ? p->path : "/", &r.bytes);
		}
		send_rec(out, REC_PROBE, &r, sizeof r);
	}
	for (size_t k = 0; o->probe_listening && k < n; k++) {
		int asked = 0;
		for (size_t i = 0; i < o->nprobes; i++)
			asked |= !o->probes[i].cmd && o->probes[i].port == ports[k];
		if (asked)
			continue;
		struct probe_rec r = {.index = UINT32_MAX, .port = ports[k], .ran = 1};
		r.status = http_get(ports[k], "/", &r.bytes);
		send_rec(out, REC_PROBE, &r, sizeof r);
	}
}

/* ---- init ------------------------------------------------------------------------------------- */

static volatile sig_atomic_t ticked;
static void on_tick(int sig)
{
	(void)sig;
	ticked = 1;
}

/* A process of the command: the tracee started, or one of its children. */
struct procs {
	pid_t *v;
	size_t n, cap;
};

static int procs_has(const struct procs *p, pid_t pid)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i] == pid)
			return 1;
	return 0;
}

static void procs_del(struct procs *p, pid_t pid)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i] == pid) {
			p->v[i] = p->v[--p->n];
			return;
		}
}

/* Starts a traced child that execs argv (the command, or a probe's); its PID, or -1. */
static pid_t start(const char *const *argv, const struct shp_sandbox_opts *o, const struct shp_sandbox_ident *id,
		   int one_id, int log_fd)
{
	pid_t pid = fork();
	if (pid == 0)
		become(argv, o->env, o->nenv, o->workdir, id, one_id, log_fd);
	return pid;
}

/* Reads what is in fd (non-blocking) and adds its bytes to *n: *n. */
static uint64_t drain(int fd, uint64_t *n)
{
	char buf[16384];
	ssize_t k;
	while (fd >= 0 && ((k = read(fd, buf, sizeof buf)) > 0 || (k < 0 && errno == EINTR)))
		*n += k > 0 ? (uint64_t)k : 0;
	return *n;
}

/* The argv of a command probe: sh -c CMD when the root has a shell, else CMD's words. */
static const char **probe_argv(const char *cmd, char *copy, const char **v, size_t max)
{
	if (access("/bin/sh", X_OK) == 0) {
		v[0] = "/bin/sh";
		v[1] = "-c";
		v[2] = cmd;
		v[3] = NULL;
		return v;
	}
	size_t n = 0;
	for (char *save = NULL, *w = strtok_r(copy, " \t", &save); w && n < max - 1; w = strtok_r(NULL, " \t", &save))
		v[n++] = w;
	v[n] = NULL;
	return n ? v : NULL;
}

static void sandbox_init(const struct shp_sandbox_opts *o, int sync_fd, int out, int log_fd, int one_id)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	char c;
	if (read(sync_fd, &c, 1) != 1)
		_exit(1);
	close(sync_fd);
	prctl(PR_SET_DUMPABLE, 0); /* only now: the caller has written the maps */
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) {
		send_error(out, "the sandbox's root user could not be taken: %s", strerror(errno));
		_exit(1);
	}
	if (!one_id)
		setgroups(0, NULL);
	if (make_root(o, out) < 0)
		_exit(1);
	struct shp_sandbox_ident id;
	char why[256];
	if (resolve_user(o->user, &id, why, sizeof why) < 0) {
		send_error(out, "%s", why);
		_exit(1);
	}
	long deadline = now_ms() + (long)(o->time_ms ? o->time_ms : SHP_SANDBOX_DEFAULT_MS);
	unsigned max_procs = o->max_procs ? o->max_procs : SHP_SANDBOX_MAX_PROCS;

	pid_t probe_pid = -1;
	int nhttp = 0, ncmd = 0;
	for (size_t i = 0; i < o->nprobes; i++) {
		if (o->probes[i].cmd)
			ncmd++;
		else
			nhttp++;
	}
	if (nhttp || o->probe_listening) {
		probe_pid = fork();
		if (probe_pid == 0) {
			/* command probes run after it: they keep a quarter of the time, up to 5 s */
			long left = deadline - now_ms(), keep = ncmd ? (left / 4 < 5000 ? left / 4 : 5000) : 0;
			prober(o, deadline - keep, out);
			_exit(0);
		}
	}
	struct sigaction sa = {.sa_handler = on_tick};
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {{0, 100000}, {0, 100000}};
	setitimer(ITIMER_REAL, &it, NULL);

	const char *mp = getenv("SHIPSHAPE_SANDBOX_MAX_PATHS");
	struct tracer t = {.out = out, .max_paths = mp && atoi(mp) > 0 ? (size_t)atoi(mp) : SHP_SANDBOX_MAX_PATHS};
	struct procs live = {0};
	struct exit_rec ex = {.procs = 1};
	pid_t cmd = start(o->argv, o, &id, one_id, log_fd), probe_cmd = -1;
	int cmd_set = 0, probe_set = 0; /* their tracing options are set */
	size_t next_cmd = 0;		/* the next command probe */
	int probing = probe_pid > 0, said_started = 0, stop = cmd < 0;
	int probe_out = -1;	  /* the running command probe's output */
	uint64_t probe_bytes = 0; /* and its bytes so far */
	if (cmd > 0)
		SHP_PUSH(live.v, live.n, live.cap, cmd);
	const unsigned long options = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
				      PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP |
				      PTRACE_O_EXITKILL;
	while (!stop) {
		int st;
		pid_t pid = waitpid(-1, &st, __WALL);
		if (pid < 0 && errno != EINTR)
			break;
		if (now_ms() >= deadline) {
			ex.timed_out = 1;
			break;
		}
		if (pid > 0 && pid == probe_pid) {
			probing = 0;
			probe_pid = -1;
		} else if (pid > 0 && (WIFEXITED(st) || WIFSIGNALED(st))) {
			procs_del(&live, pid);
			int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			if (pid == cmd) {
				ex.exited = 1;
				ex.exit_code = code;
			} else if (pid == probe_cmd) {
				struct probe_rec r = {.index = (uint32_t)(next_cmd - 1), .ran = 1, .status = code};
				r.bytes = drain(probe_out, &probe_bytes);
				close(probe_out);
				probe_out = -1;
				send_rec(out, REC_PROBE, &r, sizeof r);
				probe_cmd = -1;
			}
		} else if (pid > 0 && WIFSTOPPED(st)) {
			int sig = WSTOPSIG(st), ev = st >> 16, inject = 0;
			if (!procs_has(&live, pid))
				SHP_PUSH(live.v, live.n, live.cap, pid);
			if (sig == SIGSTOP && ev == 0 &&
			    ((pid == cmd && !cmd_set++) || (pid == probe_cmd && !probe_set++))) {
				/* stopped by itself for this: trace its calls, children and execs */
				ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)options);
			} else if (sig == SIGTRAP && ev == PTRACE_EVENT_SECCOMP) {
				on_syscall(&t, pid);
				if (t.full) {
					ex.path_limit = 1;
					break;
				}
			} else if (sig == SIGTRAP &&
				   (ev == PTRACE_EVENT_FORK || ev == PTRACE_EVENT_VFORK || ev == PTRACE_EVENT_CLONE)) {
				unsigned long child = 0;
				ptrace(PTRACE_GETEVENTMSG, pid, NULL, &child);
				if (child && !procs_has(&live, (pid_t)child))
					SHP_PUSH(live.v, live.n, live.cap, (pid_t)child);
				/* a thread (clone without a signal to its parent) counts as a task only */
				ex.procs += ev != PTRACE_EVENT_CLONE;
				if (ex.procs > max_procs || live.n > 16 * max_procs) {
					ex.proc_limit = 1;
					break;
				}
			} else if (sig == SIGTRAP && ev == PTRACE_EVENT_EXEC) {
				if (pid == cmd && !said_started++)
					send_rec(out, REC_STARTED, "", 0);
			} else if (ev == 0 && sig != SIGSTOP) {
				/* a signal for it (none when this is a group-stop) */
				siginfo_t si;
				inject = ptrace(PTRACE_GETSIGINFO, pid, NULL, &si) == 0 ? sig : 0;
			} /* else a new child's first stop, or another event: nothing to deliver */
			ptrace(PTRACE_CONT, pid, NULL, (void *)(long)inject);
		}
		drain(probe_out, &probe_bytes);
		/* the command and all it started are gone: nothing will listen */
		if (probing && ex.exited && !live.n)
			kill(probe_pid, SIGKILL);
		if (probing || probe_cmd > 0)
			continue;
		/* the command probes, one after the other, once the HTTP ones are done */
		while (next_cmd < o->nprobes && !o->probes[next_cmd].cmd)
			next_cmd++;
		if (next_cmd < o->nprobes) {
			const char *v[64];
			char *copy = shp_xstrdup(o->probes[next_cmd].cmd);
			const char **argv = probe_argv(o->probes[next_cmd].cmd, copy, v, 64);
			next_cmd++;
			probe_set = 0;
			probe_bytes = 0;
			/* its output is counted, not kept */
			int pp[2] = {-1, -1};
			probe_cmd = argv && pipe2(pp, O_CLOEXEC) == 0 ? start(argv, o, &id, one_id, pp[1]) : -1;
			if (pp[1] >= 0)
				close(pp[1]);
			if (probe_cmd > 0) {
				fcntl(pp[0], F_SETFL, O_NONBLOCK);
				probe_out = pp[0];
			} else if (pp[0] >= 0)
				close(pp[0]);
			free(copy);
			if (probe_cmd > 0)
				SHP_PUSH(live.v, live.n, live.cap, probe_cmd);
			else {
				struct probe_rec r = {.index = (uint32_t)(next_cmd - 1)};
				send_rec(out, REC_PROBE, &r, sizeof r);
			}
			continue;
		}
		/* with probes, the run is over when they are; without, when its processes are */
		stop = nhttp || ncmd || o->probe_listening || !live.n;
	}
	/* the end: every process of the namespace but this one */
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, __WALL) > 0 || errno == EINTR)
		;
	send_rec(out, REC_EXIT, &ex, sizeof ex);
	_exit(0);
}

/* ---- the caller ------------------------------------------------------------------------------- */

static int write_maps(pid_t pid, int *one_id)
{
	char path[64], map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();
	/* root: 65536 IDs of their own (not the host's), as a runtime's user namespace has them */
	if (uid == 0) {
		snprintf(path, sizeof path, "/proc/%d/uid_map", (int)pid);
		if (write_file(path, "0 1000000000 65536\n") == 0) {
			snprintf(path, sizeof path, "/proc/%d/gid_map", (int)pid);
			if (write_file(path, "0 1000000000 65536\n") == 0) {
				*one_id = 0;
				return 0;
			}
		}
	}
	*one_id = 1;
	snprintf(path, sizeof path, "/proc/%d/setgroups", (int)pid);
	write_file(path, "deny\n");
	snprintf(path, sizeof path, "/proc/%d/uid_map", (int)pid);
	snprintf(map, sizeof map, "0 %u 1\n", (unsigned)uid);
	if (write_file(path, map) < 0)
		return -1;
	snprintf(path, sizeof path, "/proc/%d/gid_map", (int)pid);
	snprintf(map, sizeof map, "0 %u 1\n", (unsigned)gid);
	return write_file(path, map);
}

static void keep_output(struct shp_sandbox_result *r, const char *p, size_t n)
{
	if (n >= SHP_SANDBOX_OUTPUT) {
		p += n - SHP_SANDBOX_OUTPUT;
		n = SHP_SANDBOX_OUTPUT;
	}
	if (r->output_len + n > SHP_SANDBOX_OUTPUT) {
		size_t drop = r->output_len + n - SHP_SANDBOX_OUTPUT;
		memmove(r->output, r->output + drop, r->output_len - drop);
		r->output_len -= drop;
	}
	memcpy(r->output + r->output_len, p, n);
	r->output_len += n;
	r->output[r->output_len] = 0;
}

/* One record of init's stream, taken into r. */
static void take(struct shp_sandbox_result *r, const struct shp_sandbox_opts *o, char type, const char *p, size_t n,
		 char **error)
{
	switch (type) {
	case REC_PATH: SHP_PUSH(r->paths, r->npaths, r->cpaths, shp_xstrndup(p, n)); break;
	case REC_WROTE: SHP_PUSH(r->wrote, r->nwrote, r->cwrote, shp_xstrndup(p, n)); break;
	case REC_ROOT:
		if (!r->root_why)
			r->root_why = shp_xstrndup(p, n);
		break;
	case REC_STARTED: r->started = 1; break;
	case REC_ERROR:
		if (!*error)
			*error = shp_xstrndup(p, n);
		break;
	case REC_PROBE: {
		struct probe_rec pr;
		if (n != sizeof pr)
			break;
		memcpy(&pr, p, sizeof pr);
		struct shp_probe *x;
		if (pr.index < o->nprobes)
			x = &r->probes[pr.index];
		else {
			struct shp_probe f = {.port = pr.port, .path = shp_xstrdup("/"), .found = 1};
			SHP_PUSH(r->probes, r->nprobes, r->cprobes, f);
			x = &r->probes[r->nprobes - 1];
		}
		x->ran = pr.ran;
		x->status = pr.status;
		x->bytes = pr.bytes;
		break;
	}
	case REC_EXIT: {
		struct exit_rec e;
		if (n != sizeof e)
			break;
		memcpy(&e, p, sizeof e);
		r->exited = e.exited;
		r->exit_code = e.exit_code;
		r->timed_out = e.timed_out;
		r->proc_limit = e.proc_limit;
		r->path_limit = e.path_limit;
		r->procs = e.procs;
		break;
	}
	default: break;
	}
}

int shp_sandbox_run(const struct shp_sandbox_opts *o, struct shp_sandbox_result *r, struct shp_error **err)
{
	*r = (struct shp_sandbox_result){0};
	for (size_t i = 0; i < o->nprobes; i++) {
		struct shp_probe p = {.cmd = o->probes[i].cmd ? shp_xstrdup(o->probes[i].cmd) : NULL,
				      .port = o->probes[i].port,
				      .path = o->probes[i].path ? shp_xstrdup(o->probes[i].path) : NULL};
		SHP_PUSH(r->probes, r->nprobes, r->cprobes, p);
	}
	if (!o->argc)
		return shp_error_set(err, SHP_EXIT_INPUT, "the sandbox has no command to run");
	/* the root is held in memory (tmpfs): at most half of what is free */
	long pages = sysconf(_SC_AVPHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	uint64_t room = pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page / 2 : UINT64_MAX;
	if (o->root_bytes + SHP_SANDBOX_SPARE_BYTES > room)
		return shp_error_set(err, SHP_EXIT_INPUT,
				     "the image's %llu MB of files would take more than half of the memory free "
				     "(%llu MB), where the sandbox holds them",
				     (unsigned long long)(o->root_bytes >> 20), (unsigned long long)(room >> 19));
	const char *data_env = getenv("SHIPSHAPE_SANDBOX_DATA_BYTES");
	long long v = data_env ? strtoll(data_env, NULL, 10) : 0;
	data_limit = v > 0 ? (uint64_t)v : room != UINT64_MAX ? room : 0;
	int sync[2] = {-1, -1}, rec[2] = {-1, -1}, log[2] = {-1, -1};
	int rc = -1;
	pid_t pid = -1;
	if (pipe2(sync, O_CLOEXEC) < 0 || pipe2(rec, O_CLOEXEC) < 0 || pipe2(log, O_CLOEXEC) < 0) {
		shp_error_errno(err, errno, "the sandbox's pipes");
		goto out;
	}
	fflush(NULL);
	/* a process that is not dumpable has its /proc files owned by root, and a caller that is
	 * not root could not write the new process's maps: it is made dumpable for the clone */
	int dumpable = prctl(PR_GET_DUMPABLE);
	if (dumpable != 1)
		prctl(PR_SET_DUMPABLE, 1);
	pid = (pid_t)syscall(SYS_clone,
			     CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC |
				     SIGCHLD,
			     NULL, NULL, NULL, NULL);
	if (pid < 0) {
		int e = errno;
		if (e == EPERM || e == EINVAL || e == ENOSPC || e == EUSERS)
			shp_error_set(
				err, SHP_EXIT_INPUT,
				"the traced run needs user namespaces, which this machine does not allow here "
				"(clone: %s; see the sysctls user.max_user_namespaces, "
				"kernel.unprivileged_userns_clone and kernel.apparmor_restrict_unprivileged_userns)",
				strerror(e));
		else
			shp_error_errno(err, e, "the sandbox could not be made (clone)");
		goto out;
	}
	if (pid == 0) {
		close(sync[1]);
		close(rec[0]);
		close(log[0]);
		/* the caller says whether one ID was mapped once the maps are written; then init
		 * waits for one more byte, the go */
		char c;
		if (read(sync[0], &c, 1) != 1)
			_exit(1);
		int one_id = c == '1';
		sandbox_init(o, sync[0], rec[1], log[1], one_id);
	}
	if (dumpable == 0)
		prctl(PR_SET_DUMPABLE, 0);
	close(sync[0]);
	sync[0] = -1;
	close(rec[1]);
	rec[1] = -1;
	close(log[1]);
	log[1] = -1;
	if (write_maps(pid, &r->one_id) < 0) {
		shp_error_errno(err, errno, "the sandbox's user namespace could not be mapped");
		goto out;
	}
	if (shp_write_all(sync[1], r->one_id ? "1" : "0", 1) < 0 || shp_write_all(sync[1], "g", 1) < 0) {
		shp_error_errno(err, errno, "the sandbox could not be started");
		goto out;
	}
	close(sync[1]);
	sync[1] = -1;
	/* the records and the output, until init ends; it is killed when it overstays (the
	 * unpacking's time, then the run's) */
	long limit = now_ms() + (long)(o->time_ms ? o->time_ms : SHP_SANDBOX_DEFAULT_MS) + 120000L;
	struct shp_buf in = {0};
	char *error = NULL;
	int rec_open = 1, log_open = 1;
	while (rec_open) {
		struct pollfd pf[2] = {{.fd = rec[0], .events = POLLIN},
				       {.fd = log_open ? log[0] : -1, .events = POLLIN}};
		long left = limit - now_ms();
		if (left <= 0) {
			kill(pid, SIGKILL);
			r->timed_out = 1;
			break;
		}
		int k = poll(pf, 2, (int)(left < 1000 ? left : 1000));
		if (k < 0 && errno != EINTR)
			break;
		char buf[65536];
		if (pf[1].revents) {
			ssize_t n = read(log[0], buf, sizeof buf);
			if (n > 0)
				keep_output(r, buf, (size_t)n);
			else
				log_open = 0;
		}
		if (pf[0].revents) {
			ssize_t n = read(rec[0], buf, sizeof buf);
			if (n <= 0) {
				rec_open = 0;
				break;
			}
			shp_buf_add(&in, buf, (size_t)n);
			size_t at = 0;
			while (in.len - at >= sizeof(struct rec_hdr)) {
				struct rec_hdr h;
				memcpy(&h, in.data + at, sizeof h);
				if (in.len - at - sizeof h < h.len)
					break;
				take(r, o, h.type, in.data + at + sizeof h, h.len, &error);
				at += sizeof h + h.len;
			}
			memmove(in.data, in.data + at, in.len - at);
			in.len -= at;
		}
	}
	shp_buf_free(&in);
	kill(pid, SIGKILL); /* gone already, unless it overstayed */
	waitpid(pid, NULL, 0);
	pid = -1;
	/* the output its processes wrote last */
	char buf[4096];
	ssize_t n;
	fcntl(log[0], F_SETFL, O_NONBLOCK);
	while (log_open && (n = read(log[0], buf, sizeof buf)) > 0)
		keep_output(r, buf, (size_t)n);
	if (error) {
		shp_error_set(err, SHP_EXIT_INPUT, "the sandbox could not be made: %s", error);
		free(error);
		goto out;
	}
	rc = 0;
out:
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	for (int i = 0; i < 2; i++) {
		if (sync[i] >= 0)
			close(sync[i]);
		if (rec[i] >= 0)
			close(rec[i]);
		if (log[i] >= 0)
			close(log[i]);
	}
	return rc;
}

void shp_sandbox_result_free(struct shp_sandbox_result *r)
{
	for (size_t i = 0; i < r->npaths; i++)
		free(r->paths[i]);
	for (size_t i = 0; i < r->nwrote; i++)
		free(r->wrote[i]);
	for (size_t i = 0; i < r->nprobes; i++) {
		free(r->probes[i].cmd);
		free(r->probes[i].path);
	}
	free(r->paths);
	free(r->wrote);
	free(r->probes);
	free(r->root_why);
	*r = (struct shp_sandbox_result){0};
}
