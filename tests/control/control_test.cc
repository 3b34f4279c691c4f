#include "pactum/control/control.h"

#include <atomic>
#include <cmath>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

namespace pactum::control {
namespace {

std::string ReadTestData(const std::string& name) {
  std::ifstream in(std::string(CONTROL_TESTDATA) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in) << "missing fixture " << name;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

pact::Pact SocPact() {
  pact::Pact p;
  p.name = "soc-triage";
  p.version = 1;
  p.workflow = "alert_triage";
  p.agents = {"*"};
  p.owner = "soc-lead";
  p.boundaries =
      pact::Boundaries{{"soc.cedar", ReadTestData("soc.cedar")},
                       pact::BoundaryFile{"soc.cedarschema", ReadTestData("soc.cedarschema")}};
  p.escalate_below_confidence = 0.6;
  p.supervised_sample_rate = 0.1;
  return p;
}

trust::TrustSnapshot Snapshot(pact::Tier tier, pact::Autonomy autonomy, int capability_lb) {
  trust::TrustSnapshot s;
  s.tier = tier;
  s.autonomy = autonomy;
  s.capability.measured = true;
  s.capability.value = capability_lb + 40;
  s.capability.lower_bound = capability_lb;
  s.reputation.measured = true;
  s.reputation.value = 700;
  s.reputation.lower_bound = 650;
  return s;
}

trust::TrustSnapshot Trusted() {
  return Snapshot(pact::Tier::kGold, pact::Autonomy::kAutonomous, 850);
}

DecideRequest Isolate(bool crown_jewel) {
  DecideRequest r;
  r.agent = "triage-bot";
  r.workflow = "alert_triage";
  r.action = "isolate_host";
  r.resource = {"Host", "ws-042", Json{{"hostname", "ws-042"}, {"crown_jewel", crown_jewel}}};
  r.context = Json{{"input", {{"host", "ws-042"}, {"reason", "beaconing to known C2"}}}};
  return r;
}

DecideRequest Close(const std::string& priority) {
  DecideRequest r;
  r.agent = "triage-bot";
  r.action = "close_alert";
  r.resource = {"Alert", "a-17", Json{{"priority", priority}, {"severity", 5}}};
  r.context = Json{{"input", {{"verdict", "benign"}}}};
  return r;
}

class ControlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Boundary> b = Boundary::Compile(pact_);
    ASSERT_TRUE(b.ok()) << b.status().message();
    boundary_.emplace(std::move(*b));
  }

  Decision MustDecide(const DecideRequest& r, const trust::TrustSnapshot& s) {
    Result<Decision> d = Decide(*boundary_, pact_, s, r, sampler_);
    EXPECT_TRUE(d.ok()) << d.status().message();
    return d.ok() ? std::move(*d) : Decision{};
  }

  static std::vector<std::string> CodesOf(const Decision& d) {
    std::vector<std::string> codes;
    for (const Reason& r : d.reasons)
      codes.push_back(r.code);
    return codes;
  }

