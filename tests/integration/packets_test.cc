// Trust packets through the real binary: `pactum packet` writes the signed JSON and the HTML
// page, `pactum verify` accepts the packet offline and rejects, with a reason, one with a changed
// payload byte, one checked against the wrong key and one whose proof is another leaf's; the
// page renders in headless Chromium and holds every section.
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "pactum/base/encoding.h"
#include "pactum/crypto/dsse.h"
#include "pactum/crypto/ed25519.h"

#include "fixtures.h"
#include "harness.h"

namespace pactum::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPolicies = R"(@id("may-triage")
permit(principal, action in [Action::"classify_alert", Action::"isolate_host"], resource);

@id("accounts-need-a-lead")
@escalate("soc-lead")
@reason("disabling an account locks a person out")
permit(principal, action == Action::"disable_account", resource);

@id("no-isolation-on-low-trust")
forbid(principal, action == Action::"isolate_host", resource)
unless { principal.capability_lb >= 800 };
)";

constexpr const char* kPact = fixtures::kTriagePact;

constexpr const char* kSections[] = {"identity",    "pacts",     "controls",
                                     "scores",      "scorecard", "consequences",
                                     "escalations", "freshness", "log"};

class PacketsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.path() / "triage.cedar") << kPolicies;
    std::ofstream(dir_.path() / "triage.yaml") << kPact;
    server_ = ServerProcess::Start(data());
    ASSERT_NE(server_, nullptr);
    key_ = server_->bootstrap_key();
    auto c = server_->client();
    Json agent = {{"id", "tri-1"},
                  {"display_name", "Triage <one>"},
                  {"owner", "soc-l1"},
                  {"model", "m-1"},
                  {"assets", {{"system_prompt", "p"}}}};
    auto registered = c.Post("/v1/agents", agent.dump(), key_);
    ASSERT_EQ(registered.status, 201) << registered.body;
    std::string out, err;
    ASSERT_EQ(RunPactum({"pact", "publish", (dir_.path() / "triage.yaml").string(), "--server",
                         server_->url(), "--key", key_},
                        &out, &err),
              0)
        << err;
    for (const char* actual : {"TP", "FP", "TP"}) {
      Json e = {{"kind", "analyst_verdict"},
                {"agent", "tri-1"},
                {"workflow", "alert_triage"},
                {"classification", {{"predicted", "TP"}, {"actual", actual}}}};
      ASSERT_EQ(c.Post("/v1/evidence", e.dump(), key_).status, 201);
    }
    Json decide = {{"agent", "tri-1"},
                   {"workflow", "alert_triage"},
                   {"action", "disable_account"},
                   {"resource", {{"type", "Account"}, {"id", "u-1"}}}};
    auto d = c.Post("/v1/decide", decide.dump(), key_);
    ASSERT_EQ(d.status, 200) << d.body;
    ASSERT_EQ(d.json()["decision"], "escalate") << d.body;
    WriteAll(keys(), Pactum({"log", "public-key", "--data", data().string()}));
  }

  fs::path data() const { return dir_.path() / "data"; }
  fs::path keys() const { return dir_.path() / "keys.txt"; }
  fs::path out() const { return dir_.path() / "out"; }

  std::string Pactum(const std::vector<std::string>& args) {
    std::string o, e;
    EXPECT_EQ(RunPactum(args, &o, &e), 0) << e;
    return o;
  }
  // Writes the packet files; returns the envelope.
  Json MakePacket() {
    Pactum({"packet", "--agent", "tri-1", "--workflow", "alert_triage", "--out", out().string(),
            "--server", server_->url(), "--key", key_});
    return Json::parse(ReadAll(out() / "packet.json"));
  }
  // `pactum verify`: the exit code; `message` gets what it printed.
  int Verify(const fs::path& file, const fs::path& key_file, std::string* message) {
    std::string o, e;
    const int code = RunPactum({"verify", file.string(), "--key", key_file.string()}, &o, &e);
    *message = o + e;
    return code;
  }
  static Json Statement(const Json& envelope) {
    return Json::parse(*Base64Decode(envelope["payload"].get<std::string>()));
  }
  // The statement signed again with the server's own key, as a forger holding it could not
  // avoid: only the checks past the signature can catch what was changed.
  Json Resign(const Json& statement) {
    auto key = crypto::Ed25519PrivateKey::FromPem(ReadAll(data() / "log-key.pem"));
    EXPECT_TRUE(key.ok()) << key.status().message();
    crypto::DsseEnvelope envelope;
    envelope.payload = statement.dump();
    envelope.payload_type = "application/vnd.in-toto+json";
    EXPECT_TRUE(crypto::SignEnvelope(envelope, key->public_key().Fingerprint(), *key).ok());
    return envelope.ToJson();
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string key_;
};

