/* sbom.h - the packages of an SBOM, whoever wrote it (shipshape, Syft, Trivy, cdxgen, ...), so
 * that `vuln` can match them: CycloneDX JSON (components, nested ones too) and SPDX 2.x JSON
 * (packages and their purl external references).
 *
 * A package is known by its purl (pkg:deb|apk|rpm/NAMESPACE/NAME@VERSION?qualifiers); other
 * ecosystems are not OS packages and are skipped. Its source package comes from, in order:
 * shipshape's own properties, Trivy's (aquasecurity:trivy:SrcName, SrcVersion, SrcRelease,
 * SrcEpoch), SPDX sourceInfo "built package from: NAME VERSION", the purl's upstream qualifier
 * (Syft: "openssl", "openssl@3.0.11-1", "openssl-3.0.7-24.el9.src.rpm"); else the binary
 * itself. The OS comes from an operating-system component (SPDX: primaryPackagePurpose
 * OPERATING-SYSTEM), else from the purls' distro qualifier ("debian-12", "alpine-3.19.1",
 * Trivy's bare "3.19.1" for apk). */
#pragma once
#include "pkg/pkg.h"

/* Sanity limits: nesting of CycloneDX components, bytes of an SBOM read. */
#define SHP_SBOM_MAX_DEPTH 32
#define SHP_SBOM_MAX_BYTES (256u << 20)

/* 1 if the first n bytes of a file start a JSON object (after a byte order mark and blanks):
 * what is worth reading whole to look for an SBOM, unlike an image tarball. */
int shp_sbom_json_start(const char *head, size_t n);
/* 1 if text looks like a JSON SBOM (a CycloneDX or SPDX document), else 0; cheap, for telling
 * an SBOM from an image. */
int shp_sbom_detect(const char *text, size_t len);

/* Reads the OS packages of the SBOM in text (path names it in errors) into pkgs (sorted) and
 * os (strings in pkgs->arena). Returns 0, or -1 with err (exit 3) for broken JSON or a
 * document that is neither CycloneDX nor SPDX. */
int shp_sbom_read(const char *path, const char *text, size_t len, struct shp_pkgs *pkgs, struct shp_os *os,
		  struct shp_error **err);

/* One purl into pkg (strings in arena); when not NULL, its namespace into *ns (NULL without
 * one) and its distro qualifier, when *distro is still unset, into *distro. Returns 0, or -1
 * if it is not a deb, apk or rpm purl. */
int shp_purl_parse(const char *purl, struct shp_arena *arena, struct shp_pkg *pkg, const char **ns,
		   const char **distro);
