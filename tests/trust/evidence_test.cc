#include "pactum/trust/evidence.h"

#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace pactum::trust {
namespace {

constexpr double kDefaultTime = 1'790'000'000;

Json Valid() {
  return Json{{"kind", "production_outcome"},
              {"agent", "triage-1"},
              {"workflow", "alert_triage"},
              {"time", "2026-11-21T20:01:02.345Z"},
              {"severity", "major"},
              {"subject", "alert-42"},
              {"classification", {{"predicted", "TP"}, {"actual", "FP"}}},
              {"priority", {{"predicted", "High"}, {"actual", "Critical"}}},
              {"escalation", {{"escalated", true}, {"needed", false}}},
              {"success", true},
              {"latency_ms", 1234.5},
              {"cost_usd", 0.02},
              {"scores", {{"rationale_grounded", 0.8}}},
              {"checks", {{"json_valid", true}}},
              {"actions", {"isolate_host", "open_ticket"}},
              {"outcomes", {{"safety", 1}}},
              {"id", "ignored"},
              {"idempotency_key", "k"},
              {"pact", "alert-triage@4"},
              {"fingerprint", "abc"}};
}

TEST(EvidenceFromJson, ReadsEveryPart) {
  auto e = EvidenceFromJson(Valid(), kDefaultTime);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->kind, EvidenceKind::kProductionOutcome);
  EXPECT_EQ(e->agent, "triage-1");
  EXPECT_EQ(e->workflow, "alert_triage");
  EXPECT_DOUBLE_EQ(e->time, 1'795'291'262.345);
  EXPECT_EQ(e->severity, pact::Severity::kMajor);
  EXPECT_EQ(e->subject, "alert-42");
  EXPECT_TRUE(e->id.empty());  // the caller assigns ids
  const Observations& o = e->observed;
  ASSERT_TRUE(o.classification);
  EXPECT_EQ(o.classification->predicted, "TP");
  EXPECT_EQ(o.classification->actual, "FP");
  ASSERT_TRUE(o.priority);
  EXPECT_EQ(o.priority->actual, "Critical");
  EXPECT_EQ(o.escalated, true);
  EXPECT_EQ(o.escalation_needed, false);
  EXPECT_EQ(o.success, true);
  EXPECT_EQ(o.latency_ms, 1234.5);
  EXPECT_EQ(o.cost_usd, 0.02);
  EXPECT_EQ(o.scores.at("rationale_grounded"), 0.8);
  EXPECT_EQ(o.checks.at("json_valid"), true);
  EXPECT_EQ(o.actions, (std::vector<std::string>{"isolate_host", "open_ticket"}));
  EXPECT_EQ(o.outcomes.at("safety"), 1);
}

TEST(EvidenceFromJson, DefaultsTimeAndKindParts) {
  auto e =
      EvidenceFromJson(Json{{"kind", "breach"}, {"agent", "a"}, {"workflow", "w"}}, kDefaultTime);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->time, kDefaultTime);
  EXPECT_EQ(e->kind, EvidenceKind::kBreach);
  EXPECT_FALSE(e->severity);

  auto review = EvidenceFromJson(Json{{"kind", "review_resolution"},
                                      {"agent", "a"},
                                      {"workflow", "w"},
                                      {"review", {{"decision", "deny"}, {"review_id", "r1"}}}},
                                 kDefaultTime);
  ASSERT_TRUE(review.ok()) << review.status().ToString();
  EXPECT_EQ(review->review_approved, false);
  EXPECT_EQ(review->review_id, "r1");

  auto dispute = EvidenceFromJson(
      Json{{"kind", "dispute_resolution"},
           {"agent", "a"},
           {"workflow", "w"},
           {"dispute",
            {{"evidence_id", "e1"},
             {"upheld", true},
             {"correction", {{"classification", {{"predicted", "TP"}, {"actual", "TP"}}}}}}}},
      kDefaultTime);
  ASSERT_TRUE(dispute.ok()) << dispute.status().ToString();
  EXPECT_EQ(dispute->disputed_evidence_id, "e1");
  EXPECT_EQ(dispute->dispute_upheld, true);
  ASSERT_TRUE(dispute->correction);
  EXPECT_EQ(dispute->correction->classification->actual, "TP");
}