  pact::Pact pact_ = SocPact();
  std::optional<Boundary> boundary_;
  SeededSampler sampler_{42};
};

using Codes = std::vector<std::string>;

TEST_F(ControlTest, AllowsIsolationByATrustedAgent) {
  Decision d = MustDecide(Isolate(false), Trusted());
  EXPECT_EQ(d.kind, Kind::kAllow);
  EXPECT_EQ(CodesOf(d), Codes({"permit"}));
  EXPECT_EQ(d.reasons[0].policy, "isolate-trusted");
  EXPECT_EQ(d.determining_policies, std::vector<std::string>({"isolate-trusted"}));
  EXPECT_FALSE(d.review);
  EXPECT_FALSE(d.sampled_for_review);
  EXPECT_FALSE(d.shadow_decision);
  EXPECT_TRUE(d.errors.empty());
  EXPECT_EQ(d.trust.capability_lb, 850);
}

TEST_F(ControlTest, DeniesIsolationBelowTheCapabilityGate) {
  Decision d =
      MustDecide(Isolate(false), Snapshot(pact::Tier::kSilver, pact::Autonomy::kAutonomous, 799));
  EXPECT_EQ(d.kind, Kind::kDeny);
  ASSERT_EQ(CodesOf(d), Codes({"no_permit"}));
  EXPECT_EQ(d.reasons[0].message, "no policy permits isolate_host");
  EXPECT_TRUE(d.determining_policies.empty());
}

TEST_F(ControlTest, DeniesCrownJewelsNamingTheForbid) {
  Decision d = MustDecide(Isolate(true), Trusted());
  EXPECT_EQ(d.kind, Kind::kDeny);
  ASSERT_EQ(CodesOf(d), Codes({"forbid"}));
  EXPECT_EQ(d.reasons[0].policy, "crown-jewels");
  EXPECT_EQ(d.reasons[0].message,
            "forbidden by policy crown-jewels: crown-jewel assets are never isolated by an agent");
  EXPECT_FALSE(d.review);
}

TEST_F(ControlTest, EscalatesToTheAnnotatedReviewer) {
  Decision routine = MustDecide(Close("Low"), Trusted());
  EXPECT_EQ(routine.kind, Kind::kAllow);

  Decision d = MustDecide(Close("High"), Trusted());
  EXPECT_EQ(d.kind, Kind::kEscalate);
  ASSERT_EQ(CodesOf(d), Codes({"escalate_policy"}));
  EXPECT_EQ(d.reasons[0].policy, "close-high");
  EXPECT_EQ(d.reviewer, "soc-l2");
  EXPECT_TRUE(d.review);
}

TEST_F(ControlTest, EscalateWithoutAValueGoesToTheOwner) {
  DecideRequest r = Close("High");
  r.action = "enrich_alert";
  r.context = Json::object();
  r.resource.attrs["severity"] = 9;
  Decision d = MustDecide(r, Trusted());
  EXPECT_EQ(d.kind, Kind::kEscalate);
  EXPECT_EQ(CodesOf(d), Codes({"escalate_policy"}));
  EXPECT_EQ(d.reasons[0].policy, "enrich-critical");
  EXPECT_EQ(d.reviewer, "soc-lead");

  r.resource.attrs["severity"] = 8;
  EXPECT_EQ(MustDecide(r, Trusted()).kind, Kind::kAllow);
}

TEST_F(ControlTest, ApprovalAutonomyEscalatesWithTheTrustThatCausedIt) {
  trust::TrustSnapshot s = Snapshot(pact::Tier::kBronze, pact::Autonomy::kApproval, 512);
  s.drifting = true;
  Decision d = MustDecide(Close("Low"), s);
  EXPECT_EQ(d.kind, Kind::kEscalate);
  ASSERT_EQ(CodesOf(d), Codes({"autonomy_approval"}));
  EXPECT_EQ(d.reasons[0].message,
            "autonomy is approval: tier bronze (capability lower bound 512, reputation lower "
            "bound 650), drifting; a human approves each act");
  EXPECT_EQ(d.reviewer, "soc-lead");
  EXPECT_TRUE(d.review);
}

TEST_F(ControlTest, SuspendedAgentsWorkGoesToTheOwner) {
  trust::TrustSnapshot s = Snapshot(pact::Tier::kUnrated, pact::Autonomy::kSuspended, 0);
  s.capability.measured = false;
  Decision d = MustDecide(Close("High"), s);
  EXPECT_EQ(d.kind, Kind::kEscalate);
  EXPECT_EQ(CodesOf(d), Codes({"escalate_policy", "autonomy_suspended"}));
  EXPECT_NE(d.reasons[1].message.find("agent is suspended: tier unrated (capability lower bound "
                                      "unmeasured"),
            std::string::npos)
      << d.reasons[1].message;
  EXPECT_NE(d.reasons[1].message.find("its work goes to the owner soc-lead"), std::string::npos);
  EXPECT_EQ(d.reviewer, "soc-lead");
}

TEST_F(ControlTest, LowConfidenceEscalates) {
  DecideRequest r = Close("Low");
  r.confidence = 0.59;
  Decision d = MustDecide(r, Trusted());
  EXPECT_EQ(d.kind, Kind::kEscalate);
  ASSERT_EQ(CodesOf(d), Codes({"low_confidence"}));
  EXPECT_EQ(d.reasons[0].message,
            "agent confidence 0.59 is below the pact's escalate_below_confidence 0.60");

  r.confidence = 0.6;
  EXPECT_EQ(MustDecide(r, Trusted()).kind, Kind::kAllow);
}

TEST_F(ControlTest, ConfidenceReachesCedarAsALongPercentage) {
  DecideRequest r = Close("Low");
  r.confidence = 0.19;  // close-unsure forbids context.confidence < 20
  Decision d = MustDecide(r, Trusted());
  EXPECT_EQ(d.kind, Kind::kDeny);
  EXPECT_EQ(d.determining_policies, std::vector<std::string>({"close-unsure"}));
  r.confidence = 0.2;
  EXPECT_NE(MustDecide(r, Trusted()).kind, Kind::kDeny);
}

TEST_F(ControlTest, PrincipalCarriesTheTrustAttributes) {
  pact_.boundaries->policies.text = R"(
    permit (principal, action, resource) when {
      principal.tier == "silver" && principal.autonomy == "autonomous" &&
      principal.capability == 640 && principal.capability_lb == 600 &&
      principal.reputation == 700 && principal.reputation_lb == 650 &&
      !principal.drifting && principal.fingerprint_fresh &&
      principal.workflow == "alert_triage" && principal == Agent::"triage-bot" &&
      context.confidence == 90
    };)";
  SetUp();
  DecideRequest r = Close("Low");
  r.confidence = 0.9;
  EXPECT_EQ(MustDecide(r, Snapshot(pact::Tier::kSilver, pact::Autonomy::kAutonomous, 600)).kind,
            Kind::kAllow);
  trust::TrustSnapshot stale = Snapshot(pact::Tier::kSilver, pact::Autonomy::kAutonomous, 600);
  stale.fingerprint_fresh = false;
  EXPECT_EQ(MustDecide(r, stale).kind, Kind::kDeny);
}

