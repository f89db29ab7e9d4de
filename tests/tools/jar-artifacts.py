#!/usr/bin/env python3
"""jar-artifacts.py ARCHIVE... - the Maven artifacts Java archives hold, read with Python's
zipfile (the peer of shipshape's streaming reader): "GROUP:ARTIFACT VERSION" for each
META-INF/maven/GROUP/ARTIFACT/pom.properties with all three keys, in the archive and in the
archives inside it (.jar .war .ear .par), three levels deep; unreadable archives are
skipped. One line per artifact, sorted, no repeats."""
import io
import re
import sys
import zipfile

POM = re.compile(r'^META-INF/maven/[^/]+/[^/]+/pom\.properties$')
ARCHIVE = re.compile(r'\.(jar|war|ear|par)$', re.I)


def props(text):
    d = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in '#!':
            continue
        m = re.match(r'([^=:\s]+)\s*[=:]?\s*(.*)', line)
        if m:  # java.util.Properties: the last one wins
            d[m.group(1)] = m.group(2).strip()
    return d


def walk(f, depth, out):
    try:
        z = zipfile.ZipFile(f)
        names = z.namelist()
    except Exception:
        return
    for n in names:
        try:
            if POM.match(n):
                d = props(z.read(n).decode('latin-1'))
                if all(d.get(k) for k in ('groupId', 'artifactId', 'version')):
                    out.add(f"{d['groupId']}:{d['artifactId']} {d['version']}")
            elif depth < 3 and ARCHIVE.search(n):
                walk(io.BytesIO(z.read(n)), depth + 1, out)
        except Exception:
            continue


out = set()
for a in sys.argv[1:]:
    walk(a, 1, out)
for line in sorted(out):
    print(line)
