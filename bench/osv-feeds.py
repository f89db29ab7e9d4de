#!/usr/bin/env python3
"""osv-feeds.py - generated OSV feeds in osv.dev's layout, for the vulnerability benchmarks.

    osv-feeds.py OUT [--records N] [--sbom FILE] [--packages N]

writes a mirror tree OUT/osv-vulnerabilities.storage.googleapis.com/ECOSYSTEM/all.zip, one zip
of OSV JSON records (one file per record, named ID.json, deflated) per ecosystem, as osv.dev
publishes them, so that `db update --mirror URL` serving OUT reads it as it reads osv.dev, and
`db import` reads the zips. N records in all (default 1,000,000), shared between the ecosystems
as in osv.dev: Debian and Ubuntu (one affected entry per release, an urgency, the CVE as an
alias), Alpine (per branch), npm and Go (SEMVER ranges), PyPI (ranges and the list of affected
versions), Maven and RubyGems (ECOSYSTEM ranges), GitHub-style severities and CVSS vectors. The
records of a source package follow a skewed law: a few packages have thousands (as the kernel
and the browsers do), most a handful.

--sbom FILE writes a CycloneDX SBOM of a Debian 12 image with --packages components (default
2,000): mostly deb packages of the Debian pool with their source package, and a share of npm,
PyPI and Maven packages, installed at versions that some records of each package fix later.

The output is the same for the same arguments (no clock, no randomness of the system). The
records are written as text from templates and each zip entry is deflated with a 4 KiB window
(any inflater reads it; a 32 KiB one costs a large allocation per entry), ecosystems in
parallel. Records average about 1.6 KB of JSON (osv.dev's are larger: many list every affected
version). 1,000,000 records are 1.6 GB of JSON, 820 MB of zips, and take about 50 s of CPU,
shared by the cores: the benchmark writes them once and keeps them.
"""
import argparse
import json
import multiprocessing
import os
import random
import struct
import sys
import zlib

HOST = "osv-vulnerabilities.storage.googleapis.com"
# The share of the records each ecosystem gets, as osv.dev's dumps are sized (roughly).
ECOSYSTEMS = [
    ("Debian", 0.25),
    ("Ubuntu", 0.25),
    ("Alpine", 0.08),
    ("npm", 0.12),
    ("PyPI", 0.10),
    ("Maven", 0.10),
    ("Go", 0.05),
    ("RubyGems", 0.05),
]
DEBIAN_RELEASES = ["11", "12", "13"]
UBUNTU_RELEASES = ["20.04:LTS", "22.04:LTS", "24.04:LTS"]
ALPINE_BRANCHES = ["v3.18", "v3.19", "v3.20"]
POOL = {"Debian": 12000, "Ubuntu": 12000, "Alpine": 4000, "npm": 20000, "PyPI": 12000, "Maven": 10000,
        "Go": 6000, "RubyGems": 4000}
GHSA_CHARS = "23456789cfghjmpqrvwx" * 2  # indexed by 5 bits
URGENCY = ["unimportant", "low", "low", "medium", "medium", "high", "not yet assigned"]
GH_SEVERITY = ["LOW", "MODERATE", "MODERATE", "HIGH", "HIGH", "CRITICAL"]
WORDS = ("buffer overflow in the parser allows remote attackers to cause a denial of service or possibly "
         "execute arbitrary code via a crafted file when the length field of a record is larger than the "
         "data that follows it an out of bounds read in the decoder was found that lets a local user read "
         "memory of the process through a malformed header a use after free in the session code happens "
         "when a connection is closed while a request is still pending which an attacker can trigger "
         "remotely improper validation of certificate names lets a man in the middle impersonate servers "
         "integer overflow in the allocation of the output buffer leads to a heap based overflow "
         "cross site scripting in the template helpers lets attackers inject script through attribute "
         "values prototype pollution through the merge function allows properties of Object to be set "
         "path traversal in the archive extraction writes files outside the target directory ").split()
SYLLABLES = ("lib ssl xml curl gnu z png jpeg tiff web kit gtk qt glib dbus sys temd pam krb ldap sql "
             "ite post gres my maria py thon perl ruby node java open jdk x11 mesa wayland font config "
             "free type harf buzz icu nss nspr gcc binutils util linux core proc ps net tools iproute "
             "bash zsh tar gzip bzip xz lz zstd snappy brotli apache nginx squid bind dns mask").split()


