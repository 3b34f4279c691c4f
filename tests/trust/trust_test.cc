#include "pactum/trust/trust.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "trust_test_util.h"

namespace pactum::trust {
namespace {

using namespace testing;  // NOLINT: the shared builders
using pact::Autonomy;
using pact::Op;
using pact::Severity;
using pact::Tier;

// Every tier acts alone, so autonomy moves only through consequences.
pact::Pact AutonomousPact(std::vector<pact::Condition> conditions) {
  pact::Pact p = MakePact(std::move(conditions));
  for (Tier t : {Tier::kUnrated, Tier::kBronze, Tier::kSilver, Tier::kGold, Tier::kPlatinum}) {
    p.autonomy[t] = Autonomy::kAutonomous;
  }
  return p;
}

Evidence Outcome(std::string id, EvidenceKind kind, double time, const std::string& dimension,
                 double x) {
  Evidence e = Item(std::move(id), kind, time);
  e.observed.outcomes[dimension] = x;
  return e;
}

// docs/SCORING.md §12, as a reader would redo it by hand.
TEST(AgentTrust, WorkedExampleOfScoringMd) {
  AgentTrust trust = MakeTrust(MakePact(
      {Cond("tp-recall", "classification.tpr", Op::kGte, 0.9, Severity::kCritical, 604800, 30),
       Cond("priority", "priority.accuracy", Op::kGte, 0.7, Severity::kMajor, 604800, 30),
       Cond("latency", "latency.p95_ms", Op::kLte, 30000, Severity::kMinor, 86400, 50)}));
  auto alert = [](int i, const char* predicted, const char* actual, const char* priority,
                  double latency) {
    Evidence e = Item(Id("a", i), EvidenceKind::kProductionOutcome, kT0);
    e.observed.classification = LabelPair{predicted, actual};
    e.observed.priority = LabelPair{priority, "High"};
    e.observed.latency_ms = latency;
    return e;
  };
  int i = 0;
  for (int k = 0; k < 25; ++k)
    Apply(trust, alert(i++, "TP", "TP", "High", 1000));
  for (int k = 0; k < 3; ++k)
    Apply(trust, alert(i++, "FP", "TP", "High", 1000));
  for (int k = 0; k < 2; ++k)
    Apply(trust, alert(i++, "FP", "FP", "Low", 45000));
  const TrustSnapshot snap = trust.Snapshot(kT0);
  const DimensionScore& accuracy = Dimension(snap.reputation, "accuracy");
  EXPECT_DOUBLE_EQ(accuracy.mean, 107.0 / 128);
  EXPECT_DOUBLE_EQ(accuracy.n, 126);
  EXPECT_NEAR(accuracy.lower_bound, 0.7794, 5e-5);
  const DimensionScore& latency = Dimension(snap.reputation, "latency");
  EXPECT_DOUBLE_EQ(latency.mean, 29.0 / 34);
  EXPECT_NEAR(latency.lower_bound, 0.7437, 5e-5);
  EXPECT_EQ(snap.reputation.value, 841);
  EXPECT_EQ(snap.reputation.lower_bound, 769);
  EXPECT_NEAR(snap.reputation.n, 99.14, 0.005);
  EXPECT_NEAR(snap.reputation.confidence, 0.83, 0.005);
  EXPECT_EQ(snap.reputation.tier, Tier::kSilver);
  EXPECT_EQ(snap.tier, Tier::kSilver);
  EXPECT_EQ(snap.autonomy, Autonomy::kSupervised);
  const Json tpr = trust.Explain(kT0).at("conditions")[0];
  EXPECT_EQ(tpr.at("samples"), 28);
  EXPECT_TRUE(tpr.at("value").is_null());  // 28 < min_samples: not evaluated
}

TEST(AgentTrust, WeightHalvesAtTheHalfLife) {
  AgentTrust trust = MakeTrust(MakePact({}));
  Apply(trust, Outcome("e1", EvidenceKind::kProductionOutcome, kT0, "accuracy", 1));
  const TrustConfig config = TrustConfig::Default();
  const DimensionScore now = Dimension(trust.Snapshot(kT0).reputation, "accuracy");
  EXPECT_DOUBLE_EQ(now.n, 1);
  EXPECT_DOUBLE_EQ(now.mean, 2.0 / 3);
  const DimensionScore later =
      Dimension(trust.Snapshot(kT0 + config.half_life_seconds).reputation, "accuracy");
  EXPECT_NEAR(later.n, 0.5, 1e-12);
  EXPECT_NEAR(later.mean, 1.5 / 2.5, 1e-12);
  const DimensionScore two =
      Dimension(trust.Snapshot(kT0 + 2 * config.half_life_seconds).reputation, "accuracy");
  EXPECT_NEAR(two.n, 0.25, 1e-12);
}

TEST(AgentTrust, ProductionFailuresWeighLambda) {
  AgentTrust trust = MakeTrust(MakePact({}));
  Apply(trust, Outcome("e1", EvidenceKind::kProductionOutcome, kT0, "accuracy", 0));
  Apply(trust, Outcome("e2", EvidenceKind::kEvalCase, kT0, "accuracy", 0));
  const TrustSnapshot snap = trust.Snapshot(kT0);
  // β = 1 + λ·w·(1 − x) with λ = 2, w = 1 (minor) in reputation; λ = 1 in capability.
  EXPECT_DOUBLE_EQ(Dimension(snap.reputation, "accuracy").mean, 1.0 / 4);
  EXPECT_DOUBLE_EQ(Dimension(snap.reputation, "accuracy").n, 2);
  EXPECT_DOUBLE_EQ(Dimension(snap.capability, "accuracy").mean, 1.0 / 3);
}

TEST(AgentTrust, SeveritySetsTheWeightAndConditionsCountOnce) {
  pact::Pact p = MakePact({Cond("acc", "classification.accuracy", Op::kGte, 0.9, Severity::kMinor),
                           Cond("tpr", "classification.tpr", Op::kGte, 0.9, Severity::kCritical),
                           Cond("prec", "classification.precision", Op::kGte, 0.9)});
  AgentTrust trust = MakeTrust(p);
  // Three conditions on accuracy read this item: one observation, the largest weight (4).
  Apply(trust, TruePositive("e1", kT0, true));
  EXPECT_DOUBLE_EQ(Dimension(trust.Snapshot(kT0).reputation, "accuracy").n, 4);
  // Evidence severity overrides: info weighs 0.5.
  Evidence info = TruePositive("e2", kT0, true);
  info.severity = Severity::kInfo;
  Apply(trust, info);
  EXPECT_DOUBLE_EQ(Dimension(trust.Snapshot(kT0).reputation, "accuracy").n, 4.5);
  // Breach evidence without outcomes is a failure of safety, major by default: β += 2·2.
  Apply(trust, Item("b1", EvidenceKind::kBreach, kT0));
  const DimensionScore safety = Dimension(trust.Snapshot(kT0).reputation, "safety");
  EXPECT_DOUBLE_EQ(safety.n, 4);
  EXPECT_DOUBLE_EQ(safety.mean, 1.0 / 6);
  // A review resolution informs escalation judgement.
  Evidence review = Item("r1", EvidenceKind::kReviewResolution, kT0);
  review.review_approved = true;
  Apply(trust, review);
  EXPECT_DOUBLE_EQ(Dimension(trust.Snapshot(kT0).reputation, "escalation_judgment").mean, 2.0 / 3);
}

TEST(AgentTrust, LowerBoundNeverExceedsMean) {
  std::mt19937_64 rng(7);
  AgentTrust trust = MakeTrust(MakePact({Cond("tpr", "classification.tpr", Op::kGte, 0.9),
                                         Cond("ok", "outcome.success_rate", Op::kGte, 0.9)}));
  std::bernoulli_distribution good(0.85);
  for (int i = 0; i < 300; ++i) {
    Evidence e = TruePositive(Id("e", i), kT0 + i * 600.0, good(rng),
                              i % 3 ? EvidenceKind::kProductionOutcome : EvidenceKind::kEvalCase);
    e.observed.success = good(rng);
    Apply(trust, e);
    const TrustSnapshot snap = trust.Snapshot(e.time);
    for (const Score* score : {&snap.capability, &snap.reputation}) {
      if (!score->measured) continue;
      EXPECT_LE(score->lower_bound, score->value);
      for (const DimensionScore& d : score->dimensions)
        EXPECT_LE(d.lower_bound, d.mean);
    }
  }
}

// Apply reports lower bounds from its fast path (SCORING.md "Scores in Apply"); with one
// dimension, touched by every item, they must match the exact Snapshot to the score's unit.
TEST(AgentTrust, ReportedLowerBoundsMatchTheExactOnes) {
  AgentTrust trust = MakeTrust(
      MakePact({Cond("tpr", "classification.tpr", Op::kGte, 0.9, Severity::kMajor, 0, 1'000'000)}));
  std::mt19937_64 rng(13);
  std::bernoulli_distribution good(0.93);
  std::exponential_distribution<double> gap(1 / 300.0);
  double time = kT0;
  int reported = 0;
  for (int i = 0; i < 20000; ++i) {
    time += gap(rng);
    for (const TrustEvent& e : Apply(trust, TruePositive(Id("e", i), time, good(rng)))) {
      if (e.type != "score.changed") continue;
      ++reported;
      const Score exact = trust.Snapshot(time).reputation;
      EXPECT_NEAR(e.data.at("new").at("lower_bound").get<int>(), exact.lower_bound, 1) << i;
      EXPECT_EQ(e.data.at("new").at("value").get<int>(), exact.value) << i;
    }
  }
  EXPECT_GT(reported, 5);
}

// A success never lowers a score or its lower bound, a failure never raises them (over the
// dimensions already measured: a first observation of a dimension renormalises the weights).
TEST(AgentTrust, ScoresMoveMonotonicallyWithEvidence) {
  const pact::Pact p = MakePact({Cond("tpr", "classification.tpr", Op::kGte, 0.9),
                                 Cond("ok", "outcome.success_rate", Op::kGte, 0.9)});
  auto item = [](std::string id, double time, bool caught, bool success) {
    Evidence e = TruePositive(std::move(id), time, caught);
    e.observed.success = success;
    return e;
  };
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    std::bernoulli_distribution good(0.3 + 0.035 * static_cast<double>(seed));
    std::uniform_real_distribution<double> gap(0, 2 * kDay);
    AgentTrust base = MakeTrust(p), up = MakeTrust(p), down = MakeTrust(p);
    double time = kT0;
    const int items = 5 + static_cast<int>(rng() % 200);
    for (int i = 0; i < items; ++i) {
      const Evidence e = item(Id("e", i), time, good(rng), good(rng));
      for (AgentTrust* t : {&base, &up, &down})
        Apply(*t, e);
      time += gap(rng);
    }
    Apply(up, item("next", time, true, true));
    Apply(down, item("next", time, false, false));
    const Score b = base.Snapshot(time).reputation;
    const Score u = up.Snapshot(time).reputation;
    const Score d = down.Snapshot(time).reputation;
    EXPECT_GE(u.value, b.value) << "seed " << seed;
    EXPECT_GE(u.lower_bound, b.lower_bound) << "seed " << seed;
    EXPECT_LE(d.value, b.value) << "seed " << seed;
    EXPECT_LE(d.lower_bound, b.lower_bound) << "seed " << seed;
    EXPECT_GE(u.tier, b.tier);
    EXPECT_LE(d.tier, b.tier);
  }
}

TEST(AgentTrust, TenLuckyCasesNeverReachSilver) {
  AgentTrust trust =
      MakeTrust(MakePact({Cond("tpr", "classification.tpr", Op::kGte, 0.9, Severity::kCritical)}));
  for (int i = 0; i < 10; ++i) {
    Apply(trust, TruePositive(Id("e", i), kT0 + i, true, EvidenceKind::kEvalCase));
  }
  const TrustSnapshot snap = trust.Snapshot(kT0 + 10);
  ASSERT_TRUE(snap.capability.measured);
  EXPECT_GT(snap.capability.value, 950);           // looks excellent…
  EXPECT_LT(snap.capability.tier, Tier::kSilver);  // …but is not trusted as such
  EXPECT_LT(snap.tier, Tier::kSilver);
}

TEST(AgentTrust, GoodOutcomesReachGoldAndFailuresDropATier) {
  AgentTrust trust = MakeTrust(
      MakePact({Cond("tpr", "classification.tpr", Op::kGte, 0.9, Severity::kMajor, 0, 1'000'000)}));
  double time = kT0;
  std::vector<TrustEvent> events;
  for (int i = 0; i < 500; ++i, time += 600) {
    for (TrustEvent& e : Apply(trust, TruePositive(Id("g", i), time, true))) {
      events.push_back(std::move(e));
    }
  }
  const Tier reached = trust.Snapshot(time).tier;
  EXPECT_GE(reached, Tier::kGold);
  EXPECT_GE(Count(events, "tier.changed"), 2);
  int failures = 0;
  bool dropped_event = false;
  while (trust.Snapshot(time).tier == reached && failures < 100) {
    for (const TrustEvent& e : Apply(trust, TruePositive(Id("f", failures), time, false))) {
      if (e.type == "tier.changed") {
        dropped_event = true;
        EXPECT_EQ(e.data.at("from"), pact::NameOf(reached));
        EXPECT_EQ(e.data.at("cause").at("evidence_id"), Id("f", failures));
      }
    }
    ++failures;
    time += 600;
  }
  EXPECT_EQ(static_cast<int>(trust.Snapshot(time).tier), static_cast<int>(reached) - 1);
  EXPECT_TRUE(dropped_event);
  EXPECT_LT(failures, 60);
}

TEST(AgentTrust, BreachIsEdgeTriggeredAndRestores) {
  pact::Pact p =
      AutonomousPact({Cond("p95", "latency.p95_ms", Op::kLte, 1000, Severity::kMajor, 3600, 5)});
  AgentTrust trust = MakeTrust(p);
  auto latency = [](std::string id, double time, double ms) {
    Evidence e = Item(std::move(id), EvidenceKind::kProductionOutcome, time);
    e.observed.latency_ms = ms;
    return e;
  };
  double time = kT0;
  for (int i = 0; i < 5; ++i, time += 10) {
    EXPECT_EQ(Count(Apply(trust, latency(Id("fast", i), time, 100)), "pact.breached"), 0);
  }
  EXPECT_EQ(trust.Explain(time).at("conditions")[0].at("passing"), true);
  const auto tipped = Apply(trust, latency("slow0", time, 5000));
  ASSERT_EQ(Count(tipped, "pact.breached"), 1);
  ASSERT_EQ(Count(tipped, "consequence.applied"), 1);
  for (const TrustEvent& e : tipped) {
    EXPECT_EQ(e.data.at("cause").at("evidence_id"), "slow0");
    if (e.type != "pact.breached" && e.type != "consequence.applied") continue;
    EXPECT_EQ(e.data.at("cause").at("condition"), "p95");
    if (e.type == "pact.breached") {
      EXPECT_EQ(e.data.at("value"), 5000);
      EXPECT_EQ(e.data.at("samples"), 6);
    } else {
      EXPECT_EQ(e.data.at("action"), "narrow");
      EXPECT_EQ(e.data.at("from"), "autonomous");
      EXPECT_EQ(e.data.at("to"), "supervised");
    }
  }
  // At once: the very next snapshot acts on it.
  EXPECT_EQ(trust.Snapshot(time).autonomy, Autonomy::kSupervised);
  for (int i = 1; i < 10; ++i) {
    time += 10;
    const auto more = Apply(trust, latency(Id("slow", i), time, 5000));
    EXPECT_EQ(Count(more, "pact.breached") + Count(more, "consequence.applied"), 0);
  }
  // The slow events leave the window; with five fast ones the condition passes again.
  time += 3600;
  std::vector<TrustEvent> restored;
  for (int i = 0; i < 5; ++i, time += 10) {
    for (TrustEvent& e : Apply(trust, latency(Id("back", i), time, 100))) {
      restored.push_back(std::move(e));
    }
  }
  ASSERT_EQ(Count(restored, "consequence.applied"), 1);
  for (const TrustEvent& e : restored) {
    if (e.type != "consequence.applied") continue;
    EXPECT_EQ(e.data.at("action"), "restore");
    EXPECT_EQ(e.data.at("to"), "autonomous");
    EXPECT_EQ(e.data.at("cause").at("evidence_id"), "back4");
  }
  EXPECT_EQ(trust.Snapshot(time).autonomy, Autonomy::kAutonomous);
  const Json explained = trust.Explain(time);
  EXPECT_EQ(explained.at("conditions")[0].at("in_breach"), false);
  EXPECT_EQ(explained.at("recent_consequences").size(), 2u);
  EXPECT_EQ(explained.at("recent_consequences")[0].at("action"), "restore");
}

// A statistic that sits on its threshold does not make the breach flap: a breach clears only
// once min_samples events in a row have passed (SCORING.md §5), and then once.
TEST(AgentTrust, ABreachClearsOnlyAfterMinSamplesEventsPass) {
  AgentTrust trust = MakeTrust(
      AutonomousPact({Cond("tpr", "classification.tpr", Op::kGte, 0.8, Severity::kMajor, 95, 5)}));
  int breaches = 0, restores = 0, restored_at = -1;
  auto apply = [&](int i, bool caught) {
    for (const TrustEvent& e : Apply(trust, TruePositive(Id("e", i), kT0 + 10.0 * i, caught))) {
      breaches += e.type == "pact.breached";
      if (e.type == "consequence.applied" && e.data.at("reason") == "breach" &&
          e.data.at("action") == "restore") {
        ++restores;
        restored_at = i;
      }
    }
  };
  // Two misses every nine events, and ten events in the window: as it slides, the rate moves
  // between 0.8 (passing) and 0.7 (missing), 43 times each way in these 200 events.
  for (int i = 0; i < 200; ++i)
    apply(i, i % 9 != 0 && i % 9 != 4);
  EXPECT_EQ(breaches, 1);
  EXPECT_EQ(restores, 0);
  Json condition = trust.Explain(kT0 + 2000).at("conditions")[0];
  EXPECT_EQ(condition.at("in_breach"), true);
  EXPECT_EQ(condition.at("passing"), true);  // at 0.8 now, but not for long enough
  EXPECT_EQ(condition.at("events_to_clear"), 4);
  // The last miss was event 198's evaluation; five passing events from there clear it.
  for (int i = 200; i < 230; ++i)
    apply(i, true);
  EXPECT_EQ(restores, 1);
  EXPECT_EQ(restored_at, 203);
  EXPECT_EQ(breaches, 1);
  condition = trust.Explain(kT0 + 2300).at("conditions")[0];
  EXPECT_EQ(condition.at("in_breach"), false);
  EXPECT_TRUE(condition.at("events_to_clear").is_null());
}

TEST(AgentTrust, CriticalBreachSuspendsAndMinorWarns) {
  pact::Pact p =
      AutonomousPact({Cond("cost", "cost.mean_usd", Op::kLte, 1.0, Severity::kCritical, 10),
                      Cond("ok", "check.schema_valid", Op::kGte, 1.0, Severity::kMinor)});
  AgentTrust trust = MakeTrust(p);
  Evidence costly = Item("c1", EvidenceKind::kProductionOutcome, kT0);
  costly.observed.cost_usd = 5;
  const auto events = Apply(trust, costly);
  ASSERT_EQ(Count(events, "consequence.applied"), 1);
  EXPECT_EQ(events.back().data.at("action"), "suspend");
  EXPECT_EQ(events.back().data.at("to"), "suspended");
  EXPECT_EQ(trust.Snapshot(kT0).autonomy, Autonomy::kSuspended);

  // A warning is an event that changes no autonomy. The check allows no failure, so its drift
  // chart alarms at the first one too (p0 floored at 1/target_arl0) and narrows.
  Evidence invalid = Item("k1", EvidenceKind::kProductionOutcome, kT0 + 1);
  invalid.observed.checks["schema_valid"] = false;
  const auto warned = Apply(trust, invalid);
  ASSERT_EQ(Count(warned, "consequence.applied"), 2);
  ASSERT_EQ(Count(warned, "trust.drift_detected"), 1);
  std::vector<std::string> actions;
  for (const TrustEvent& e : warned) {
    if (e.type != "consequence.applied") continue;
    actions.push_back(e.data.at("action"));
    EXPECT_EQ(e.data.at("from"), "suspended");
    EXPECT_EQ(e.data.at("to"), "suspended");
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"warn", "narrow"}));

  // The cost condition passes again and lifts its suspension; the drift narrow remains.
  Evidence cheap = Item("c2", EvidenceKind::kProductionOutcome, kT0 + 20);
  cheap.observed.cost_usd = 0.1;
  const auto lifted = Apply(trust, cheap);
  ASSERT_EQ(Count(lifted, "consequence.applied"), 1);
  EXPECT_EQ(lifted.back().data.at("to"), "supervised");
  EXPECT_EQ(trust.Snapshot(kT0 + 20).autonomy, Autonomy::kSupervised);
}