TEST_F(ControlTest, SupervisedAllowsAreSampledAtThePactsRate) {
  pact_.supervised_sample_rate = 0.25;
  const trust::TrustSnapshot supervised =
      Snapshot(pact::Tier::kSilver, pact::Autonomy::kSupervised, 650);
  int sampled = 0;
  std::vector<bool> first;
  for (int i = 0; i < 2000; ++i) {
    Decision d = MustDecide(Close("Low"), supervised);
    ASSERT_EQ(d.kind, Kind::kAllow);
    EXPECT_FALSE(d.review);
    first.push_back(d.sampled_for_review);
    if (d.sampled_for_review) {
      ++sampled;
      EXPECT_EQ(CodesOf(d), Codes({"permit", "supervised_sample"}));
    }
  }
  EXPECT_GT(sampled, 400);
  EXPECT_LT(sampled, 600);

  sampler_ = SeededSampler(42);
  for (int i = 0; i < 2000; ++i) {
    ASSERT_EQ(MustDecide(Close("Low"), supervised).sampled_for_review, first[i]) << i;
  }
  // Autonomous agents are never sampled, and a rate of 0 samples nothing.
  for (int i = 0; i < 200; ++i)
    EXPECT_FALSE(MustDecide(Close("Low"), Trusted()).sampled_for_review);
  pact_.supervised_sample_rate = 0;
  for (int i = 0; i < 200; ++i) {
    EXPECT_FALSE(MustDecide(Close("Low"), supervised).sampled_for_review);
  }
}

TEST_F(ControlTest, ShadowModeAnswersAllowAndRecordsTheRealDecision) {
  pact_.mode = pact::Mode::kShadow;
  Decision denied = MustDecide(Isolate(true), Trusted());
  EXPECT_EQ(denied.kind, Kind::kAllow);
  ASSERT_TRUE(denied.shadow_decision);
  EXPECT_EQ(*denied.shadow_decision, Kind::kDeny);
  EXPECT_EQ(CodesOf(denied), Codes({"forbid", "shadow"}));

  Decision escalated = MustDecide(Close("High"), Trusted());
  EXPECT_EQ(escalated.kind, Kind::kAllow);
  EXPECT_EQ(*escalated.shadow_decision, Kind::kEscalate);
  EXPECT_FALSE(escalated.review);
  EXPECT_EQ(escalated.reviewer, "soc-l2");  // who would have reviewed

  Decision allowed = MustDecide(Close("Low"), Trusted());
  EXPECT_EQ(*allowed.shadow_decision, Kind::kAllow);
}

