#include "pactum/crypto/statement.h"

#include <string>

#include <gtest/gtest.h>

#include "pactum/base/json.h"
#include "pactum/crypto/dsse.h"

namespace pactum::crypto {
namespace {

const std::string kDigest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

Statement Example() {
  Statement statement;
  statement.subject.push_back({"agent:triage-7", {{"sha256", kDigest}}});
  statement.predicate_type = "https://pactum.dev/trust-score/v1";
  statement.predicate = {{"score", 0.93}, {"tier", "supervised"}};
  return statement;
}

TEST(Statement, BuildsTheSpecShape) {
  auto json = Example().ToJson();
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  EXPECT_EQ(*json, Json::parse(R"({
    "_type": "https://in-toto.io/Statement/v1",
    "subject": [{"name": "agent:triage-7", "digest": {"sha256": ")" +
                               kDigest + R"("}}],
    "predicateType": "https://pactum.dev/trust-score/v1",
    "predicate": {"score": 0.93, "tier": "supervised"}})"));
  auto parsed = Statement::FromJson(*json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->subject[0].name, "agent:triage-7");
  EXPECT_EQ(parsed->subject[0].digest.at("sha256"), kDigest);
  EXPECT_EQ(parsed->predicate, Example().predicate);
}

TEST(Statement, OptionalFieldsAndUnknownFields) {
  auto parsed = Statement::Parse(R"({"_type": "https://in-toto.io/Statement/v1",
      "subject": [{"digest": {"sha256": ")" +
                                 kDigest + R"(", "gitCommit": "abc"}, "uri": "x"}],
      "predicateType": "https://example.com/p", "futureField": 1})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->subject[0].name, "");
  EXPECT_EQ(parsed->subject[0].digest.size(), 2u);
  EXPECT_EQ(parsed->predicate, Json::object());
  auto json = parsed->ToJson();
  ASSERT_TRUE(json.ok());
  EXPECT_FALSE(json->contains("predicate"));
}

// Each broken statement is rejected with the JSON path of the field at fault.
TEST(Statement, RejectionsNameTheField) {
  const Json good = *Example().ToJson();
  struct Case {
    const char* field;
    Json value;  // null: remove the field
    const char* want;
  };
  const std::vector<Case> cases = {
      {"_type", nullptr, "_type"},
      {"_type", "https://in-toto.io/Statement/v0.1", "_type"},
      {"subject", nullptr, "subject"},
      {"subject", Json::array(), "subject"},
      {"subject", Json::object(), "subject"},
      {"subject", Json::array({"x"}), "subject[0]"},
      {"subject", Json::array({{{"name", "a"}}}), "subject[0].digest"},
      {"subject", Json::array({{{"digest", Json::object()}}}), "subject[0].digest"},
      {"subject", Json::array({{{"digest", {{"sha256", "ABC"}}}}}), "subject[0].digest.sha256"},
      {"subject", Json::array({{{"digest", {{"sha256", std::string(64, 'A')}}}}}),
       "subject[0].digest.sha256"},
      {"subject", Json::array({{{"digest", {{"sha256", 5}}}}}), "subject[0].digest.sha256"},
      {"subject", Json::array({{{"name", 5}, {"digest", {{"sha256", kDigest}}}}}),
       "subject[0].name"},
      {"predicateType", nullptr, "predicateType"},
      {"predicateType", "", "predicateType"},
      {"predicateType", 3, "predicateType"},
      {"predicate", "text", "predicate"},
  };
  for (const Case& c : cases) {
    Json broken = good;
    if (c.value.is_null()) {
      broken.erase(c.field);
    } else {
      broken[c.field] = c.value;
    }
    auto parsed = Statement::FromJson(broken);
    ASSERT_FALSE(parsed.ok()) << broken.dump();
    EXPECT_EQ(parsed.status().details()["field"], c.want) << parsed.status().ToString();
  }
  EXPECT_FALSE(Statement::Parse("[1, 2]").ok());
  EXPECT_FALSE(Statement::Parse("{").ok());
  Statement empty;
  EXPECT_FALSE(empty.ToJson().ok());
}

// An attestation: the statement as the payload of a signed DSSE envelope.
TEST(Statement, TravelsInDsse) {
  auto key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  DsseEnvelope envelope{Example().ToJson()->dump(), std::string(kInTotoPayloadType), {}};
  ASSERT_TRUE(SignEnvelope(envelope, key->public_key().Fingerprint(), *key).ok());
  const std::vector<DsseTrustedKey> trusted = {
      {key->public_key().Fingerprint(), key->public_key()}};
  ASSERT_TRUE(VerifyEnvelope(envelope, kInTotoPayloadType, trusted, 1).ok());
  auto statement = Statement::Parse(envelope.payload);
  ASSERT_TRUE(statement.ok());
  EXPECT_EQ(statement->predicate_type, "https://pactum.dev/trust-score/v1");
}

}  // namespace
}  // namespace pactum::crypto
