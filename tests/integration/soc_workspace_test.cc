// The SOC workspace (examples/soc/) through the real binary: every pact lints, and the
// trust-gated boundary rules of docs/SOC.md decide as documented under `pactum policy check`.
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pactum/base/json.h"

#include "harness.h"

namespace pactum::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const fs::path kSoc = fs::path(PACTUM_SOURCE_DIR) / "examples" / "soc";

// The trust an agent's principal carries (docs/DECIDE.md).
struct Trust {
  std::string tier = "silver";
  std::int64_t capability_lb = 600;
  std::int64_t reputation_lb = 600;
  bool drifting = false;
  std::string workflow = "alert_triage";
};

class SocWorkspaceTest : public ::testing::Test {
 protected:
  // Decides `action` on `resource` ({type, id, attrs}) for an agent with `trust`, under the
  // workflow's Cedar file and the shared schema; returns {decision, reasons, errors}.
  Json Decide(const std::string& cedar_file, const Trust& trust, const std::string& action,
              const Json& resource, const Json& context = Json::object()) {
    Json agent = {{"uid", {{"type", "Agent"}, {"id", "agent"}}},
                  {"attrs",
                   {{"tier", trust.tier},
                    {"autonomy", "autonomous"},
                    {"capability", trust.capability_lb + 50},
                    {"capability_lb", trust.capability_lb},
                    {"reputation", trust.reputation_lb + 50},
                    {"reputation_lb", trust.reputation_lb},
                    {"drifting", trust.drifting},
                    {"fingerprint_fresh", true},
                    {"workflow", trust.workflow}}},
                  {"parents", Json::array()}};
    Json target = {{"uid", {{"type", resource["type"]}, {"id", resource["id"]}}},
                   {"attrs", resource["attrs"]},
                   {"parents", Json::array()}};
    Json request = {{"principal", "Agent::\"agent\""},
                    {"action", "Action::\"" + action + "\""},
                    {"resource", {{"type", resource["type"]}, {"id", resource["id"]}}},
                    {"context", context}};
    const fs::path entities = dir_.path() / "entities.json";
    const fs::path request_file = dir_.path() / "request.json";
    std::ofstream(entities) << Json::array({agent, target}).dump();
    std::ofstream(request_file) << request.dump();
    std::string out, err;
    const int rc = RunPactum({"policy", "check", "--policies", (kSoc / cedar_file).string(),
                              "--schema", (kSoc / "soc.cedarschema").string(), "--entities",
                              entities.string(), "--request", request_file.string(), "--json"},
                             &out, &err);
    EXPECT_EQ(rc, 0) << err;
    Result<Json> json = ParseJson(out);
    EXPECT_TRUE(json.ok()) << out;
    return json.ok() ? *json : Json::object();
  }

  // Whether the policy with this id in the file carries @escalate (Decide then sends an
  // allowed act to review instead of letting it run).
  static bool Escalates(const std::string& cedar_file, const std::string& policy_id) {
    const std::string text = ReadAll(kSoc / cedar_file);
    const std::size_t at = text.find("@id(\"" + policy_id + "\")");
    if (at == std::string::npos) return false;
    const std::size_t effect = std::min(text.find("permit", at), text.find("forbid", at));
    return text.substr(at, effect - at).find("@escalate") != std::string::npos;
  }

  static Json Alert(const std::string& priority) {
    return {{"type", "Alert"}, {"id", "a-1"}, {"attrs", {{"priority", priority}}}};
  }
  static Json Host(bool crown_jewel) {
    return {
        {"type", "Host"},
        {"id", "h-1"},
        {"attrs", {{"hostname", crown_jewel ? "dc01" : "ws-042"}, {"crown_jewel", crown_jewel}}}};
  }
  static Json FalsePositive() { return {{"input", {{"verdict", "false_positive"}}}}; }
  static Json ForIncident() { return {{"input", {{"incident", "INC-7"}}}}; }

  TempDir dir_;
};

std::vector<std::string> Reasons(const Json& answer) {
  std::vector<std::string> out;
  for (const Json& r : answer.value("reasons", Json::array()))
    out.push_back(r.get<std::string>());
  return out;
}

TEST_F(SocWorkspaceTest, EveryPactLints) {
  std::string out, err;
  const int rc = RunPactum(
      {"pact", "lint", (kSoc / "alert-triage.yaml").string(),
       (kSoc / "incident-escalation.yaml").string(), (kSoc / "playbook-routing.yaml").string(),
       (kSoc / "threat-intel-synthesis.yaml").string()},
      &out, &err);
  EXPECT_EQ(rc, 0) << out << err;
  EXPECT_THAT(out, HasSubstr("alert-triage.yaml: ok (pact alert-triage v1"));
  EXPECT_THAT(out, HasSubstr("incident-escalation.yaml: ok (pact incident-escalation v1"));
  EXPECT_THAT(out, HasSubstr("playbook-routing.yaml: ok (pact playbook-routing v1"));
  EXPECT_THAT(out, HasSubstr("threat-intel-synthesis.yaml: ok (pact threat-intel-synthesis v1"));
}

