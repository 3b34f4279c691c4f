// Builders shared by the trust tests: pacts are constructed directly (not loaded from YAML).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "pactum/pact/pact.h"
#include "pactum/trust/evidence.h"
#include "pactum/trust/trust.h"

namespace pactum::trust::testing {

constexpr double kT0 = 1'790'000'000;  // a time in 2026
constexpr double kDay = 86400;

// "e17": built by appending (GCC 12 misreports `"e" + std::to_string(17)` under -O3).
inline std::string Id(const char* prefix, int n) {
  std::string id = prefix;
  id += std::to_string(n);
  return id;
}

inline pact::Condition Cond(std::string id, std::string metric, pact::Op op, double threshold,
                            pact::Severity severity = pact::Severity::kMajor,
                            std::int64_t window_seconds = 0, std::int64_t min_samples = 1) {
  pact::Condition c;
  c.id = std::move(id);
  c.metric = std::move(metric);
  c.op = op;
  c.threshold = threshold;
  c.severity = severity;
  c.window_seconds = window_seconds;
  c.min_samples = min_samples;
  return c;
}

inline pact::Pact MakePact(std::vector<pact::Condition> conditions) {
  pact::Pact p;
  p.name = "alert-triage";
  p.version = 4;
  p.workflow = "alert_triage";
  p.agents = {"triage-*"};
  p.owner = "soc-l2";
  p.conditions = std::move(conditions);
  return p;
}

inline Evidence Item(std::string id, EvidenceKind kind, double time) {
  Evidence e;
  e.id = std::move(id);
  e.kind = kind;
  e.agent = "triage-1";
  e.workflow = "alert_triage";
  e.time = time;
  return e;
}

// An alert the analyst labelled TP; the agent got it right or not.
inline Evidence TruePositive(std::string id, double time, bool caught,
                             EvidenceKind kind = EvidenceKind::kProductionOutcome) {
  Evidence e = Item(std::move(id), kind, time);
  e.observed.classification = LabelPair{caught ? "TP" : "FP", "TP"};
  return e;
}

inline AgentTrust MakeTrust(const pact::Pact& pact,
                            const TrustConfig& config = TrustConfig::Default()) {
  auto trust = AgentTrust::Create(pact, config);
  EXPECT_TRUE(trust.ok()) << trust.status().ToString();
  return std::move(trust).value();
}

inline std::vector<TrustEvent> Apply(AgentTrust& trust, const Evidence& e) {
  std::vector<TrustEvent> events;
  const Status status = trust.Apply(e, &events);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return events;
}

inline int Count(const std::vector<TrustEvent>& events, const std::string& type) {
  int n = 0;
  for (const TrustEvent& e : events)
    n += e.type == type;
  return n;
}

inline const DimensionScore& Dimension(const Score& score, const std::string& name) {
  for (const DimensionScore& d : score.dimensions) {
    if (d.name == name) return d;
  }
  ADD_FAILURE() << "no dimension " << name;
  return score.dimensions.front();
}

}  // namespace pactum::trust::testing
