// Template lint, the estimates (lint_cost.cc): every kind rendered with long
// realistic values (LintSamples), its segments, and what one session costs
// per member, per group of 12, per coordinator's digest and per real group.
// template_lint.cc calls these in order: SetCostModel, then per language
// EstimateLanguageCost, then EstimateDigestCost and EstimateGroupCosts.
//
// Thread-safety: pure functions.
#ifndef CHECKIN_DAEMON_CTL_LINT_COST_H_
#define CHECKIN_DAEMON_CTL_LINT_COST_H_

#include <map>
#include <string>
#include <utility>

#include "checkin/config.h"
#include "ctl/template_lint.h"

namespace checkin {

// Where each template is written ("checkin.yaml:154"), by language and kind;
// a kind without one is a shipped default.
using TemplateLocations = std::map<std::pair<std::string, TemplateKind>, std::string>;
TemplateLocations LocationsOf(const TemplateFile& file);

// Whether `language` has its own text of `kind` (else members get en's).
bool HasOwnTemplate(const Config& config, const std::string& language, TemplateKind kind);

// Whether a text can be sent a week or more ahead, when {day} reads
// "<weekday> <date>" (config/templates.h), so {day} needs month names too.
bool FarAheadPossible(const Config& config);

// The cost model of `r`: texts per member and session, price, samples.
void SetCostModel(const Config& config, const LintSamples& samples, LintReport& r);

// Estimates every kind `lang`'s members get (and the digest, for the
// default language) into lang.kinds, and lang.per_member / group_of_12 under
// `model`'s cost model. Returns the segments per member and session.
int EstimateLanguageCost(const Config& config, const TemplateLocations& where, const LintReport& model,
                         LanguageLint& lang);

// r.digest and r.digest_cost, when digests are on.
void EstimateDigestCost(const Config& config, const TemplateLocations& where, LintReport& r);

// r.groups: each census group's members' texts (`segments_per_member` by
// language, from EstimateLanguageCost) and its digest.
void EstimateGroupCosts(const MemberCensus& census, const std::map<std::string, int>& segments_per_member,
                        LintReport& r);

}  // namespace checkin

#endif  // CHECKIN_DAEMON_CTL_LINT_COST_H_