TEST(AgentTrust, DriftNarrowsAndSprtRestores) {
  AgentTrust trust = MakeTrust(AutonomousPact(
      {Cond("tpr", "classification.tpr", Op::kGte, 0.9, Severity::kMajor, 0, 1'000'000)}));
  double time = kT0;
  int n = 0;
  auto next = [&](bool caught) {
    time += 60;
    return Apply(trust, TruePositive(Id("e", n++), time, caught));
  };
  // Half the true positives missed: five times the allowed 10%.
  std::vector<TrustEvent> alarm;
  while (n < 400 && Count(alarm, "trust.drift_detected") == 0)
    alarm = next(n % 2 == 0);
  ASSERT_EQ(Count(alarm, "trust.drift_detected"), 1) << "no alarm in 400 events";
  EXPECT_LT(n, 100);
  for (const TrustEvent& e : alarm) {
    if (e.type == "trust.drift_detected") {
      EXPECT_DOUBLE_EQ(e.data.at("p0").get<double>(), 0.1);
      EXPECT_DOUBLE_EQ(e.data.at("p1").get<double>(), 0.2);
      EXPECT_GE(e.data.at("statistic").get<double>(), e.data.at("h").get<double>());
    }
    if (e.type == "consequence.applied") {
      EXPECT_EQ(e.data.at("action"), "narrow");
    }
  }
  TrustSnapshot snap = trust.Snapshot(time);
  EXPECT_TRUE(snap.drifting);
  EXPECT_EQ(snap.autonomy, Autonomy::kSupervised);

  // Five straight misses: the SPRT accepts H1 and restarts; still drifting, still narrowed.
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Count(next(false), "consequence.applied"), 0);
  }
  EXPECT_TRUE(trust.Snapshot(time).drifting);
  EXPECT_EQ(trust.Explain(time).at("conditions")[0].at("drift").at("sprt").at("events"), 0);

  // Good outcomes: ln(β/(1−α)) / ln(0.8/0.9) ≈ 25 successes accept H0.
  std::vector<TrustEvent> restore;
  int good = 0;
  while (good < 100 && Count(restore, "consequence.applied") == 0) {
    restore = next(true);
    ++good;
  }
  EXPECT_EQ(good, 25);
  ASSERT_EQ(Count(restore, "consequence.applied"), 1);
  EXPECT_EQ(restore.back().data.at("action"), "restore");
  EXPECT_EQ(restore.back().data.at("reason"), "drift");
  snap = trust.Snapshot(time);
  EXPECT_FALSE(snap.drifting);
  EXPECT_EQ(snap.autonomy, Autonomy::kAutonomous);
  EXPECT_EQ(trust.Explain(time).at("conditions")[0].at("drift").at("statistic"), 0);
}

