#include "pactum/crypto/dsse.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pactum/base/encoding.h"

namespace pactum::crypto {
namespace {

constexpr std::string_view kType = "application/vnd.pactum.test+json";

// The example of the DSSE protocol specification.
TEST(Dsse, PaeSpecExample) {
  EXPECT_EQ(Pae("http://example.com/HelloWorld", "hello world"),
            "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  EXPECT_EQ(Pae("", ""), "DSSEv1 0  0 ");
}

// The envelope of the specification's example parses (its signature is ECDSA, so only the
// structure is checked here).
TEST(Dsse, ParsesSpecEnvelope) {
  auto envelope = DsseEnvelope::Parse(
      R"({"payload": "aGVsbG8gd29ybGQ=", "payloadType": "http://example.com/HelloWorld",
          "signatures": [{"sig": "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA=="}]})");
  ASSERT_TRUE(envelope.ok()) << envelope.status().ToString();
  EXPECT_EQ(envelope->payload, "hello world");
  EXPECT_EQ(envelope->payload_type, "http://example.com/HelloWorld");
  ASSERT_EQ(envelope->signatures.size(), 1u);
  EXPECT_EQ(envelope->signatures[0].keyid, "");
  EXPECT_EQ(envelope->signatures[0].sig.size(), 64u);
}

class DsseSigning : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 3; ++i) {
      auto key = Ed25519PrivateKey::Generate();
      ASSERT_TRUE(key.ok());
      keys_.push_back(*key);
      trusted_.push_back({"key-" + std::to_string(i), key->public_key()});
    }
  }

  DsseEnvelope Signed(const std::vector<int>& signers) {
    DsseEnvelope envelope{R"({"verdict":"benign"})", std::string(kType), {}};
    for (int i : signers) {
      EXPECT_TRUE(SignEnvelope(envelope, "key-" + std::to_string(i), keys_[i]).ok());
    }
    return envelope;
  }

  std::vector<Ed25519PrivateKey> keys_;
  std::vector<DsseTrustedKey> trusted_;
};

TEST_F(DsseSigning, RoundTripThroughJson) {
  const DsseEnvelope envelope = Signed({0});
  const std::string text = envelope.ToJson().dump();
  auto parsed = DsseEnvelope::Parse(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->payload, envelope.payload);
  EXPECT_EQ(parsed->signatures[0].keyid, "key-0");
  auto verified = VerifyEnvelope(*parsed, kType, trusted_, 1);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(*verified, std::vector<std::string>{"key-0"});
}

TEST_F(DsseSigning, AcceptsUrlSafeBase64) {
  Json json = Signed({1}).ToJson();
  for (const char* field : {"payload"}) {
    json[field] = Base64UrlEncode(*Base64Decode(json[field].get<std::string>()));
  }
  json["signatures"][0]["sig"] =
      Base64UrlEncode(*Base64Decode(json["signatures"][0]["sig"].get<std::string>()));
  auto parsed = DsseEnvelope::FromJson(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_TRUE(VerifyEnvelope(*parsed, kType, trusted_, 1).ok());
}

TEST_F(DsseSigning, RejectsBadBase64NamingTheField) {
  Json json = Signed({0}).ToJson();
  json["signatures"][0]["sig"] = "not base64!";
  auto parsed = DsseEnvelope::FromJson(json);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().details()["field"], "signatures[0].sig");
  json = Signed({0}).ToJson();
  json["payload"] = "a+b_";  // mixes the two alphabets
  parsed = DsseEnvelope::FromJson(json);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().details()["field"], "payload");
}

TEST_F(DsseSigning, RejectsMalformedEnvelopes) {
  for (const char* text :
       {R"([])", R"({"payloadType": "t", "signatures": []})",
        R"({"payload": "", "signatures": []})",
        R"({"payload": "", "payloadType": 7, "signatures": []})",
        R"({"payload": "", "payloadType": "t"})",
        R"({"payload": "", "payloadType": "t", "signatures": [1]})",
        R"({"payload": "", "payloadType": "t", "signatures": [{}]})",
        R"({"payload": "", "payloadType": "t", "signatures": [{"sig": "", "keyid": 1}]})",
        R"({"payload": "", "payloadType": "t", "signatures": [}")"}) {
    EXPECT_FALSE(DsseEnvelope::Parse(text).ok()) << text;
  }
}

TEST_F(DsseSigning, RejectsWrongKey) {
  const DsseEnvelope envelope = Signed({0});
  // key-0's signature presented as key-1's, and key-0 absent from the trusted set.
  DsseEnvelope relabelled = envelope;
  relabelled.signatures[0].keyid = "key-1";
  EXPECT_FALSE(VerifyEnvelope(relabelled, kType, trusted_, 1).ok());
  EXPECT_FALSE(VerifyEnvelope(envelope, kType, std::span(trusted_).subspan(1), 1).ok());
}

TEST_F(DsseSigning, RejectsSwappedPayloadTypeOrPayload) {
  DsseEnvelope envelope = Signed({0});
  envelope.payload_type = "application/vnd.pactum.other+json";
  EXPECT_FALSE(VerifyEnvelope(envelope, envelope.payload_type, trusted_, 1).ok());
  EXPECT_FALSE(VerifyEnvelope(envelope, kType, trusted_, 1).ok());
  envelope = Signed({0});
  envelope.payload += " ";
  EXPECT_FALSE(VerifyEnvelope(envelope, kType, trusted_, 1).ok());
}

TEST_F(DsseSigning, ThresholdCountsDistinctKeys) {
  EXPECT_TRUE(VerifyEnvelope(Signed({0, 2}), kType, trusted_, 2).ok());
  EXPECT_FALSE(VerifyEnvelope(Signed({0, 2}), kType, trusted_, 3).ok());
  auto all = VerifyEnvelope(Signed({2, 1, 0}), kType, trusted_, 3);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);
  // The same key twice (identical deterministic signatures) counts once.
  const DsseEnvelope twice = Signed({1, 1});
  ASSERT_EQ(twice.signatures.size(), 2u);
  EXPECT_FALSE(VerifyEnvelope(twice, kType, trusted_, 2).ok());
  // So does the same signature under a second key id that is not that key's.
  DsseEnvelope relabelled = Signed({1});
  relabelled.signatures.push_back({"key-2", relabelled.signatures[0].sig});
  EXPECT_FALSE(VerifyEnvelope(relabelled, kType, trusted_, 2).ok());
  EXPECT_FALSE(VerifyEnvelope(Signed({0}), kType, trusted_, 0).ok());
}

TEST_F(DsseSigning, SignatureWithoutKeyIdIsTriedAgainstEveryKey) {
  DsseEnvelope envelope = Signed({2});
  envelope.signatures[0].keyid.clear();
  auto verified = VerifyEnvelope(envelope, kType, trusted_, 1);
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(*verified, std::vector<std::string>{"key-2"});
}

TEST_F(DsseSigning, RejectsAmbiguousTrustedKeys) {
  std::vector<DsseTrustedKey> trusted = trusted_;
  trusted[1].keyid = "key-0";
  EXPECT_FALSE(VerifyEnvelope(Signed({0}), kType, trusted, 1).ok());
}

}  // namespace
}  // namespace pactum::crypto