TEST_F(SocWorkspaceTest, ClosingAHighNeedsACapabilityLowerBoundOf800) {
  Trust trust;
  trust.capability_lb = 700;
  Json answer = Decide("alert-triage.cedar", trust, "close_alert", Alert("High"), FalsePositive());
  EXPECT_EQ(answer["decision"], "deny");
  EXPECT_THAT(Reasons(answer), ElementsAre());

  trust.capability_lb = 850;
  answer = Decide("alert-triage.cedar", trust, "close_alert", Alert("High"), FalsePositive());
  EXPECT_EQ(answer["decision"], "allow");
  EXPECT_THAT(Reasons(answer), ElementsAre("closing-a-high-needs-proven-capability"));
  EXPECT_FALSE(Escalates("alert-triage.cedar", "closing-a-high-needs-proven-capability"));
}

TEST_F(SocWorkspaceTest, TriageClosesRoutineFalsePositivesWhateverItsCapability) {
  Trust trust;
  trust.tier = "unrated";
  trust.capability_lb = 0;
  for (const char* priority : {"Low", "Medium"}) {
    Json answer =
        Decide("alert-triage.cedar", trust, "close_alert", Alert(priority), FalsePositive());
    EXPECT_EQ(answer["decision"], "allow") << priority;
    EXPECT_THAT(Reasons(answer), ElementsAre("triage-closes-routine-false-positives"));
  }
  // A true positive is not the triage agent's to close.
  Json answer = Decide("alert-triage.cedar", trust, "close_alert", Alert("Low"),
                       {{"input", {{"verdict", "resolved"}}}});
  EXPECT_EQ(answer["decision"], "deny");
}

TEST_F(SocWorkspaceTest, CriticalsAndDriftingAgentsAreHeldBack) {
  Trust trust;
  trust.capability_lb = 950;
  Json answer =
      Decide("alert-triage.cedar", trust, "close_alert", Alert("Critical"), FalsePositive());
  EXPECT_EQ(answer["decision"], "allow");
  EXPECT_THAT(Reasons(answer), ElementsAre("closing-a-critical-needs-approval"));
  EXPECT_TRUE(Escalates("alert-triage.cedar", "closing-a-critical-needs-approval"));

  trust.drifting = true;
  answer = Decide("alert-triage.cedar", trust, "close_alert", Alert("High"), FalsePositive());
  EXPECT_EQ(answer["decision"], "deny");
  EXPECT_THAT(Reasons(answer), ElementsAre("drifting-agents-close-only-low"));
  answer = Decide("alert-triage.cedar", trust, "close_alert", Alert("Low"), FalsePositive());
  EXPECT_EQ(answer["decision"], "allow");
}

TEST_F(SocWorkspaceTest, TriageNeverContains) {
  Trust trust;
  trust.tier = "platinum";
  trust.capability_lb = 990;
  Json answer = Decide("alert-triage.cedar", trust, "isolate_host", Host(false), ForIncident());
  EXPECT_EQ(answer["decision"], "deny");
  EXPECT_THAT(Reasons(answer), ElementsAre("triage-never-contains"));
}

TEST_F(SocWorkspaceTest, IsolationNeedsAnIncidentAgentAtGold) {
  Trust trust;
  trust.workflow = "incident_escalation";
  trust.tier = "silver";
  Json answer =
      Decide("incident-escalation.cedar", trust, "isolate_host", Host(false), ForIncident());
  EXPECT_EQ(answer["decision"], "deny");
  EXPECT_THAT(Reasons(answer), ElementsAre("containment-needs-gold"));

  trust.tier = "gold";
  answer = Decide("incident-escalation.cedar", trust, "isolate_host", Host(false), ForIncident());
  EXPECT_EQ(answer["decision"], "allow");
  EXPECT_THAT(Reasons(answer), ElementsAre("isolate-ordinary-hosts"));

  // A gold agent of another workflow under this boundary is still refused.
  trust.workflow = "playbook_routing";
  answer = Decide("incident-escalation.cedar", trust, "isolate_host", Host(false), ForIncident());
  EXPECT_EQ(answer["decision"], "deny");
}