def lcg(i):
    """A cheap deterministic hash of an integer (splitmix64's finalizer)."""
    x = (i * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return x ^ (x >> 31)


def pkg_name(eco, i):
    """The i-th package of an ecosystem's pool: the same i gives the same name everywhere."""
    n = len(SYLLABLES)
    base = SYLLABLES[i % n] + SYLLABLES[(i // n) % n]
    if i >= n * n:
        base += str(i // (n * n))
    if eco in ("Debian", "Ubuntu", "Alpine"):
        return base
    if eco == "npm":
        return ("@" + SYLLABLES[i % 7] + "/" + base) if i % 5 == 0 else base + "-js"
    if eco == "PyPI":
        return "py-" + base if i % 3 else base.capitalize() + "_Tools"
    if eco == "Maven":
        return "org." + SYLLABLES[i % 11] + ":" + base + "-core"
    if eco == "Go":
        return "github.com/" + SYLLABLES[i % 13] + "/" + base
    return base + "-rb"


def base_version(i):
    """The upstream version of package i (its Debian revision is added by the callers)."""
    return "%d.%d.%d" % (1 + i % 9, i % 17, i % 5)


def skewed(h, pool):
    """A package index from hash h: the first packages get many records, most few."""
    u = (h & 0xFFFFFFFF) / 4294967296.0
    return int(pool * u ** 2.5)


def dates(h):
    year = 2015 + h % 11
    pub = "%d-%02d-%02dT%02d:%02d:00Z" % (year, 1 + h % 12, 1 + (h >> 4) % 28, (h >> 9) % 24, (h >> 14) % 60)
    # modified: within the last year before the (fixed) date of the generated mirror
    mod = "2026-%02d-%02dT%02d:%02d:%02d.%06dZ" % (1 + (h >> 20) % 11, 1 + (h >> 24) % 28, (h >> 29) % 24,
                                                  (h >> 34) % 60, (h >> 40) % 60, (h >> 44) % 1000000)
    return year, pub, mod


PROSE = " ".join(WORDS * 8)


def text(h, lo, hi):
    """Some words of prose, between lo and hi characters (about: cut at a space)."""
    start = PROSE.find(" ", (h >> 8) % (len(PROSE) // 2)) + 1
    end = PROSE.find(" ", start + lo + h % (hi - lo))
    return PROSE[start:end]


def cvss(h):
    av = "NALP"[h % 4]
    ac = "LH"[(h >> 2) % 2]
    pr = "NLH"[(h >> 3) % 3]
    ui = "NR"[(h >> 5) % 2]
    c = "HLN"[(h >> 6) % 3]
    i = "HLN"[(h >> 8) % 3]
    a = "HLN"[(h >> 10) % 3]
    return "CVSS:3.1/AV:%s/AC:%s/PR:%s/UI:%s/S:U/C:%s/I:%s/A:%s" % (av, ac, pr, ui, c, i, a)


def q(s):
    return json.dumps(s)


def distro_record(eco, n, local):
    """A Debian, Ubuntu or Alpine record: one CVE in one source package, per release. The
    distros' k-th records are about the same CVE (as each distro has its record of a CVE)."""
    h = lcg(n)
    year, pub, mod = dates(h)
    year = 2015 + lcg(local) % 11
    cve = "CVE-%d-%d" % (year, 1000 + local)
    pi = skewed(h >> 3, POOL[eco])
    name = pkg_name(eco, pi)
    bv = base_version(pi)
    affected = []
    if eco == "Debian":
        rid = "DEBIAN-" + cve
        for k, rel in enumerate(DEBIAN_RELEASES):
            hk = lcg(h + k)
            if hk % 10 == 0:
                events = '{"introduced":"0"}'  # not fixed yet in this release
            else:
                # some fixed before the version an image has (u18), some after
                events = '{"introduced":"0"},{"fixed":"%s-%d+deb%su%d"}' % (bv, 1 + pi % 3, rel, 1 + hk % 20)
            affected.append(
                '{"package":{"ecosystem":"Debian:%s","name":%s,"purl":"pkg:deb/debian/%s?arch=source"},'
                '"ranges":[{"type":"ECOSYSTEM","events":[%s]}],"ecosystem_specific":{"urgency":"%s"},'
                '"database_specific":{"source":"https://storage.googleapis.com/cve-osv-conversion/osv-output/%s.json"}}'
                % (rel, q(name), name, events, URGENCY[(hk >> 8) % len(URGENCY)], cve))
        refs = '[{"type":"ADVISORY","url":"https://security-tracker.debian.org/tracker/%s"}]' % cve
    elif eco == "Ubuntu":
        rid = "UBUNTU-" + cve
        for k, rel in enumerate(UBUNTU_RELEASES):
            hk = lcg(h + k)
            events = '{"introduced":"0"},{"fixed":"%s-%dubuntu%d.%d"}' % (bv, 1 + pi % 3, 1 + hk % 3, hk % 9)
            affected.append(
                '{"package":{"ecosystem":"Ubuntu:%s","name":%s,"purl":"pkg:deb/ubuntu/%s@%s?arch=source"},'
                '"ranges":[{"type":"ECOSYSTEM","events":[%s]}],"ecosystem_specific":{"binaries":'
                '[{"binary_name":"%s","binary_version":"%s-1"},{"binary_name":"%s-dev","binary_version":"%s-1"}]}}'
                % (rel, q(name), name, bv, events, name, bv, name, bv))
        refs = ('[{"type":"REPORT","url":"https://ubuntu.com/security/%s"},'
                '{"type":"ADVISORY","url":"https://www.cve.org/CVERecord?id=%s"}]' % (cve, cve))
    else:
        rid = "ALPINE-" + cve
        for k, rel in enumerate(ALPINE_BRANCHES):
            hk = lcg(h + k)
            events = '{"introduced":"0"},{"fixed":"%s-r%d"}' % (bv, hk % 6)
            affected.append('{"package":{"ecosystem":"Alpine:%s","name":%s,"purl":"pkg:apk/alpine/%s"},'
                            '"ranges":[{"type":"ECOSYSTEM","events":[%s]}]}' % (rel, q(name), name, events))
        refs = '[{"type":"ADVISORY","url":"https://security.alpinelinux.org/vuln/%s"}]' % cve
    sev = ""
    if eco == "Ubuntu":
        sev = ',"severity":[{"type":"Ubuntu","score":"%s"},{"type":"CVSS_V3","score":"%s"}]' % (
            ["low", "medium", "high", "negligible"][h % 4], cvss(h >> 16))
    elif h % 10 < 7:
        sev = ',"severity":[{"type":"CVSS_V3","score":"%s"}]' % cvss(h >> 16)
    details = text(h >> 12, 100, 500)
    return rid, ('{"id":"%s","summary":"%s: %s","details":"%s","aliases":["%s"],"modified":"%s","published":"%s"%s,'
                 '"affected":[%s],"references":%s,"schema_version":"1.6.0"}'
                 % (rid, name, text(h >> 20, 20, 70), details, cve, mod, pub, sev, ",".join(affected), refs))


def lang_record(eco, n, local):
    """A GitHub-advisory-like record of a language ecosystem (Go's own ids for Go)."""
    h = lcg(n)
    year, pub, mod = dates(h)
    pi = skewed(h >> 3, POOL[eco])
    name = pkg_name(eco, pi)
    bv = base_version(pi)
    major, minor, patch = bv.split(".")
    fixed = "%s.%d.%d" % (major, int(minor) + h % 3, (h >> 4) % 12)
    g = lcg(n + 0x5EED)
    ghsa = "GHSA-" + "-".join("".join(GHSA_CHARS[(g >> (5 * (4 * k + j))) & 31] for j in range(4)) for k in range(3))
    cve = "CVE-%d-%d" % (year, 100000 + n)
    rid = "GO-%d-%d" % (year, n) if eco == "Go" else ghsa
    aliases = [cve, ghsa] if eco == "Go" else [cve]
    rtype = "SEMVER" if eco in ("npm", "Go") else "ECOSYSTEM"
    intro = "0" if h % 3 else "%s.0.0" % major
    extra = ""
    if eco == "PyPI":  # the affected versions, listed as osv.dev does for PyPI
        vs = ['"%s.%d.%d"' % (major, m, p) for m in range(int(minor) + 1) for p in range(3)]
        extra = ',"versions":[%s]' % ",".join(vs[:20])
    purl_type = {"npm": "npm", "PyPI": "pypi", "Maven": "maven", "Go": "golang", "RubyGems": "gem"}[eco]
    affected = ('{"package":{"ecosystem":"%s","name":%s,"purl":"pkg:%s/%s"},"ranges":[{"type":"%s","events":'
                '[{"introduced":"%s"},{"fixed":"%s"}]}]%s,"database_specific":{"source":'
                '"https://github.com/github/advisory-database/blob/main/advisories/github-reviewed/%d/%s.json"}}'
                % (eco, q(name), purl_type, name.replace(":", "/"), rtype, intro, fixed, extra, year, ghsa))
    sev = GH_SEVERITY[h % len(GH_SEVERITY)]
    details = text(h >> 12, 150, 700)
    return rid, ('{"id":"%s","summary":"%s","details":"### Impact\\n%s\\n\\n### Patches\\nFixed in %s.",'
                 '"aliases":%s,"modified":"%s","published":"%s","severity":[{"type":"CVSS_V3","score":"%s"}],'
                 '"affected":[%s],"references":[{"type":"ADVISORY","url":"https://nvd.nist.gov/vuln/detail/%s"},'
                 '{"type":"PACKAGE","url":"https://example.org/%s"}],"database_specific":{"cwe_ids":["CWE-%d"],'
                 '"github_reviewed":true,"severity":"%s","nvd_published_at":"%s"},"schema_version":"1.6.0"}'
                 % (rid, text(h >> 20, 30, 90), details, fixed, json.dumps(aliases), mod, pub, cvss(h >> 16),
                    affected, cve, name, 20 + h % 900, sev, pub))


def write_zip(path, entries):
    """A zip of (name, text) entries, deflated; zip64's end records when they are many."""
    tmp = path + ".tmp"
    central = []
    off = 0
    # 2026-11-01 00:00 in DOS time
    dtime, ddate = 0, ((2026 - 1980) << 9) | (11 << 5) | 1
    with open(tmp, "wb", buffering=1 << 20) as f:
        for name, data in entries:
            raw = data.encode()
            comp = zlib.compress(raw, 6, -12)
            crc = zlib.crc32(raw)
            nb = name.encode()
            f.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, dtime, ddate, crc, len(comp), len(raw),
                                len(nb), 0))
            f.write(nb)
            f.write(comp)
            central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, dtime, ddate, crc,
                                       len(comp), len(raw), len(nb), 0, 0, 0, 0, 0o100644 << 16, off) + nb)
            off += 30 + len(nb) + len(comp)
        cd_off = off
        cd = b"".join(central)
        f.write(cd)
        n = len(central)
        if n > 0xFFFF:
            z64 = cd_off + len(cd)
            f.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, n, n, len(cd), cd_off))
            f.write(struct.pack("<IIQI", 0x07064B50, 0, z64, 1))
            f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, len(cd), cd_off, 0))
        else:
            f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(cd), cd_off, 0))
    os.replace(tmp, path)