TEST_F(PacketsTest, APacketCarriesEveryPartAndVerifiesOffline) {
  Json envelope = MakePacket();
  EXPECT_EQ(envelope["payloadType"], "application/vnd.in-toto+json");
  Json statement = Statement(envelope);
  EXPECT_EQ(statement["_type"], "https://in-toto.io/Statement/v1");
  EXPECT_EQ(statement["predicateType"], "https://pactum.dev/trust-packet/v1");
  const Json& p = statement["predicate"];
  EXPECT_EQ(statement["subject"][0]["digest"]["sha256"], p["agent"]["fingerprint"]);
  EXPECT_EQ(p["agent"]["versions"].size(), 1u);
  ASSERT_EQ(p["pacts"].size(), 1u);
  EXPECT_EQ(p["pacts"][0]["mode"], "enforce");
  EXPECT_TRUE(p["pacts"][0]["in_force"].get<bool>());
  EXPECT_EQ(p["pacts"][0]["hash"].get<std::string>().size(), 64u);

  // The controls map: which policy enforces what.
  ASSERT_EQ(p["controls"].size(), 3u) << p["controls"].dump();
  const Json& lead = p["controls"][1];
  EXPECT_EQ(lead["policy"], "accounts-need-a-lead");
  EXPECT_EQ(lead["effect"], "permit");
  EXPECT_EQ(lead["actions"], Json::array({"disable_account"}));
  EXPECT_EQ(lead["escalates_to"], "soc-lead");
  EXPECT_EQ(lead["annotations"]["reason"], "disabling an account locks a person out");
  EXPECT_EQ(p["controls"][0]["actions"], Json::array({"classify_alert", "isolate_host"}));
  EXPECT_EQ(p["controls"][2]["effect"], "forbid");

  EXPECT_TRUE(p["scores"]["reputation"].contains("lower_bound")) << p["scores"].dump();
  auto changes = server_->client().Get(
      "/v1/events?agent=tri-1&workflow=alert_triage&type=score.changed", key_);
  EXPECT_EQ(p["score_history"], changes.json()["events"]);
  EXPECT_EQ(p["scorecard"]["classification"]["n"], 3);
  EXPECT_EQ(p["escalations"]["pending"], 1);
  EXPECT_EQ(p["escalations"]["total"], 1);
  EXPECT_EQ(p["freshness"]["newest_by_kind"]["analyst_verdict"]["count"], 3);
  EXPECT_FALSE(p["freshness"]["capability_stale"].get<bool>());

  // Proofs of the agent version, the pact version and every listed event.
  const Json& log = p["log"];
  std::size_t events = p["score_history"].size();
  for (const auto& [name, list] : p["consequences"].items())
    events += list.size();
  EXPECT_EQ(log["proofs"].size(), 2 + events) << log.dump();
  EXPECT_EQ(log["proofs"][0]["cites"], "agent.version");
  EXPECT_EQ(log["proofs"][1]["cites"], "pact.version");

  std::string message;
  EXPECT_EQ(Verify(out() / "packet.json", keys(), &message), 0) << message;
  EXPECT_NE(message.find("verified trust packet: agent tri-1 in alert_triage"), std::string::npos)
      << message;
  EXPECT_NE(message.find(std::to_string(log["proofs"].size()) + " inclusion proofs"),
            std::string::npos)
      << message;

  // The same packet over HTTP, for a read-only key; bad requests name the field.
  auto c = server_->client();
  Json reader_body = {{"name", "auditor"}, {"scopes", {"read"}}};
  const std::string reader = c.Post("/v1/keys", reader_body.dump(), key_).json()["secret"];
  auto answered = c.Post("/v1/packets", R"({"agent":"tri-1","workflow":"alert_triage"})", reader);
  ASSERT_EQ(answered.status, 200) << answered.body;
  EXPECT_EQ(Statement(answered.json())["predicate"]["agent"]["id"], "tri-1");
  auto missing = c.Post("/v1/packets", R"({"agent":"tri-1"})", reader);
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.json()["error"]["details"]["field"], "workflow") << missing.body;
  EXPECT_EQ(c.Post("/v1/packets", R"({"agent":"nobody","workflow":"alert_triage"})", reader).status,
            404);
  EXPECT_EQ(c.Post("/v1/packets", R"({"agent":"tri-1","workflow":"nothing"})", reader).status, 404);
  EXPECT_EQ(
      c.Post("/v1/packets", R"({"agent":"tri-1","workflow":"alert_triage","x":1})", reader).status,
      400);
}