TEST_F(SocWorkspaceTest, IsolatingACrownJewelEscalatesOrIsDenied) {
  Trust trust;
  trust.workflow = "incident_escalation";
  for (const char* tier : {"gold", "platinum"}) {
    trust.tier = tier;
    Json answer =
        Decide("incident-escalation.cedar", trust, "isolate_host", Host(true), ForIncident());
    EXPECT_EQ(answer["decision"], "allow") << tier;
    EXPECT_THAT(Reasons(answer), ElementsAre("isolate-crown-jewel-needs-approval"));
  }
  EXPECT_TRUE(Escalates("incident-escalation.cedar", "isolate-crown-jewel-needs-approval"));

  trust.tier = "silver";
  Json answer =
      Decide("incident-escalation.cedar", trust, "isolate_host", Host(true), ForIncident());
  EXPECT_EQ(answer["decision"], "deny");

  trust.tier = "platinum";
  trust.drifting = true;
  answer = Decide("incident-escalation.cedar", trust, "isolate_host", Host(true), ForIncident());
  EXPECT_EQ(answer["decision"], "deny");
  EXPECT_THAT(Reasons(answer), ElementsAre("drifting-agents-do-not-contain"));
}

TEST_F(SocWorkspaceTest, PrivilegedAccountsAreDisabledWithApproval) {
  Trust trust;
  trust.workflow = "incident_escalation";
  trust.tier = "gold";
  Json account = {{"type", "Account"},
                  {"id", "u-1"},
                  {"attrs", {{"name", "svc-backup"}, {"privileged", true}}}};
  Json answer =
      Decide("incident-escalation.cedar", trust, "disable_account", account, ForIncident());
  EXPECT_EQ(answer["decision"], "allow");
  EXPECT_THAT(Reasons(answer), ElementsAre("disable-privileged-account-needs-approval"));
  EXPECT_TRUE(Escalates("incident-escalation.cedar", "disable-privileged-account-needs-approval"));
  account["attrs"]["privileged"] = false;
  answer = Decide("incident-escalation.cedar", trust, "disable_account", account, ForIncident());
  EXPECT_THAT(Reasons(answer), ElementsAre("disable-ordinary-accounts"));
}

TEST_F(SocWorkspaceTest, DestructivePlaybooksNeedProvenTrustOrApproval) {
  Trust trust;
  trust.workflow = "playbook_routing";
  Json playbook = {{"type", "Playbook"},
                   {"id", "pb-1"},
                   {"attrs", {{"name", "quarantine-mailbox"}, {"destructive", true}}}};
  trust.tier = "silver";
  trust.capability_lb = 700;
  trust.reputation_lb = 700;
  Json answer = Decide("playbook-routing.cedar", trust, "run_playbook", playbook, ForIncident());
  EXPECT_EQ(answer["decision"], "allow");
  EXPECT_THAT(Reasons(answer), ElementsAre("destructive-playbook-needs-approval"));
  EXPECT_TRUE(Escalates("playbook-routing.cedar", "destructive-playbook-needs-approval"));

  trust.tier = "gold";
  trust.capability_lb = 820;
  trust.reputation_lb = 760;
  answer = Decide("playbook-routing.cedar", trust, "run_playbook", playbook, ForIncident());
  EXPECT_THAT(Reasons(answer), ElementsAre("run-destructive-playbooks"));

  trust.tier = "bronze";
  playbook["attrs"]["destructive"] = false;
  answer = Decide("playbook-routing.cedar", trust, "run_playbook", playbook, ForIncident());
  EXPECT_EQ(answer["decision"], "deny");
}

TEST_F(SocWorkspaceTest, IntelIsPublishedByTlpAndNeverActs) {
  Trust trust;
  trust.workflow = "threat_intel_synthesis";
  trust.reputation_lb = 750;
  auto report = [](const char* tlp) {
    return Json{
        {"type", "IntelReport"}, {"id", "r-1"}, {"attrs", {{"tlp", tlp}, {"audience", "soc"}}}};
  };
  Json answer = Decide("threat-intel-synthesis.cedar", trust, "publish_intel", report("GREEN"));
  EXPECT_THAT(Reasons(answer), ElementsAre("publish-clear-and-green"));
  answer = Decide("threat-intel-synthesis.cedar", trust, "publish_intel", report("AMBER"));
  EXPECT_THAT(Reasons(answer), ElementsAre("publish-amber-needs-approval"));
  EXPECT_TRUE(Escalates("threat-intel-synthesis.cedar", "publish-amber-needs-approval"));
  answer = Decide("threat-intel-synthesis.cedar", trust, "publish_intel", report("RED"));
  EXPECT_EQ(answer["decision"], "deny");
  EXPECT_THAT(Reasons(answer), ElementsAre("red-is-never-published-by-an-agent"));

  trust.reputation_lb = 650;
  answer = Decide("threat-intel-synthesis.cedar", trust, "publish_intel", report("GREEN"));
  EXPECT_EQ(answer["decision"], "deny");

  Json ioc = {{"type", "Ioc"},
              {"id", "i-1"},
              {"attrs", {{"kind", "ipv4"}, {"value", "203.0.113.7"}, {"confidence", 99}}}};
  answer = Decide("threat-intel-synthesis.cedar", trust, "block_ioc", ioc);
  EXPECT_EQ(answer["decision"], "deny");
  EXPECT_THAT(Reasons(answer), ElementsAre("intel-never-acts"));
}

}  // namespace
}  // namespace pactum::testing