def one_ecosystem(job):
    out, eco, first, count = job
    make = distro_record if eco in ("Debian", "Ubuntu", "Alpine") else lang_record
    d = os.path.join(out, HOST, eco)
    os.makedirs(d, exist_ok=True)

    def entries():
        for n in range(first, first + count):
            rid, rec = make(eco, n, n - first)
            yield rid + ".json", rec

    write_zip(os.path.join(d, "all.zip"), entries())
    return eco, count


def shares(total):
    counts = [int(total * w) for _, w in ECOSYSTEMS]
    counts[0] += total - sum(counts)
    return counts


def sbom(path, npkgs):
    """A CycloneDX SBOM of a Debian 12 image: 85% deb packages, then npm, PyPI and Maven."""
    rng = random.Random(23)
    ndeb = npkgs * 85 // 100
    comps = [{"type": "operating-system", "name": "debian", "version": "12"}]
    # the deb packages: a Debian image holds the much-patched ones and a long tail
    picks = sorted(rng.sample(range(POOL["Debian"] // 2), ndeb))
    for i in picks:
        name = pkg_name("Debian", i)
        ver = "%s-%d+deb12u18" % (base_version(i), 1 + i % 3)
        binary = name if i % 2 else name + "-bin"
        comps.append({"type": "library", "name": binary, "version": ver,
                      "purl": "pkg:deb/debian/%s@%s?arch=amd64&distro=debian-12" % (binary, ver),
                      "properties": [{"name": "shipshape:package:source", "value": name},
                                     {"name": "shipshape:package:source_version", "value": ver}]})
    lang = ["npm", "PyPI", "Maven"]
    for k in range(npkgs - ndeb):
        eco = lang[k % 3]
        i = rng.randrange(POOL[eco] // 4)
        name = pkg_name(eco, i)
        ver = base_version(i)
        if eco == "npm":
            purl = "pkg:npm/%s@%s" % (name.replace("@", "%40"), ver)
        elif eco == "PyPI":
            purl = "pkg:pypi/%s@%s" % (name, ver)
        else:
            g, a = name.split(":")
            purl = "pkg:maven/%s/%s@%s" % (g, a, ver)
        comps.append({"type": "library", "name": name, "version": ver, "purl": purl})
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
           "metadata": {"component": {"type": "container", "name": "bench/debian:12"}}, "components": comps}
    with open(path, "w") as f:
        json.dump(doc, f)
    return len(comps) - 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", help="the mirror tree to write")
    ap.add_argument("--records", type=int, default=1000000)
    ap.add_argument("--sbom", help="also write a CycloneDX SBOM of a Debian 12 image here")
    ap.add_argument("--packages", type=int, default=2000)
    args = ap.parse_args()
    jobs = []
    first = 0
    for (eco, _), count in zip(ECOSYSTEMS, shares(args.records)):
        jobs.append((args.out, eco, first, count))
        first += count
    # biggest first, so that the two cores end together
    jobs.sort(key=lambda j: -j[3])
    with multiprocessing.Pool(min(len(jobs), os.cpu_count() or 1)) as pool:
        for eco, count in pool.imap_unordered(one_ecosystem, jobs):
            print("%s: %d records" % (eco, count), file=sys.stderr)
    if args.sbom:
        n = sbom(args.sbom, args.packages)
        print("%s: %d packages" % (args.sbom, n), file=sys.stderr)


if __name__ == "__main__":
    main()