TEST_F(PacketsTest, ATamperedPacketIsRejectedWithTheReason) {
  Json envelope = MakePacket();
  std::string message;

  // One changed byte in the payload.
  std::string payload = *Base64Decode(envelope["payload"].get<std::string>());
  const std::size_t at = payload.find("alert_triage");
  ASSERT_NE(at, std::string::npos);
  payload[at] = 'A';
  Json changed = envelope;
  changed["payload"] = Base64Encode(payload);
  WriteAll(dir_.path() / "changed.json", changed.dump());
  EXPECT_EQ(Verify(dir_.path() / "changed.json", keys(), &message), 1);
  EXPECT_NE(message.find("signature"), std::string::npos) << message;

  // Another key.
  auto other = crypto::Ed25519PrivateKey::Generate();
  ASSERT_TRUE(other.ok());
  WriteAll(dir_.path() / "other.pem", *other->public_key().ToPem());
  EXPECT_EQ(Verify(out() / "packet.json", dir_.path() / "other.pem", &message), 1);
  EXPECT_NE(message.find("signature"), std::string::npos) << message;

  // A proof of another leaf in place of the agent version's, signed anew with the right key.
  Json statement = Statement(envelope);
  Json& proofs = statement["predicate"]["log"]["proofs"];
  ASSERT_GE(proofs.size(), 2u);
  proofs[0]["index"] = proofs[1]["index"];
  proofs[0]["proof"] = proofs[1]["proof"];
  WriteAll(dir_.path() / "swapped.json", Resign(statement).dump());
  EXPECT_EQ(Verify(dir_.path() / "swapped.json", keys(), &message), 1);
  EXPECT_NE(message.find("log.proofs[0] (agent.version"), std::string::npos) << message;

  // A leaf whose content was changed no longer hashes to its proof.
  statement = Statement(envelope);
  std::string leaf = statement["predicate"]["log"]["proofs"][1]["leaf"];
  leaf[leaf.find("triage")] = 'T';
  statement["predicate"]["log"]["proofs"][1]["leaf"] = leaf;
  WriteAll(dir_.path() / "leaf.json", Resign(statement).dump());
  EXPECT_EQ(Verify(dir_.path() / "leaf.json", keys(), &message), 1);
  EXPECT_NE(message.find("log.proofs[1] (pact.version"), std::string::npos) << message;
  EXPECT_NE(message.find("does not hash to leaf_hash"), std::string::npos) << message;

  // A checkpoint that is not the log's.
  statement = Statement(envelope);
  std::string note = statement["predicate"]["log"]["checkpoint"];
  const std::size_t size_line = note.find('\n') + 1;
  note[size_line] = note[size_line] == '9' ? '8' : '9';
  statement["predicate"]["log"]["checkpoint"] = note;
  WriteAll(dir_.path() / "checkpoint.json", Resign(statement).dump());
  EXPECT_EQ(Verify(dir_.path() / "checkpoint.json", keys(), &message), 1);
  EXPECT_NE(message.find("log: checkpoint"), std::string::npos) << message;

  // The untouched packet still verifies after all that.
  EXPECT_EQ(Verify(out() / "packet.json", keys(), &message), 0) << message;
}

TEST_F(PacketsTest, TheHtmlPageRendersInHeadlessChromiumWithEverySection) {
  MakePacket();
  const std::string html = ReadAll(out() / "packet.html");
  // Self-contained: nothing is fetched.
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_NE(html.find("Triage &lt;one&gt;"), std::string::npos) << "values are escaped";

  if (std::system("command -v chromium >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "chromium is not installed (apt-get install chromium): the page was not "
                    "rendered";
  const std::string flags = " --headless --no-sandbox --disable-gpu --hide-scrollbars";
  const std::string page = "file://" + (out() / "packet.html").string();
  const fs::path png = dir_.path() / "packet.png";
  const std::string shot = "timeout 120 chromium" + flags +
                           " --window-size=1280,3000 --screenshot=" + png.string() + " " + page +
                           " >/dev/null 2>&1";
  ASSERT_EQ(std::system(shot.c_str()), 0) << shot;
  const std::string image = ReadAll(png);
  ASSERT_GT(image.size(), 1000u);
  EXPECT_EQ(image.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));

  const fs::path dom = dir_.path() / "dom.html";
  const std::string dump = "timeout 120 chromium" + flags + " --dump-dom " + page + " > " +
                           dom.string() + " 2>/dev/null";
  ASSERT_EQ(std::system(dump.c_str()), 0) << dump;
  const std::string text = ReadAll(dom);
  for (const char* id : kSections)
    EXPECT_NE(text.find("<section id=\"" + std::string(id) + "\">"), std::string::npos)
        << "section " << id << " is missing from the rendered page";
  for (const char* words :
       {"Trust packet: tri-1 in alert_triage", "accounts-need-a-lead", "soc-lead", "Capability",
        "Reputation", "TP/FP classification", "Escalations", "Signed checkpoint", "agent.version"})
    EXPECT_NE(text.find(words), std::string::npos) << words;
}

}  // namespace
}  // namespace pactum::testing