TEST_F(ControlTest, BadContextIsAnErrorNamingTheField) {
  DecideRequest r = Isolate(false);
  r.context["input"]["host"] = 42;
  Result<Decision> d = Decide(*boundary_, pact_, Trusted(), r, sampler_);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(d.status().message().rfind("context.input.host: expected String", 0), 0u)
      << d.status().message();

  r.context = Json::object();
  d = Decide(*boundary_, pact_, Trusted(), r, sampler_);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "context: required attribute `input` is missing");

  r = Isolate(false);
  r.resource.attrs.erase("crown_jewel");
  d = Decide(*boundary_, pact_, Trusted(), r, sampler_);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "resource.attrs: required attribute `crown_jewel` is missing");

  r = Isolate(false);
  r.context["confidence"] = 99;
  d = Decide(*boundary_, pact_, Trusted(), r, sampler_);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message().rfind("context.confidence: reserved", 0), 0u);

  r = Isolate(false);
  r.confidence = 1.5;
  d = Decide(*boundary_, pact_, Trusted(), r, sampler_);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message().rfind("confidence:", 0), 0u);
}

TEST_F(ControlTest, UnknownActionAndWrongResourceAreErrors) {
  DecideRequest r = Isolate(false);
  r.action = "wipe_disk";
  Result<Decision> d = Decide(*boundary_, pact_, Trusted(), r, sampler_);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Code::kNotFound);
  EXPECT_EQ(d.status().message(),
            "action: Action::\"wipe_disk\" is not declared in the pact's schema");

  r = Isolate(false);
  r.resource.type = "Alert";
  d = Decide(*boundary_, pact_, Trusted(), r, sampler_);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Code::kInvalidArgument);
  EXPECT_NE(d.status().message().find("resource type Alert"), std::string::npos)
      << d.status().message();

  r = Isolate(false);
  r.workflow = "threat_intel_synthesis";
  d = Decide(*boundary_, pact_, Trusted(), r, sampler_);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message().rfind("workflow:", 0), 0u);
}

TEST_F(ControlTest, MalformedInputIsAnErrorNeverAnAllow) {
  std::vector<DecideRequest> bad;
  for (Json context :
       {Json::array({1, 2}), Json("input"), Json{{"input", Json::array()}},
        Json{{"input", {{"host", nullptr}}}}, Json{{"input", {{"host", "h"}, {"extra", 1}}}}}) {
    DecideRequest r = Isolate(false);
    r.context = context;
    bad.push_back(r);
  }
  DecideRequest attrs = Isolate(false);
  attrs.resource.attrs = 5;
  bad.push_back(attrs);
  DecideRequest no_agent = Isolate(false);
  no_agent.agent.clear();
  bad.push_back(no_agent);
  DecideRequest nan = Isolate(false);
  nan.confidence = std::nan("");
  bad.push_back(nan);
  for (const DecideRequest& r : bad) {
    Result<Decision> d = Decide(*boundary_, pact_, Trusted(), r, sampler_);
    EXPECT_FALSE(d.ok()) << r.context.dump();
    if (!d.ok()) {
      EXPECT_EQ(d.status().code(), Code::kInvalidArgument) << d.status().message();
    }
  }
}

TEST(ControlNoSchema, AForbidThatErrorsNeverAllows) {
  pact::Pact p = SocPact();
  p.boundaries = pact::Boundaries{{"scripts.cedar", ReadTestData("scripts.cedar")}, std::nullopt};
  Result<Boundary> b = Boundary::Compile(p);
  ASSERT_TRUE(b.ok()) << b.status().message();
  SeededSampler sampler(1);
  DecideRequest r;
  r.agent = "responder";
  r.action = "run_script";
  r.resource = {"Host", "ws-1", Json::object()};
  r.context = Json{{"input", {{"script_hash", "cafe"}}}};
  Result<Decision> ok = Decide(*b, p, Trusted(), r, sampler);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->kind, Kind::kAllow);

  DecideRequest nested = r;
  nested.context = Json::object();
  Json* innermost = &nested.context["input"];
  for (int i = 0; i < 1000; ++i)
    innermost = &(*innermost)["x"];
  *innermost = Json::object();
  Result<Decision> too_deep = Decide(*b, p, Trusted(), nested, sampler);
  ASSERT_FALSE(too_deep.ok());
  EXPECT_EQ(too_deep.status().code(), Code::kInvalidArgument);

  r.context["input"]["script_hash"] = "deadbeef";
  Result<Decision> denied = Decide(*b, p, Trusted(), r, sampler);
  ASSERT_TRUE(denied.ok());
  EXPECT_EQ(denied->kind, Kind::kDeny);

  // Without `input` the forbid errors and Cedar skips it: Cedar allows, Decide must not.
  r.context = Json::object();
  Result<Decision> d = Decide(*b, p, Trusted(), r, sampler);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->kind, Kind::kEscalate);
  ASSERT_EQ(d->errors.size(), 1u);
  EXPECT_EQ(d->errors[0].policy_id, "known-bad-script");
  ASSERT_EQ(d->reasons.size(), 1u);
  EXPECT_EQ(d->reasons[0].code, "forbid_errored");
  EXPECT_EQ(d->reasons[0].policy, "known-bad-script");
  EXPECT_TRUE(d->review);
}

