#!/usr/bin/env python3
"""trivy-fixture-to-osv.py OUTDIR FIXTURE.yaml... - turns trivy's detector fixtures (its
bolt-DB buckets written as YAML: "alpine 3.10" -> package -> CVE -> {FixedVersion, Severity,
Status}) into OSV records, one per CVE and package, so the suite can import them with
`shipshape db import` and check the matches. FixedVersion "" is "no fix"; a FixedVersion that
is not a string (a fixture of trivy's "invalid" cases) is left out. Severity is trivy's enum
(1 low .. 4 critical)."""
import json, os, sys
import yaml

ECO = {"alpine": "Alpine:v", "debian": "Debian:", "ubuntu": "Ubuntu:"}
SEV = {1: "LOW", 2: "MEDIUM", 3: "HIGH", 4: "CRITICAL"}

def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    n = 0
    for path in sys.argv[2:]:
        for top in yaml.safe_load(open(path)) or []:
            name = top.get("bucket", "")
            distro, _, release = name.partition(" ")
            if distro not in ECO or not release:
                continue
            for pkg in top.get("pairs", []):
                for pair in pkg.get("pairs", []):
                    v = pair.get("value") or {}
                    fixed = v.get("FixedVersion", "")
                    if not isinstance(fixed, str):
                        continue
                    events = [{"introduced": "0"}] + ([{"fixed": fixed}] if fixed else [])
                    rec = {"id": pair["key"], "modified": "2026-01-01T00:00:00Z",
                           "affected": [{"package": {"ecosystem": ECO[distro] + release, "name": pkg["bucket"]},
                                         "ranges": [{"type": "ECOSYSTEM", "events": events}]}]}
                    if v.get("Severity") in SEV:
                        rec["database_specific"] = {"severity": SEV[v["Severity"]]}
                    n += 1
                    with open(os.path.join(out, "%s-%s-%d.json" % (distro, pair["key"], n)), "w") as f:
                        json.dump(rec, f)
    print("%d records" % n, file=sys.stderr)

main()
