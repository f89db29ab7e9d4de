/* pin.c - the image reference rules (SHP60xx): what `shipshape pin --check` reports, and
 * what `shipshape pin` leaves unpinned. They are reported by the pin module (src/pin/), which
 * finds the references and asks the registry, not by a check function. */
#include "rules/families.h"

#include <stddef.h>

const struct shp_rule shp_rules_pin[] = {
	{.id = "SHP6001",
	 .slug = "image-digest-missing",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_PIN,
	 .title = "Image reference has no digest",
	 .rationale = "A tag is a name the registry may point at another image at any time: a build or a "
		      "deployment from it can get different content from one day to the next, or content an "
		      "attacker who controls the tag chose. A digest names the content itself, and the engine "
		      "verifies what it pulls against it.",
	 .remediation = "Run shipshape pin on the file: each reference becomes NAME:TAG@sha256:..., the tag kept "
			"for readers. Where a reference is made of variables, pin the value where it is set.",
	 .aliases = {"CIS-4.2"}},
	{.id = "SHP6002",
	 .slug = "image-digest-stale",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_PIN,
	 .title = "Pinned digest is no longer the one its tag names",
	 .rationale = "The tag was moved to a new image (a rebuild with security updates, a new release) after the "
		      "digest was pinned: the file still gets the old image, which a reader of the tag does not "
		      "expect. It may also be a digest that was never the tag's.",
	 .remediation = "Review the new image, then pin it: remove the digest and run shipshape pin (or let an "
			"update bot do it)."},
	{.id = "SHP6003",
	 .slug = "image-reference-unresolved",
	 .severity = SHP_SEV_MEDIUM,
	 .scope = SHP_SCOPE_PIN,
	 .title = "Image reference cannot be resolved from the file",
	 .rationale = "The reference is made of variables that have no value in the file (an ARG without a "
		      "default, set only by --build-arg; a compose variable from the environment): which image "
		      "is used is decided elsewhere, and nothing here pins it.",
	 .remediation = "Give the ARG a default and pin that (ARG BASE=debian:12@sha256:...), or pin the value "
			"where it is set (the build's --build-arg, the .env file)."},
	{0},
};