TEST(AgentTrust, UpheldDisputeWithdrawsExactly) {
  const pact::Pact p = MakePact({Cond("tpr", "classification.tpr", Op::kGte, 0.9)});
  AgentTrust disputed = MakeTrust(p), corrected = MakeTrust(p);
  Apply(disputed, TruePositive("e1", kT0, true));
  Apply(disputed, TruePositive("e2", kT0 + 3600, false));
  Apply(disputed, TruePositive("e3", kT0 + 7200, true));
  Evidence dispute = Item("d1", EvidenceKind::kDisputeResolution, kT0 + 5 * kDay);
  dispute.disputed_evidence_id = "e2";
  dispute.dispute_upheld = true;
  dispute.correction = Observations{};
  dispute.correction->classification = LabelPair{"TP", "TP"};
  const auto events = Apply(disputed, dispute);
  for (const TrustEvent& e : events)
    EXPECT_EQ(e.data.at("cause").at("evidence_id"), "d1");

  Apply(corrected, TruePositive("e1", kT0, true));
  Apply(corrected, TruePositive("e2", kT0 + 3600, true));
  Apply(corrected, TruePositive("e3", kT0 + 7200, true));
  const double at = kT0 + 6 * kDay;
  const DimensionScore a = Dimension(disputed.Snapshot(at).reputation, "accuracy");
  const DimensionScore b = Dimension(corrected.Snapshot(at).reputation, "accuracy");
  EXPECT_NEAR(a.n, b.n, 1e-12);
  EXPECT_NEAR(a.mean, b.mean, 1e-12);
  EXPECT_NEAR(a.lower_bound, b.lower_bound, 1e-9);

  // Twice is a conflict; an unknown id is not found; neither changes anything.
  Evidence again = dispute;
  again.id = "d2";
  EXPECT_EQ(disputed.Apply(again, nullptr).code(), Code::kConflict);
  Evidence unknown = dispute;
  unknown.id = "d3";
  unknown.disputed_evidence_id = "nope";
  EXPECT_EQ(disputed.Apply(unknown, nullptr).code(), Code::kNotFound);
  // A rejected dispute is recorded and changes no score.
  Evidence rejected = dispute;
  rejected.id = "d4";
  rejected.disputed_evidence_id = "e1";
  rejected.dispute_upheld = false;
  EXPECT_TRUE(Apply(disputed, rejected).empty());
  EXPECT_EQ(Dimension(disputed.Snapshot(at).reputation, "accuracy").n, a.n);
  EXPECT_EQ(disputed.Apply(rejected, nullptr).code(), Code::kAlreadyExists);
}

