#include "pactum/crypto/ed25519.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "pactum/base/encoding.h"
#include "pactum/base/json.h"

namespace pactum::crypto {
namespace {

std::string Unhex(std::string_view hex) {
  auto bytes = HexDecode(hex);
  EXPECT_TRUE(bytes.ok()) << hex;
  return bytes.ok() ? *bytes : std::string();
}

// RFC 8032 §7.1, TEST 1 and TEST 2.
TEST(Ed25519, Rfc8032Vectors) {
  auto key = Ed25519PrivateKey::FromSeed(
      Unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(HexEncode(key->public_key().bytes()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  auto sig = key->Sign("");
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(HexEncode(*sig),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc6"
            "1e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(key->public_key().Verify("", *sig).ok());

  auto key2 = Ed25519PrivateKey::FromSeed(
      Unhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
  ASSERT_TRUE(key2.ok());
  auto sig2 = key2->Sign(Unhex("72"));
  ASSERT_TRUE(sig2.ok());
  EXPECT_EQ(HexEncode(*sig2),
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e45"
            "8f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
}

TEST(Ed25519, SignVerifyAndTamper) {
  auto key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  auto sig = key->Sign("evidence");
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->size(), kEd25519SignatureSize);
  EXPECT_TRUE(key->public_key().Verify("evidence", *sig).ok());
  EXPECT_FALSE(key->public_key().Verify("evidencf", *sig).ok());
  std::string flipped = *sig;
  flipped[10] ^= 1;
  EXPECT_FALSE(key->public_key().Verify("evidence", flipped).ok());
  EXPECT_FALSE(key->public_key().Verify("evidence", sig->substr(0, 63)).ok());
  EXPECT_FALSE(key->public_key().Verify("evidence", *sig + "x").ok());
  auto other = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->public_key() == key->public_key());
  EXPECT_FALSE(other->public_key().Verify("evidence", *sig).ok());
}

TEST(Ed25519, SeedAndPemRoundTrips) {
  auto key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  auto from_seed = Ed25519PrivateKey::FromSeed(key->Seed());
  ASSERT_TRUE(from_seed.ok());
  EXPECT_EQ(from_seed->public_key(), key->public_key());

  auto pem = key->ToPem();
  ASSERT_TRUE(pem.ok());
  EXPECT_TRUE(pem->starts_with("-----BEGIN PRIVATE KEY-----\n")) << *pem;  // PKCS#8
  auto from_pem = Ed25519PrivateKey::FromPem(*pem);
  ASSERT_TRUE(from_pem.ok()) << from_pem.status().ToString();
  EXPECT_EQ(from_pem->Seed(), key->Seed());

  auto public_pem = key->public_key().ToPem();
  ASSERT_TRUE(public_pem.ok());
  EXPECT_TRUE(public_pem->starts_with("-----BEGIN PUBLIC KEY-----\n"));
  auto public_key = Ed25519PublicKey::FromPem(*public_pem);
  ASSERT_TRUE(public_key.ok()) << public_key.status().ToString();
  EXPECT_EQ(*public_key, key->public_key());
  EXPECT_EQ(public_key->Fingerprint().size(), 64u);
}

// The Wycheproof key as PEM (from the vector file's publicKeyPem).
TEST(Ed25519, ParsesForeignPublicKeyPem) {
  auto key = Ed25519PublicKey::FromPem(
      "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAfU0Of2FTpptiQrUiq77mhf2kQg+INLEIw72uNp71Sfo=\n"
      "-----END PUBLIC KEY-----\n");
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(HexEncode(key->bytes()),
            "7d4d0e7f6153a69b6242b522abbee685fda4420f8834b108c3bdae369ef549fa");
}

TEST(Ed25519, RejectsMalformedKeys) {
  EXPECT_FALSE(Ed25519PrivateKey::FromSeed(std::string(31, 'k')).ok());
  EXPECT_FALSE(Ed25519PrivateKey::FromSeed(std::string(33, 'k')).ok());
  EXPECT_FALSE(Ed25519PublicKey::FromBytes(std::string(31, 'k')).ok());
  EXPECT_FALSE(Ed25519PrivateKey::FromPem("not a key").ok());
  EXPECT_FALSE(
      Ed25519PublicKey::FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
          .ok());
  // A P-256 key is a valid PEM key but not an Ed25519 one.
  const char* p256 =
      "-----BEGIN PUBLIC KEY-----\n"
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAElMBLljtAE2InTDyUx7oGJ/VpZqZn\n"
      "dC3cTuonEYcuHv4wO1TMKFRWGdVBO4kfrcqoOt6YTKUcoVHCRVSSjiwx/Q==\n"
      "-----END PUBLIC KEY-----\n";
  auto not_ed = Ed25519PublicKey::FromPem(p256);
  ASSERT_FALSE(not_ed.ok());
  EXPECT_NE(not_ed.status().message().find("not an Ed25519"), std::string::npos)
      << not_ed.status().ToString();
  // An encrypted key is refused, never prompted for on a terminal.
  EXPECT_FALSE(Ed25519PrivateKey::FromPem(
                   "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
                   "MIGbMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAgxh4ynGhZ20gICCAAw\n"
                   "DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEELAl19swzywc4bVmm7rE+3UEQD2W\n"
                   "rHgvovRFXv8R9TT6C45t6wfSFYMSeoq2/vLdchE1IzuReGqe9Ptqx90e1cW8OFn0\n"
                   "5Fk5wZeQFLv+yKf//Eg=\n"
                   "-----END ENCRYPTED PRIVATE KEY-----\n")
                   .ok());
  // A public key where a private key is expected.
  auto key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  EXPECT_FALSE(Ed25519PrivateKey::FromPem(*key->public_key().ToPem()).ok());
}

// Wycheproof: every "valid" case verifies and every "invalid" one is rejected.
TEST(Ed25519, WycheproofVectors) {
  const std::filesystem::path path =
      std::filesystem::path(PACTUM_SHARED_DATA) / "vectors/ed25519/wycheproof_ed25519_test.json";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "missing " << path;
  std::stringstream text;
  text << in.rdbuf();
  auto json = ParseJson(text.str());
  ASSERT_TRUE(json.ok()) << json.status().ToString();

  int accepted_valid = 0, rejected_invalid = 0, total = 0;
  for (const Json& group : json->at("testGroups")) {
    auto key =
        Ed25519PublicKey::FromBytes(Unhex(group.at("publicKey").at("pk").get<std::string>()));
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    for (const Json& test : group.at("tests")) {
      ++total;
      const bool valid = test.at("result") == "valid";
      const Status status = key->Verify(Unhex(test.at("msg").get<std::string>()),
                                        Unhex(test.at("sig").get<std::string>()));
      EXPECT_EQ(status.ok(), valid)
          << "tcId " << test.at("tcId") << " (" << test.at("comment") << "): " << status.ToString();
      if (valid && status.ok()) ++accepted_valid;
      if (!valid && !status.ok()) ++rejected_invalid;
    }
  }
  EXPECT_EQ(total, json->at("numberOfTests").get<int>());
  EXPECT_EQ(total, 151);
  EXPECT_EQ(accepted_valid, 88);
  EXPECT_EQ(rejected_invalid, 63);
}

}  // namespace
}  // namespace pactum::crypto