TEST(ControlNoBoundaries, DeniesEverything) {
  pact::Pact p = SocPact();
  p.boundaries.reset();
  Result<Boundary> b = Boundary::Compile(p);
  ASSERT_TRUE(b.ok());
  SeededSampler sampler(1);
  Result<Decision> d = Decide(*b, p, Trusted(), Isolate(false), sampler);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->kind, Kind::kDeny);
  ASSERT_EQ(d->reasons.size(), 1u);
  EXPECT_EQ(d->reasons[0].message, "no policy permits isolate_host");
}

TEST(ControlCompile, BadPoliciesNameTheFile) {
  pact::Pact p = SocPact();
  p.boundaries->policies.text = "permit (principal, action, resource) when { ";
  Result<Boundary> b = Boundary::Compile(p);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().message().rfind("boundaries.policies (soc.cedar)", 0), 0u)
      << b.status().message();
}

TEST_F(ControlTest, ToJsonCarriesTheWholeDecision) {
  pact_.mode = pact::Mode::kShadow;
  Json j = ToJson(MustDecide(Close("High"), Trusted()));
  EXPECT_EQ(j["decision"], "allow");
  EXPECT_EQ(j["shadow_decision"], "escalate");
  EXPECT_EQ(j["reviewer"], "soc-l2");
  EXPECT_EQ(j["review"], false);
  EXPECT_EQ(j["sampled_for_review"], false);
  EXPECT_EQ(j["determining_policies"], Json::array({"close-high"}));
  EXPECT_EQ(j["errors"], Json::array());
  ASSERT_EQ(j["reasons"].size(), 2u);
  EXPECT_EQ(j["reasons"][0]["code"], "escalate_policy");
  EXPECT_EQ(j["reasons"][0]["policy"], "close-high");
  EXPECT_FALSE(j["reasons"][1].contains("policy"));
  EXPECT_EQ(j["trust"]["tier"], "gold");
  EXPECT_EQ(j["trust"]["autonomy"], "autonomous");
  EXPECT_EQ(j["trust"]["capability"],
            (Json{{"value", 890}, {"lower_bound", 850}, {"measured", true}}));
  EXPECT_EQ(j["trust"]["drifting"], false);

  pact_.mode = pact::Mode::kEnforce;
  Json allow = ToJson(MustDecide(Close("Low"), Trusted()));
  EXPECT_FALSE(allow.contains("reviewer"));
  EXPECT_FALSE(allow.contains("shadow_decision"));
}

TEST_F(ControlTest, ConcurrentDecisionsAgree) {
  FastSampler fast;
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        Result<Decision> d = Decide(*boundary_, pact_, Trusted(), Isolate(i % 2 == 0), fast);
        if (!d.ok() || d->kind != (i % 2 == 0 ? Kind::kDeny : Kind::kAllow)) ++wrong;
      }
    });
  }
  for (std::thread& t : threads)
    t.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(Samplers, RatesAtTheEdges) {
  SeededSampler seeded(3);
  FastSampler fast;
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(seeded.Sample(0));
    EXPECT_TRUE(seeded.Sample(1));
    EXPECT_FALSE(fast.Sample(0));
    EXPECT_TRUE(fast.Sample(1));
  }
  int hits = 0;
  for (int i = 0; i < 4000; ++i)
    hits += fast.Sample(0.5) ? 1 : 0;
  EXPECT_GT(hits, 1700);
  EXPECT_LT(hits, 2300);
}

}  // namespace
}  // namespace pactum::control