// The index keeps ids that arrive in increasing order (as the service mints them) apart from
// the rest; every order must find every item, and no other.
TEST(AgentTrust, EveryAppliedItemCanBeFoundForADispute) {
  constexpr int kItems = 5000;  // the index grows many times
  auto padded = [](const char* prefix, int n) {
    std::string digits = std::to_string(n);
    return prefix + std::string(6 - digits.size(), '0') + digits;
  };
  std::vector<int> shuffled(kItems);
  std::iota(shuffled.begin(), shuffled.end(), 0);
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(5));
  const std::vector<std::pair<std::string, std::function<std::string(int)>>> orders = {
      {"increasing", [&](int i) { return padded("e", i); }},
      {"decreasing", [&](int i) { return padded("e", kItems - i); }},
      // Requests of 50 items in flight in fours: minted interleaved, applied one by one.
      {"interleaved",
       [&](int i) {
         const int j = i % 200;
         return padded("e", i - j + 4 * (j % 50) + j / 50);
       }},
      {"shuffled", [&](int i) { return padded("e", shuffled[static_cast<std::size_t>(i)]); }},
      {"mixed", [&](int i) { return Id("e", i); }},  // e10 sorts before e9
  };
  for (const auto& [order, id] : orders) {
    SCOPED_TRACE(order);
    AgentTrust trust = MakeTrust(MakePact({Cond("tpr", "classification.tpr", Op::kGte, 0.9)}));
    for (int i = 0; i < kItems; ++i)
      Apply(trust, TruePositive(id(i), kT0 + i, i % 7 != 0));
    std::mt19937_64 rng(17);
    for (int k = 0; k < 200; ++k) {
      const int i = static_cast<int>(rng() % kItems);
      EXPECT_EQ(trust.Apply(TruePositive(id(i), kT0 + i, true), nullptr).code(),
                Code::kAlreadyExists)
          << i;
    }
    const Score before = trust.Snapshot(kT0 + kItems).reputation;
    // Three misses (β += λ·w = 4 each) corrected to hits (α += w = 2 each): the first applied,
    // one in the middle and one of the last.
    for (int i : {0, 7, 4991}) {
      Evidence dispute = Item(Id("d", i), EvidenceKind::kDisputeResolution, kT0 + kItems);
      dispute.disputed_evidence_id = id(i);
      dispute.dispute_upheld = true;
      dispute.correction = Observations{};
      dispute.correction->classification = LabelPair{"TP", "TP"};
      ASSERT_TRUE(trust.Apply(dispute, nullptr).ok()) << i;
    }
    const Score after = trust.Snapshot(kT0 + kItems).reputation;
    EXPECT_NEAR(before.n - after.n, 3 * (4 - 2), 0.01);  // decay over 5000 s: a hair below 6
    EXPECT_GT(Dimension(after, "accuracy").mean, Dimension(before, "accuracy").mean);
    // Ids never applied: above, below and between those that were.
    for (const std::string& never : {padded("e", kItems + 1), std::string("a"),
                                     padded("e", 7) + "5", Id("e", kItems + 1), std::string("f")}) {
      Evidence unknown = Item("d-none", EvidenceKind::kDisputeResolution, kT0 + kItems);
      unknown.disputed_evidence_id = never;
      unknown.dispute_upheld = true;
      EXPECT_EQ(trust.Apply(unknown, nullptr).code(), Code::kNotFound) << never;
    }
  }
}

