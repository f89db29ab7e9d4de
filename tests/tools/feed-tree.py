#!/usr/bin/env python3
"""feed-tree.py - writes a mirror tree (HOST/PATH under ROOT) with a tiny feed for every
source `shipshape db sources --format json` lists (read from stdin), for the db update tests:

  osv             a zip of one OSV record of the dump's ecosystem (Debian's for Debian 12)
  alpine-secdb    one package of the branch, fixed for one CVE
  debian-tracker  one CVE of zlib, fixed in bookworm
  rpm-md          the mirror list (naming a repository on the same host), repodata/repomd.xml
                  and a gzipped updateinfo.xml with one advisory

--tag T goes into every record's id and summary, so that writing the tree again with another
tag changes every feed. --only NAME... limits the sources written. --modified TIME sets the
OSV records' modified time (default 2026-11-01T00:00:00Z).
"""
import argparse
import gzip
import io
import json
import os
import sys
import urllib.parse
import zipfile


def place(root, url):
    u = urllib.parse.urlsplit(url)
    path = os.path.join(root, u.netloc.lower(), urllib.parse.unquote(u.path).lstrip("/"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return path


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def osv_zip(eco, tag, modified):
    if eco in ("Debian",):
        eco = "Debian:12"
    rec = {
        "id": "TEST-%s-%s" % (eco.replace(" ", "_").replace(":", "_"), tag),
        "modified": modified,
        "summary": "a test record (%s)" % tag,
        "affected": [{"package": {"ecosystem": eco, "name": "zlib"},
                      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "9:9"}]}]}],
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(rec["id"] + ".json", json.dumps(rec))
    return buf.getvalue()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--tag", default="1")
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--modified", default="2026-11-01T00:00:00Z")
    opts = ap.parse_args()
    tag = opts.tag
    for s in json.load(sys.stdin)["sources"]:
        if opts.only and s["name"] not in opts.only:
            continue
        url, kind = s["url"], s["kind"]
        if kind == "osv":
            eco = urllib.parse.unquote(urllib.parse.urlsplit(url).path.split("/")[1])
            write(place(opts.root, url), osv_zip(eco, tag, opts.modified))
        elif kind == "alpine-secdb":
            parts = urllib.parse.urlsplit(url).path.split("/")
            doc = {"distroversion": parts[1], "reponame": parts[2].split(".")[0], "archs": ["x86_64"],
                   "packages": [{"pkg": {"name": "zlib", "secfixes": {"1.3-r%s" % tag: ["CVE-2022-37434"]}}}]}
            write(place(opts.root, url), json.dumps(doc).encode())
        elif kind == "debian-tracker":
            doc = {"zlib": {"CVE-2022-37434": {"description": "test %s" % tag, "releases": {
                "bookworm": {"status": "resolved", "fixed_version": "1:1.2.13.dfsg-%s" % tag,
                             "urgency": "high"}}}}}
            write(place(opts.root, url), json.dumps(doc).encode())
        elif kind == "rpm-md":
            u = urllib.parse.urlsplit(url)
            base = "%s://%s/repo/%s/x86_64/" % (u.scheme, u.netloc, s["name"])
            if s["mirror_list"]:
                write(place(opts.root, url), (base + "\n").encode())
            else:
                base = url if url.endswith("/") else url + "/"
            repomd = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                      '<repomd xmlns="http://linux.duke.edu/metadata/repo">\n'
                      ' <data type="updateinfo"><location href="repodata/updateinfo-%s.xml.gz"/></data>\n'
                      '</repomd>\n' % tag)
            write(place(opts.root, base + "repodata/repomd.xml"), repomd.encode())
            ui = ('<?xml version="1.0" encoding="UTF-8"?>\n<updates>\n'
                  ' <update type="security" status="final" version="1.4" from="test">\n'
                  '  <id>ALAS-TEST-%s</id><title>zlib</title><severity>Important</severity>\n'
                  '  <issued date="2026-11-01 00:00"/><updated date="2026-11-01 00:00"/>\n'
                  '  <references><reference type="cve" id="CVE-2022-37434" href="x"/></references>\n'
                  '  <pkglist><collection short="x"><package name="zlib" epoch="0" version="1.2.13"'
                  ' release="%s.amzn2023" arch="x86_64"><filename>z.rpm</filename></package>'
                  '</collection></pkglist>\n </update>\n</updates>\n' % (tag, tag))
            write(place(opts.root, base + "repodata/updateinfo-%s.xml.gz" % tag), gzip.compress(ui.encode()))


if __name__ == "__main__":
    main()
