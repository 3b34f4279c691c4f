// Pact and Cedar texts that more than one integration test publishes, kept once.
#pragma once

namespace pactum::testing::fixtures {

// A boundary that permits classifying alerts and nothing else, with its schema.
inline constexpr const char* kClassifyPolicies = R"(@id("triage-may-classify")
permit(principal, action == Action::"classify_alert", resource);
)";

inline constexpr const char* kClassifySchema = R"(entity Agent;
entity Alert;
action classify_alert appliesTo { principal: Agent, resource: Alert };
)";

// The alert-triage pact the reporting tests (scorecards, packets) publish.
inline constexpr const char* kTriagePact = R"(pact: triage
version: 1
workflow: alert_triage
agents: ["tri-*"]
owner: soc-l1
boundaries:
  policies: triage.cedar
autonomy: { unrated: autonomous }
)";

}  // namespace pactum::testing::fixtures