// Ids are kept in 1 MiB blocks; one longer than a block gets its own, and those after it go on
// in a new one.
TEST(AgentTrust, IdsLongerThanABlockAreKeptWhole) {
  AgentTrust trust = MakeTrust(MakePact({Cond("tpr", "classification.tpr", Op::kGte, 0.9)}));
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) {
    std::string id = Id("e", 1000 + i);
    if (i == 100) id += std::string(3 << 20, 'x');  // three blocks' worth
    if (i == 200) id += std::string(1 << 20, 'y');  // exactly a block more
    ids.push_back(std::move(id));
  }
  for (int i = 0; i < 300; ++i)
    Apply(trust, TruePositive(ids[static_cast<std::size_t>(i)], kT0 + i, true));
  for (int i = 0; i < 300; ++i) {
    EXPECT_EQ(
        trust.Apply(TruePositive(ids[static_cast<std::size_t>(i)], kT0 + i, true), nullptr).code(),
        Code::kAlreadyExists)
        << i;
  }
  EXPECT_TRUE(trust.Apply(TruePositive(Id("e", 999), kT0 + 400, true), nullptr).ok());
}

TEST(AgentTrust, WithdrawalNeverGoesBelowThePrior) {
  AgentTrust trust = MakeTrust(MakePact({Cond("tpr", "classification.tpr", Op::kGte, 0.9)}));
  Apply(trust, TruePositive("e1", kT0 + 0.1, false));
  Evidence dispute = Item("d1", EvidenceKind::kDisputeResolution, kT0 + 40 * kDay);
  dispute.disputed_evidence_id = "e1";
  dispute.dispute_upheld = true;
  const auto events = Apply(trust, dispute);
  EXPECT_EQ(Count(events, "score.changed"), 1);
  const TrustSnapshot snap = trust.Snapshot(kT0 + 40 * kDay);
  EXPECT_FALSE(snap.reputation.measured);
  const DimensionScore accuracy = Dimension(snap.reputation, "accuracy");
  EXPECT_GE(accuracy.n, 0);
  EXPECT_LE(accuracy.n, 1e-9);
  EXPECT_NEAR(accuracy.mean, 0.5, 1e-12);
}

