/* families.h - the rule tables, one per rule family file; registry.c lists them. */
#pragma once
#include "rules/rule.h"

extern const struct shp_rule shp_rules_df_from[];
extern const struct shp_rule shp_rules_df_user[];
extern const struct shp_rule shp_rules_df_pkg[];
extern const struct shp_rule shp_rules_df_run[];
extern const struct shp_rule shp_rules_df_instr[];
extern const struct shp_rule shp_rules_df_secrets[];
extern const struct shp_rule shp_rules_df_trust[];
extern const struct shp_rule shp_rules_img_config[];
extern const struct shp_rule shp_rules_img_secrets[];
extern const struct shp_rule shp_rules_img_creds[];
extern const struct shp_rule shp_rules_img_fs[];
extern const struct shp_rule shp_rules_img_size[];
extern const struct shp_rule shp_rules_vuln[];
extern const struct shp_rule shp_rules_audit[];
extern const struct shp_rule shp_rules_pss[];
extern const struct shp_rule shp_rules_host[];
extern const struct shp_rule shp_rules_pin[];