// Each bad input must fail with the field at fault named in the message and details.
TEST(EvidenceFromJson, RejectsEveryBadFieldByName) {
  const std::vector<std::pair<std::string, Json>> replace = {
      {"kind", "eval"},
      {"kind", 3},
      {"agent", ""},
      {"agent", 1},
      {"workflow", ""},
      {"time", "yesterday"},
      {"time", 1790000000},
      {"severity", "huge"},
      {"subject", 5},
      {"classification", "TP"},
      {"classification.predicted", Json()},
      {"priority.actual", Json()},
      {"escalation", true},
      {"escalation.escalated", Json()},
      {"success", "yes"},
      {"latency_ms", -1},
      {"latency_ms", "fast"},
      {"cost_usd", -0.5},
      {"scores.rationale_grounded", Json()},
      {"scores", Json::array()},
      {"checks.json_valid", Json()},
      {"actions", "isolate_host"},
      {"actions[1]", Json()},
      {"outcomes.safety", Json()},
      {"bogus", 1},
  };
  for (const auto& [field, value] : replace) {
    Json json = Valid();
    const auto dot = field.find('.');
    if (field == "classification.predicted") {
      json["classification"]["predicted"] = "maybe";
    } else if (field == "priority.actual") {
      json["priority"]["actual"] = "Urgent";
    } else if (field == "escalation.escalated") {
      json["escalation"]["escalated"] = "no";
    } else if (field == "scores.rationale_grounded") {
      json["scores"]["rationale_grounded"] = 1.5;
    } else if (field == "checks.json_valid") {
      json["checks"]["json_valid"] = 1;
    } else if (field == "actions[1]") {
      json["actions"][1] = "";
    } else if (field == "outcomes.safety") {
      json["outcomes"]["safety"] = -0.1;
    } else {
      ASSERT_EQ(dot, std::string::npos) << field;
      json[field] = value;
    }
    auto e = EvidenceFromJson(json, kDefaultTime);
    ASSERT_FALSE(e.ok()) << field << " accepted";
    EXPECT_EQ(e.status().code(), Code::kInvalidArgument) << field;
    EXPECT_EQ(e.status().message().rfind(field + ":", 0), 0u) << e.status().message();
    EXPECT_EQ(e.status().details().value("field", ""), field) << e.status().message();
  }
}

TEST(EvidenceFromJson, RejectsMissingAndMisplacedParts) {
  const Json base = {{"agent", "a"}, {"workflow", "w"}};
  auto check = [&](Json json, const std::string& field) {
    for (const auto& [k, v] : base.items()) {
      if (!json.contains(k)) json[k] = v;
    }
    auto e = EvidenceFromJson(json, kDefaultTime);
    ASSERT_FALSE(e.ok()) << json.dump();
    EXPECT_EQ(e.status().details().value("field", ""), field) << e.status().message();
  };
  check(Json{{"agent", "a"}}, "kind");
  check(Json{{"kind", "incident"}, {"agent", Json()}}, "agent");
  auto no_agent = EvidenceFromJson(Json{{"kind", "incident"}, {"workflow", "w"}}, kDefaultTime);
  EXPECT_EQ(no_agent.status().details().value("field", ""), "agent");
  auto no_workflow = EvidenceFromJson(Json{{"kind", "incident"}, {"agent", "a"}}, kDefaultTime);
  EXPECT_EQ(no_workflow.status().details().value("field", ""), "workflow");
  check(Json{{"kind", "review_resolution"}}, "review.decision");
  check(Json{{"kind", "review_resolution"}, {"review", {{"decision", "maybe"}}}},
        "review.decision");
  check(Json{{"kind", "review_resolution"}, {"review", {{"decision", "approve"}, {"x", 1}}}},
        "review.x");
  check(Json{{"kind", "production_outcome"}, {"review", {{"decision", "approve"}}}}, "review");
  check(Json{{"kind", "dispute_resolution"}, {"dispute", {{"upheld", true}}}},
        "dispute.evidence_id");
  check(Json{{"kind", "dispute_resolution"}, {"dispute", {{"evidence_id", "e"}}}},
        "dispute.upheld");
  check(
      Json{{"kind", "dispute_resolution"}, {"dispute", {{"evidence_id", "e"}, {"upheld", "yes"}}}},
      "dispute.upheld");
  check(
      Json{{"kind", "dispute_resolution"},
           {"dispute", {{"evidence_id", "e"}, {"upheld", true}, {"correction", {{"success", 2}}}}}},
      "dispute.correction.success");
  check(
      Json{{"kind", "dispute_resolution"},
           {"dispute", {{"evidence_id", "e"}, {"upheld", true}, {"correction", {{"agent", "b"}}}}}},
      "dispute.correction.agent");
  check(Json{{"kind", "eval_case"}, {"dispute", {{"evidence_id", "e"}, {"upheld", true}}}},
        "dispute");
  EXPECT_FALSE(EvidenceFromJson(Json::array(), kDefaultTime).ok());
}