TEST(AgentTrust, FingerprintChangeMakesCapabilityStaleUntilReevaluated) {
  AgentTrust trust =
      MakeTrust(MakePact({Cond("tpr", "classification.tpr", Op::kGte, 0.9, Severity::kCritical)}));
  std::vector<TrustEvent> events;
  trust.FingerprintChanged(kT0, "fp1", &events);
  EXPECT_TRUE(events.empty());  // the agent's first fingerprint
  double time = kT0;
  for (int i = 0; i < 60; ++i) {
    time += 60;
    Apply(trust, TruePositive(Id("c", i), time, true, EvidenceKind::kEvalCase));
    Apply(trust, TruePositive(Id("p", i), time, true));
  }
  TrustSnapshot snap = trust.Snapshot(time);
  ASSERT_TRUE(snap.capability.measured);
  EXPECT_TRUE(snap.fingerprint_fresh);
  const Tier before = snap.tier;
  EXPECT_GT(before, Tier::kUnrated);

  trust.FingerprintChanged(time, "fp2", &events);
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[0].type, "agent.fingerprint_changed");
  EXPECT_EQ(events[0].data.at("from"), "fp1");
  EXPECT_EQ(events[0].data.at("to"), "fp2");
  EXPECT_EQ(events[0].data.at("cause").at("fingerprint"), "fp2");
  EXPECT_EQ(Count(events, "tier.changed"), 1);
  snap = trust.Snapshot(time);
  EXPECT_FALSE(snap.fingerprint_fresh);
  EXPECT_FALSE(snap.capability.measured);
  EXPECT_TRUE(snap.reputation.measured);
  EXPECT_EQ(snap.tier, Tier::kUnrated);

  // Critical conditions weigh 4: n reaches fresh_after_evidence (20) after five or six new
  // cases (a minute apart, decay takes a hair off the fifth).
  int cases = 0;
  while (!trust.Snapshot(time).fingerprint_fresh && cases < 10) {
    time += 60;
    Apply(trust, TruePositive(Id("n", cases++), time, true, EvidenceKind::kEvalCase));
  }
  EXPECT_GE(cases, 5);
  EXPECT_LE(cases, 6);
  snap = trust.Snapshot(time);
  EXPECT_TRUE(snap.fingerprint_fresh);
  EXPECT_GT(snap.tier, Tier::kUnrated);
  // An upheld dispute of stale evidence changes nothing: it is no longer in the posterior.
  Evidence dispute = Item("d1", EvidenceKind::kDisputeResolution, time);
  dispute.disputed_evidence_id = "c3";
  dispute.dispute_upheld = true;
  const double n = trust.Snapshot(time).capability.n;
  Apply(trust, dispute);
  EXPECT_EQ(trust.Snapshot(time).capability.n, n);
}

TEST(AgentTrust, UnmeasuredDimensionsAreReportedAndLeftOut) {
  AgentTrust trust = MakeTrust(MakePact({}));
  Evidence e = Outcome("e1", EvidenceKind::kProductionOutcome, kT0, "accuracy", 1);
  e.observed.outcomes["safety"] = 1;
  Apply(trust, e);
  const TrustSnapshot snap = trust.Snapshot(kT0);
  EXPECT_FALSE(snap.capability.measured);
  EXPECT_EQ(snap.capability.tier, Tier::kUnrated);
  ASSERT_EQ(snap.reputation.dimensions.size(), 9u);
  double total = 0;
  for (const DimensionScore& d : snap.reputation.dimensions) {
    EXPECT_EQ(d.measured, d.name == "accuracy" || d.name == "safety") << d.name;
    if (!d.measured) {
      EXPECT_EQ(d.weight, 0) << d.name;
    }
    total += d.weight;
  }
  EXPECT_NEAR(total, 1, 1e-12);
  EXPECT_NEAR(Dimension(snap.reputation, "accuracy").weight, 0.20 / 0.32, 1e-12);
  // Both dimensions have mean 2/3.
  EXPECT_EQ(snap.reputation.value, 667);
  const Json explained = trust.Explain(kT0);
  EXPECT_EQ(explained.at("reputation").at("unmeasured").size(), 7u);
  EXPECT_EQ(explained.at("capability").at("measured"), false);
  EXPECT_TRUE(explained.at("capability").at("score").is_null());
}

TEST(AgentTrust, DivergenceIsRaisedOnceUntilItCloses) {
  AgentTrust trust = MakeTrust(MakePact({}));
  double time = kT0;
  for (int i = 0; i < 50; ++i) {
    Apply(trust, Outcome(Id("c", i), EvidenceKind::kEvalCase, time, "accuracy", 1));
  }
  int raised = 0;
  for (int i = 0; i < 20; ++i) {
    time += 60;
    const auto events =
        Apply(trust, Outcome(Id("p", i), EvidenceKind::kProductionOutcome, time, "accuracy", 0));
    raised += Count(events, "score.diverged");
    if (i == 0) {
      ASSERT_EQ(Count(events, "score.diverged"), 1);
      for (const TrustEvent& e : events) {
        if (e.type == "score.diverged") {
          EXPECT_EQ(e.data.at("cause").at("evidence_id"), "p0");
        }
      }
    }
  }
  EXPECT_EQ(raised, 1);
  // The gap closes to just under 150 and opens again: within the hysteresis (10), so not
  // raised again: a gap that sits on 150 would raise it every few items.
  int n = 0;
  auto gap = [&] {
    const TrustSnapshot snap = trust.Snapshot(time);
    return std::abs(snap.capability.value - snap.reputation.value);
  };
  auto apply_until = [&](int outcome, const std::function<bool()>& done) {
    for (int k = 0; k < 1000 && !done(); ++k) {
      time += 60;
      raised += Count(Apply(trust, Outcome(Id("g", n++), EvidenceKind::kProductionOutcome, time,
                                           "accuracy", outcome)),
                      "score.diverged");
    }
  };
  apply_until(1, [&] { return gap() < 150; });
  EXPECT_GT(gap(), 140);  // good outcomes move it a few points at a time
  apply_until(0, [&] { return gap() >= 160; });
  EXPECT_EQ(raised, 1);
  // Closed past the hysteresis (with a point to spare for Apply's view), then apart again:
  // raised once more.
  apply_until(1, [&] { return gap() < 139; });
  EXPECT_EQ(raised, 1);
  apply_until(0, [&] { return raised == 2; });
  EXPECT_EQ(raised, 2);
}

// A lower bound sitting on a tier's minimum does not flip the tier: the agent rises into gold
// only once the bound clears 750 by the hysteresis (10), and falls out of it at once.
TEST(AgentTrust, ATierIsEnteredWithAMarginAndLeftAtOnce) {
  AgentTrust trust = MakeTrust(MakePact({}));
  double time = kT0;
  int n = 0, changes = 0;
  auto rep = [&] { return trust.Snapshot(time).reputation; };
  auto apply = [&](int outcome) {
    time += 60;
    changes += Count(Apply(trust, Outcome(Id("p", n++), EvidenceKind::kProductionOutcome, time,
                                          "accuracy", outcome)),
                     "tier.changed");
  };
  // Held near 700 until there is evidence enough for gold (n ≥ 100): silver.
  while (rep().n < 150)
    apply(rep().lower_bound < 700 ? 1 : 0);
  ASSERT_EQ(trust.Snapshot(time).tier, Tier::kSilver);
  // Up, one success at a time: not gold until 760 (a point either side for Apply's fast view).
  while (rep().lower_bound < 762) {
    apply(1);
    const int lb = rep().lower_bound;
    if (lb >= 750 && lb <= 758) {
      EXPECT_EQ(trust.Snapshot(time).tier, Tier::kSilver) << lb;
    }
  }
  EXPECT_EQ(trust.Snapshot(time).tier, Tier::kGold);
  // Down: silver as soon as the bound is under 750.
  while (rep().lower_bound > 748)
    apply(0);
  EXPECT_EQ(trust.Snapshot(time).tier, Tier::kSilver);
  // And back up to just over 750: still silver, where without the margin it flipped to gold.
  const int before = changes;
  while (rep().lower_bound < 752)
    apply(1);
  ASSERT_LE(rep().lower_bound, 758);
  EXPECT_EQ(trust.Snapshot(time).tier, Tier::kSilver);
  EXPECT_EQ(changes, before);
}

