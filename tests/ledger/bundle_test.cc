#include "pactum/ledger/bundle.h"

#include <random>

#include <gtest/gtest.h>

#include "pactum/base/encoding.h"
#include "pactum/crypto/dsse.h"

namespace pactum::ledger {
namespace {

namespace fs = std::filesystem;

class BundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pactum-bundle-" + std::to_string(std::random_device{}()));
    auto store = store::Store::Open(dir_);
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
    auto ledger = Ledger::Open(*store_);
    ASSERT_TRUE(ledger.ok());
    ledger_ = std::move(*ledger);
    for (int i = 0; i < 13; ++i)
      ASSERT_TRUE(ledger_->Append({"decision", "acme", FromUnixMillis(i), Json{{"i", i}}}).ok());
    auto pem = ledger_->Verifiers()[0].key().ToPem();
    ASSERT_TRUE(pem.ok());
    auto keys = ParseTrustedKeys(*pem);
    ASSERT_TRUE(keys.ok()) << keys.status().message();
    keys_ = *keys;
  }
  void TearDown() override {
    ledger_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  Json Inclusion(std::uint64_t index, std::uint64_t size) {
    auto proof = ledger_->ProveInclusion(index, size);
    EXPECT_TRUE(proof.ok());
    auto leaf = ledger_->Leaf(index);
    EXPECT_TRUE(leaf.ok());
    return InclusionBundle(*proof, leaf->data);
  }

  Json Consistency(std::uint64_t from, std::uint64_t to) {
    auto proof = ledger_->ProveConsistency(from, to);
    EXPECT_TRUE(proof.ok());
    return ConsistencyBundle(*proof);
  }

  // The reason `text` was rejected; fails the test if it was accepted.
  std::string Rejected(const std::string& text, const TrustedKeys& keys) {
    auto verified = VerifyArtifact(text, keys, {});
    EXPECT_FALSE(verified.ok()) << "accepted: " << text;
    if (verified.ok()) return "";
    EXPECT_FALSE(verified.status().message().empty());
    return verified.status().message();
  }
  std::string Rejected(const Json& bundle) { return Rejected(bundle.dump(), keys_); }

  TrustedKeys OtherKey() {
    auto key = crypto::Ed25519PrivateKey::Generate();
    auto keys = ParseTrustedKeys(*key->public_key().ToPem());
    return *keys;
  }

  fs::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Ledger> ledger_;
  TrustedKeys keys_;
};

TEST_F(BundleTest, GoodArtifactsVerifyWithPemOrNoteKeys) {
  auto vkey_keys =
      ParseTrustedKeys("# the log's key\n" + ledger_->Verifiers()[0].ToString() + "\n");
  ASSERT_TRUE(vkey_keys.ok()) << vkey_keys.status().message();
  for (const TrustedKeys& keys : {keys_, *vkey_keys}) {
    auto checkpoint = VerifyArtifact(ledger_->Checkpoint()->note, keys, {});
    ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().message();
    EXPECT_EQ(checkpoint->kind, "checkpoint");
    for (std::uint64_t i = 0; i < 13; i += 4) {
      auto inclusion = VerifyArtifact(Inclusion(i, 13).dump(), keys, {});
      ASSERT_TRUE(inclusion.ok()) << inclusion.status().message();
      EXPECT_EQ(inclusion->kind, "inclusion");
    }
    auto consistency = VerifyArtifact(Consistency(5, 13).dump(), keys, {});
    ASSERT_TRUE(consistency.ok()) << consistency.status().message();
    EXPECT_EQ(consistency->kind, "consistency");
  }
}

TEST_F(BundleTest, RejectsTamperedInclusionBundles) {
  const Json good = Inclusion(6, 13);
  Json truncated = good;
  truncated["proof"].erase(truncated["proof"].size() - 1);
  EXPECT_NE(Rejected(truncated).find("proof"), std::string::npos);

  Json wrong_size = good;
  wrong_size["size"] = 12;
  EXPECT_NE(Rejected(wrong_size).find("checkpoint: is of size 13"), std::string::npos);

  Json wrong_index = good;
  wrong_index["index"] = 7;
  EXPECT_NE(Rejected(wrong_index).find("proof"), std::string::npos);

  Json bad_base64 = good;
  bad_base64["proof"][0] = "not base64!";
  EXPECT_NE(Rejected(bad_base64).find("proof[0]: bad base64"), std::string::npos);
  bad_base64 = good;
  bad_base64["leaf_hash"] = "AAAA=";
  EXPECT_NE(Rejected(bad_base64).find("leaf_hash"), std::string::npos);

  Json other_leaf = good;
  other_leaf["leaf"] = good["leaf"].get<std::string>() + " ";
  EXPECT_NE(Rejected(other_leaf).find("leaf: does not hash"), std::string::npos);

  Json swapped_hash = Inclusion(5, 13);
  swapped_hash["leaf_hash"] = good["leaf_hash"];
  swapped_hash.erase("leaf");
  EXPECT_NE(Rejected(swapped_hash).find("proof"), std::string::npos);

  Json unknown = good;
  unknown["extra"] = 1;
  EXPECT_NE(Rejected(unknown).find("extra: unknown field"), std::string::npos);

  Json negative = good;
  negative["index"] = -1;
  EXPECT_NE(Rejected(negative).find("index"), std::string::npos);

  Json edited_note = good;
  std::string note = good["checkpoint"];
  note[note.find('\n') + 1] = '9';  // the size line
  edited_note["checkpoint"] = note;
  EXPECT_NE(Rejected(edited_note).find("checkpoint"), std::string::npos);

  EXPECT_FALSE(Rejected(good.dump(), OtherKey()).empty());
  EXPECT_FALSE(Rejected(good.dump().substr(0, good.dump().size() / 2), keys_).empty());
}

TEST_F(BundleTest, RejectsTamperedConsistencyBundles) {
  const Json good = Consistency(4, 13);
  Json truncated = good;
  truncated["proof"].erase(0);
  EXPECT_NE(Rejected(truncated).find("proof"), std::string::npos);
  Json wrong_from = good;
  wrong_from["from"] = 5;
  EXPECT_NE(Rejected(wrong_from).find("from_checkpoint"), std::string::npos);
  Json swapped = good;
  swapped["from_checkpoint"] = Consistency(5, 13)["from_checkpoint"];
  swapped["from"] = 5;
  EXPECT_NE(Rejected(swapped).find("proof"), std::string::npos);
  EXPECT_FALSE(Rejected(good.dump(), OtherKey()).empty());
  Json kind = good;
  kind["kind"] = "pactum.log.other/v1";
  EXPECT_NE(Rejected(kind).find("kind"), std::string::npos);
}

TEST_F(BundleTest, RejectsBadCheckpoints) {
  const std::string note = ledger_->Checkpoint()->note;
  EXPECT_FALSE(Rejected(note, OtherKey()).empty());
  EXPECT_FALSE(Rejected(note.substr(0, note.size() - 10), keys_).empty());
  std::string other_root = note;
  other_root[other_root.find('\n', other_root.find('\n') + 1) + 1] ^= 1;
  EXPECT_FALSE(Rejected(other_root, keys_).empty());
  EXPECT_FALSE(Rejected("", keys_).empty());
  EXPECT_FALSE(Rejected("[1]", keys_).empty());
}

TEST_F(BundleTest, VerifiesDsseEnvelopesAndRejectsSwappedTypes) {
  auto key = crypto::Ed25519PrivateKey::Generate();
  crypto::DsseEnvelope envelope;
  envelope.payload = R"({"_type":"https://in-toto.io/Statement/v1"})";
  envelope.payload_type = "application/vnd.in-toto+json";
  ASSERT_TRUE(crypto::SignEnvelope(envelope, key->public_key().Fingerprint(), *key).ok());
  auto keys = ParseTrustedKeys(*key->public_key().ToPem());
  ASSERT_TRUE(keys.ok());
  auto verified = VerifyArtifact(envelope.ToJson().dump(), *keys, {});
  ASSERT_TRUE(verified.ok()) << verified.status().message();
  EXPECT_EQ(verified->kind, "envelope");

  crypto::DsseEnvelope swapped = envelope;
  swapped.payload_type = "application/json";
  EXPECT_FALSE(Rejected(swapped.ToJson().dump(), *keys).empty());
  VerifyOptions json_type;
  json_type.payload_type = "application/json";
  EXPECT_FALSE(
      VerifyArtifact(swapped.ToJson().dump(), *keys, json_type).ok());  // signature covers the type

  EXPECT_FALSE(Rejected(envelope.ToJson().dump(), keys_).empty());  // wrong key
  Json bad = envelope.ToJson();
  bad["signatures"][0]["sig"] = "%%%";
  EXPECT_FALSE(Rejected(bad.dump(), *keys).empty());
}

TEST(TrustedKeysTest, RejectsFilesWithoutValidKeys) {
  EXPECT_FALSE(ParseTrustedKeys("").ok());
  EXPECT_FALSE(ParseTrustedKeys("# nothing\n").ok());
  EXPECT_FALSE(ParseTrustedKeys("example.com+12345678+AAAA\n").ok());
  EXPECT_FALSE(ParseTrustedKeys("-----BEGIN PUBLIC KEY-----\nAAAA\n").ok());
}

}  // namespace
}  // namespace pactum::ledger