TEST(EvidenceJson, RoundTrips) {
  auto e = EvidenceFromJson(Valid(), kDefaultTime);
  ASSERT_TRUE(e.ok());
  Evidence original = *e;
  original.id = "0190a5b4-0000-7000-8000-000000000001";
  const Json json = ToJson(original);
  EXPECT_EQ(json.at("id"), original.id);
  auto back = EvidenceFromJson(json, 0);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  Evidence read = *back;
  read.id = original.id;  // ids are the caller's to assign
  EXPECT_EQ(ToJson(read), json);
  EXPECT_EQ(read.time, original.time);

  Evidence dispute;
  dispute.id = "d1";
  dispute.kind = EvidenceKind::kDisputeResolution;
  dispute.agent = "a";
  dispute.workflow = "w";
  dispute.time = 1'790'000'000.5;
  dispute.disputed_evidence_id = "e1";
  dispute.dispute_upheld = true;
  dispute.correction = Observations{};
  dispute.correction->success = false;
  dispute.correction->outcomes["accuracy"] = 0.25;
  auto dispute_back = EvidenceFromJson(ToJson(dispute), 0);
  ASSERT_TRUE(dispute_back.ok()) << dispute_back.status().ToString();
  dispute_back->id = dispute.id;
  EXPECT_EQ(ToJson(*dispute_back), ToJson(dispute));

  Evidence review;
  review.kind = EvidenceKind::kReviewResolution;
  review.agent = "a";
  review.workflow = "w";
  review.review_approved = true;
  review.review_id = "r9";
  auto review_back = EvidenceFromJson(ToJson(review), 0);
  ASSERT_TRUE(review_back.ok()) << review_back.status().ToString();
  EXPECT_EQ(ToJson(*review_back), ToJson(review));
}

// The leaf body is written without building ToJson's document; it must be that document's
// canonical form, byte for byte, or stored leaves would stop matching what replay reads.
TEST(EvidenceJson, WriteCanonicalIsTheCanonicalFormOfToJson) {
  auto canonical = [](const Evidence& e) {
    CanonicalWriter w;
    WriteCanonical(e, w);
    return std::move(w).Finish();
  };
  auto expect_same = [&](const Evidence& e) {
    Result<std::string> written = canonical(e);
    ASSERT_TRUE(written.ok()) << written.status().ToString();
    EXPECT_EQ(*written, *CanonicalJson(ToJson(e)));
  };
  auto every_part = EvidenceFromJson(Valid(), kDefaultTime);
  ASSERT_TRUE(every_part.ok());
  every_part->id = "0190a5b4-0000-7000-8000-000000000001";
  every_part->observed.scores["é-grounded"] = 1e-7;  // a name beyond ASCII, a small number
  every_part->observed.scores["\U0001F600"] = 3;     // one that UTF-16 orders differently
  every_part->observed.outcomes["z"] = -0.0;
  expect_same(*every_part);

  Evidence bare;  // nothing optional: no id, no parts
  bare.kind = EvidenceKind::kIncident;
  bare.agent = "a\"b";
  bare.workflow = "w\n";
  bare.time = 1'790'000'000.0005;  // rounds to the millisecond either way
  expect_same(bare);

  Evidence dispute = bare;
  dispute.kind = EvidenceKind::kDisputeResolution;
  dispute.disputed_evidence_id = "e1";
  dispute.dispute_upheld = false;
  dispute.correction = every_part->observed;
  expect_same(dispute);
  dispute.correction.reset();
  dispute.dispute_upheld.reset();
  expect_same(dispute);

  Evidence review = bare;
  review.kind = EvidenceKind::kReviewResolution;
  review.review_approved = false;
  expect_same(review);
  review.review_approved.reset();
  review.review_id = "r9";
  expect_same(review);

  Evidence breach = bare;
  breach.kind = EvidenceKind::kBreach;
  breach.severity = pact::Severity::kCritical;
  breach.subject = "tp-recall";
  breach.observed.escalation_needed = true;
  breach.observed.latency_ms = 12;
  expect_same(breach);

  Evidence nan = bare;  // no canonical form: the writer says so rather than write one
  nan.observed.cost_usd = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(canonical(nan).status().code(), Code::kInvalidArgument);
}

TEST(EvidenceKind, NamesRoundTrip) {
  for (auto kind : {EvidenceKind::kEvalCase, EvidenceKind::kProductionOutcome,
                    EvidenceKind::kAnalystVerdict, EvidenceKind::kBreach, EvidenceKind::kIncident,
                    EvidenceKind::kReviewResolution, EvidenceKind::kDisputeResolution}) {
    EXPECT_EQ(ParseEvidenceKind(NameOf(kind)), kind);
  }
  EXPECT_FALSE(ParseEvidenceKind("verdict"));
  Evidence e;
  e.kind = EvidenceKind::kEvalCase;
  EXPECT_TRUE(IsCapabilityEvidence(e));
  e.kind = EvidenceKind::kAnalystVerdict;
  EXPECT_FALSE(IsCapabilityEvidence(e));
}

}  // namespace
}  // namespace pactum::trust