// An agent whose quality does not change keeps its tier: 200,000 triage outcomes, one a minute,
// of an agent with 80-95% TP recall under trust_bench's four-condition pact. Without the
// hysteresis the tier changed 20, 244, 13 and 3 times (80, 85, 90, 95%); with it 4, 10, 7, 3.
TEST(AgentTrust, AStableAgentsTierDoesNotFlap) {
  const std::int64_t week = 7 * 86400;
  const pact::Pact p = MakePact(
      {Cond("tp-recall", "classification.tpr", Op::kGte, 0.9, Severity::kCritical, week, 30),
       Cond("fp-rate", "classification.fpr", Op::kLte, 0.3, Severity::kMajor, week, 30),
       Cond("priority", "priority.accuracy", Op::kGte, 0.7, Severity::kMajor, week, 30),
       Cond("priority-f1", "priority.macro_f1", Op::kGte, 0.6, Severity::kMinor, week, 30)});
  const char* kPriorities[] = {"Low", "Medium", "High", "Critical"};
  for (double recall_rate : {0.80, 0.85, 0.90, 0.95}) {
    SCOPED_TRACE(recall_rate);
    AgentTrust trust = MakeTrust(p);
    std::mt19937_64 rng(7);
    std::bernoulli_distribution is_tp(0.4), recall(recall_rate), fp(0.1), priority(0.85);
    std::uniform_int_distribution<int> cls(0, 3);
    std::vector<TrustEvent> events;
    int changes = 0;
    for (int n = 0; n < 200'000; ++n) {
      Evidence e = Item(Id("e", n), EvidenceKind::kProductionOutcome, kT0 + 60.0 * n);
      const bool tp = is_tp(rng);
      const bool says_tp = tp ? recall(rng) : fp(rng);
      e.observed.classification = LabelPair{says_tp ? "TP" : "FP", tp ? "TP" : "FP"};
      const int actual = cls(rng);
      e.observed.priority =
          LabelPair{kPriorities[priority(rng) ? actual : (actual + 1) % 4], kPriorities[actual]};
      events.clear();
      ASSERT_TRUE(trust.Apply(e, &events).ok());
      changes += Count(events, "tier.changed");
    }
    EXPECT_LE(changes, 15);
  }
}

TEST(AgentTrust, EveryEventCarriesItsCause) {
  AgentTrust trust = MakeTrust(AutonomousPact(
      {Cond("tpr", "classification.tpr", Op::kGte, 0.9, Severity::kCritical, 3600, 10),
       Cond("ok", "outcome.success_rate", Op::kGte, 0.5, Severity::kMajor, 0, 5)}));
  std::mt19937_64 rng(11);
  std::bernoulli_distribution good(0.7);
  std::vector<std::string> types;
  for (int i = 0; i < 400; ++i) {
    Evidence e = TruePositive(Id("e", i), kT0 + 60.0 * i, good(rng),
                              i % 4 ? EvidenceKind::kProductionOutcome : EvidenceKind::kEvalCase);
    e.observed.success = good(rng);
    for (const TrustEvent& event : Apply(trust, e)) {
      ASSERT_TRUE(event.data.contains("cause")) << event.type;
      EXPECT_EQ(event.data.at("cause").at("evidence_id"), e.id) << event.type;
      EXPECT_EQ(event.time, e.time);
      if (event.type == "pact.breached" || event.type == "trust.drift_detected" ||
          event.type == "consequence.applied") {
        EXPECT_TRUE(event.data.at("cause").contains("condition")) << event.type;
      }
      types.push_back(event.type);
    }
  }
  for (const char* type : {"score.changed", "tier.changed", "pact.breached", "consequence.applied",
                           "trust.drift_detected"}) {
    EXPECT_NE(std::find(types.begin(), types.end(), type), types.end()) << type;
  }
}

TEST(AgentTrust, ExplainHasEveryPart) {
  AgentTrust trust = MakeTrust(
      AutonomousPact({Cond("tpr", "classification.tpr", Op::kGte, 0.9),
                      Cond("scope", "actions.taken", Op::kExcludes, 0, Severity::kCritical)}));
  Apply(trust, TruePositive("e1", kT0, true));
  const Json j = trust.Explain(kT0 + 1);
  for (const char* key : {"workflow", "pact", "as_of", "capability", "reputation", "tier",
                          "autonomy", "base_autonomy", "drifting", "fingerprint_fresh",
                          "conditions", "active_consequences", "recent_consequences"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j.at("pact").at("version"), 4);
  EXPECT_EQ(j.at("as_of"), "2026-09-21T14:13:21.000Z");
  for (const char* key : {"score", "lower_bound", "confidence", "n", "tier", "measured",
                          "dimensions", "unmeasured"}) {
    EXPECT_TRUE(j.at("reputation").contains(key)) << key;
  }
  const Json& tpr = j.at("conditions")[0];
  EXPECT_EQ(tpr.at("samples"), 1);
  EXPECT_EQ(tpr.at("value"), 1.0);
  EXPECT_TRUE(tpr.at("drift").at("sprt").is_null());
  EXPECT_TRUE(j.at("conditions")[1].at("drift").is_null());
}

TEST(AgentTrust, SetConditionsJudgeTheActionsTaken) {
  pact::Condition scope = Cond("scope", "actions.taken", Op::kExcludes, 0, Severity::kCritical);
  scope.names = {"delete_mailbox"};
  AgentTrust trust = MakeTrust(AutonomousPact({scope}));
  Evidence ok = Item("e1", EvidenceKind::kProductionOutcome, kT0);
  ok.observed.actions = {"open_ticket"};
  EXPECT_EQ(Count(Apply(trust, ok), "pact.breached"), 0);
  // A critical condition: weight 4.
  EXPECT_DOUBLE_EQ(Dimension(trust.Snapshot(kT0).reputation, "scope_adherence").mean, 5.0 / 6);
  Evidence bad = Item("e2", EvidenceKind::kProductionOutcome, kT0 + 1);
  bad.observed.actions = {"open_ticket", "delete_mailbox"};
  EXPECT_EQ(Count(Apply(trust, bad), "pact.breached"), 1);
  EXPECT_EQ(trust.Snapshot(kT0 + 1).autonomy, Autonomy::kSuspended);
}

// In a finite window, the actions of an item leave the set with it: the forbidden action taken
// once stops failing the condition when it falls out of the window.
TEST(AgentTrust, SetConditionsForgetActionsThatLeaveTheWindow) {
  pact::Condition scope = Cond("scope", "actions.taken", Op::kExcludes, 0, Severity::kMinor,
                               /*window_seconds=*/3600);
  scope.names = {"delete_mailbox"};
  AgentTrust trust = MakeTrust(MakePact({scope}));
  Evidence bad = Item("e1", EvidenceKind::kProductionOutcome, kT0);
  bad.observed.actions = {"open_ticket", "delete_mailbox"};
  EXPECT_EQ(Count(Apply(trust, bad), "pact.breached"), 1);
  Evidence inside = Item("e2", EvidenceKind::kProductionOutcome, kT0 + 1800);
  inside.observed.actions = {"open_ticket"};
  Apply(trust, inside);
  EXPECT_EQ(trust.Explain(kT0 + 1800).at("conditions")[0].at("passing"), false);
  Evidence after = Item("e3", EvidenceKind::kProductionOutcome, kT0 + 4000);
  after.observed.actions = {"close_ticket"};
  Apply(trust, after);
  const Json condition = trust.Explain(kT0 + 4000).at("conditions")[0];
  EXPECT_EQ(condition.at("passing"), true) << condition.dump();
  EXPECT_EQ(condition.at("samples"), 2) << condition.dump();
}

TEST(AgentTrust, BadEvidenceChangesNothing) {
  AgentTrust trust = MakeTrust(MakePact({Cond("tpr", "classification.tpr", Op::kGte, 0.9)}));
  Apply(trust, TruePositive("e1", kT0, true));
  const Json before = trust.Explain(kT0 + 1);
  Evidence other = TruePositive("e2", kT0, true);
  other.workflow = "incident_escalation";
  EXPECT_EQ(trust.Apply(other, nullptr).code(), Code::kInvalidArgument);
  Evidence unknown = TruePositive("e3", kT0, true);
  unknown.observed.outcomes["charm"] = 1;
  const Status status = trust.Apply(unknown, nullptr);
  EXPECT_EQ(status.code(), Code::kInvalidArgument);
  EXPECT_EQ(status.details().value("field", ""), "outcomes.charm");
  EXPECT_EQ(trust.Apply(TruePositive("e1", kT0, false), nullptr).code(), Code::kAlreadyExists);
  Evidence nan = TruePositive("e4", std::nan(""), true);
  EXPECT_EQ(trust.Apply(nan, nullptr).code(), Code::kInvalidArgument);
  Evidence slow = TruePositive("e5", kT0, true);
  slow.observed.latency_ms = -std::numeric_limits<double>::infinity();
  EXPECT_EQ(trust.Apply(slow, nullptr).details().value("field", ""), "latency_ms");
  Evidence over = TruePositive("e6", kT0, true);
  over.observed.scores["grounded"] = 1.5;
  EXPECT_EQ(trust.Apply(over, nullptr).details().value("field", ""), "scores.grounded");
  Evidence correction = Item("e7", EvidenceKind::kDisputeResolution, kT0);
  correction.disputed_evidence_id = "e1";
  correction.dispute_upheld = true;
  correction.correction = Observations{};
  correction.correction->outcomes["accuracy"] = std::nan("");
  EXPECT_EQ(trust.Apply(correction, nullptr).details().value("field", ""),
            "dispute.correction.outcomes.accuracy");
  EXPECT_EQ(trust.Explain(kT0 + 1), before);
}

TEST(AgentTrust, CreateRejectsWhatItCannotMonitor) {
  auto unknown =
      AgentTrust::Create(MakePact({Cond("x", "vibes.mean", Op::kGte, 1)}), TrustConfig::Default());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().details().value("field", ""), "conditions[0].metric");
  pact::Condition c = Cond("x", "classification.tpr", Op::kGte, 0.9);
  c.dimension = "charm";
  auto dimension = AgentTrust::Create(MakePact({c}), TrustConfig::Default());
  ASSERT_FALSE(dimension.ok());
  EXPECT_EQ(dimension.status().details().value("field", ""), "conditions[0].dimension");
  TrustConfig bad = TrustConfig::Default();
  bad.half_life_seconds = 0;
  EXPECT_FALSE(AgentTrust::Create(MakePact({}), bad).ok());
}

TEST(AgentTrust, RebindKeepsUnchangedConditions) {
  pact::Condition p95 = Cond("p95", "latency.p95_ms", Op::kLte, 1000, Severity::kMajor, 3600, 1);
  AgentTrust trust = MakeTrust(AutonomousPact({p95}));
  Evidence slow = Item("s1", EvidenceKind::kProductionOutcome, kT0);
  slow.observed.latency_ms = 5000;
  Apply(trust, slow);
  Apply(trust, TruePositive("e1", kT0, true));
  const double n = trust.Snapshot(kT0).reputation.n;
  ASSERT_EQ(trust.Snapshot(kT0).autonomy, Autonomy::kSupervised);

  pact::Pact v5 = AutonomousPact({p95, Cond("tpr", "classification.tpr", Op::kGte, 0.9)});
  v5.version = 5;
  ASSERT_TRUE(trust.Rebind(v5).ok());
  EXPECT_EQ(trust.pact().version, 5);
  EXPECT_EQ(trust.Snapshot(kT0).autonomy, Autonomy::kSupervised);  // still in breach
  EXPECT_EQ(trust.Snapshot(kT0).reputation.n, n);                  // posteriors kept
  const Json explained = trust.Explain(kT0);
  EXPECT_EQ(explained.at("conditions")[0].at("in_breach"), true);
  EXPECT_EQ(explained.at("conditions")[0].at("samples"), 1);
  EXPECT_EQ(explained.at("conditions")[1].at("samples"), 0);

  // A changed threshold is a new condition: its breach (and consequence) are gone.
  pact::Pact v6 = v5;
  v6.version = 6;
  v6.conditions[0].threshold = 10000;
  ASSERT_TRUE(trust.Rebind(v6).ok());
  EXPECT_EQ(trust.Snapshot(kT0).autonomy, Autonomy::kAutonomous);
  pact::Pact other = v6;
  other.workflow = "incident_escalation";
  EXPECT_FALSE(trust.Rebind(other).ok());
}

}  // namespace
}  // namespace pactum::trust
