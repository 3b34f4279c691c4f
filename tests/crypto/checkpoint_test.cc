#include "pactum/crypto/checkpoint.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pactum/base/encoding.h"

namespace pactum::crypto {
namespace {

constexpr std::string_view kOrigin = "example.com/behind-the-sofa";

// The body of the checkpoint example in the tlog-checkpoint specification.
TEST(Checkpoint, ParsesSpecExample) {
  auto checkpoint = Checkpoint::FromText(
      "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().ToString();
  EXPECT_EQ(checkpoint->origin, kOrigin);
  EXPECT_EQ(checkpoint->size, 20852163u);
  EXPECT_EQ(Base64Encode(AsBytes(checkpoint->root)),
            "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
  EXPECT_TRUE(checkpoint->extensions.empty());
}

TEST(Checkpoint, TextRoundTripWithExtensions) {
  Checkpoint checkpoint{std::string(kOrigin), 0, Sha256(""), {"ext one", "ext two"}};
  auto text = checkpoint.ToText();
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text,
            "example.com/behind-the-sofa\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next "
            "one\next two\n");
  auto parsed = Checkpoint::FromText(*text);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, checkpoint);
  checkpoint.extensions = {""};
  EXPECT_FALSE(checkpoint.ToText().ok());
  checkpoint.extensions = {"a\nb"};
  EXPECT_FALSE(checkpoint.ToText().ok());
  checkpoint.extensions.clear();
  checkpoint.origin = "";
  EXPECT_FALSE(checkpoint.ToText().ok());
}

TEST(Checkpoint, StrictBody) {
  const std::string root = "\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
  struct Case {
    std::string text;
    int line;  // 0: no particular line
  };
  const std::vector<Case> cases = {
      {"o\n1" + root.substr(0, root.size() - 1), 0},  // no final newline
      {"o\n1\n", 0},                                  // no root
      {"\n1" + root, 1},
      {"o\n01" + root, 2},
      {"o\n00" + root, 2},
      {"o\n-1" + root, 2},
      {"o\n+1" + root, 2},
      {"o\n1 " + root, 2},
      {"o\n0x1" + root, 2},
      {"o\n18446744073709551616" + root, 2},
      {"o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw==\n", 3},  // 31 bytes
      {"o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n", 3},   // unpadded
      {"o\n1" + root + "\n", 4},                                    // empty extension
      {"o\n1" + root + "ext\n\n", 5},
  };
  for (const Case& c : cases) {
    auto parsed = Checkpoint::FromText(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    if (c.line != 0) {
      EXPECT_EQ(parsed.status().details()["line"], c.line) << parsed.status().ToString();
    }
  }
  auto max = Checkpoint::FromText("o\n18446744073709551615" + root);
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(max->size, 18446744073709551615u);
}

class SignedCheckpoints : public ::testing::Test {
 protected:
  static NoteSigner NewSigner() {
    auto key = Ed25519PrivateKey::Generate();
    EXPECT_TRUE(key.ok());
    auto signer = NoteSigner::Create(std::string(kOrigin), *key);
    EXPECT_TRUE(signer.ok());
    return *signer;
  }
  static Checkpoint At(std::uint64_t size) {
    return {std::string(kOrigin), size, Sha256("root " + std::to_string(size)), {}};
  }
  static std::string Sign(const Checkpoint& checkpoint, const NoteSigner& signer) {
    auto note = SignCheckpoint(checkpoint, std::span(&signer, 1));
    EXPECT_TRUE(note.ok()) << note.status().ToString();
    return note.ok() ? *note : std::string();
  }
};

TEST_F(SignedCheckpoints, SignAndOpen) {
  const NoteSigner log = NewSigner();
  const std::string note = Sign(At(42), log);
  const std::vector<NoteVerifier> verifiers = {log.verifier()};
  auto opened = OpenCheckpoint(note, kOrigin, verifiers);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, At(42));
  EXPECT_FALSE(OpenCheckpoint(note, "example.com/other", verifiers).ok());
  const std::vector<NoteVerifier> stranger = {NewSigner().verifier()};
  EXPECT_FALSE(OpenCheckpoint(note, kOrigin, stranger).ok());
  std::string tampered = note;
  tampered[kOrigin.size() + 1] = '7';  // 42 -> 72
  EXPECT_FALSE(OpenCheckpoint(tampered, kOrigin, verifiers).ok());
}

// After rotation the log signs with its new key; checkpoints signed with the old one keep
// verifying for clients that trust both, and a witness cosignature is ignored.
TEST_F(SignedCheckpoints, KeyRotationKeepsOldCheckpointsVerifiable) {
  const NoteSigner old_key = NewSigner();
  const NoteSigner new_key = NewSigner();
  ASSERT_NE(old_key.key_id(), new_key.key_id());
  const std::string before = Sign(At(10), old_key);
  const std::string after = Sign(At(20), new_key);
  const std::vector<NoteVerifier> both = {new_key.verifier(), old_key.verifier()};
  EXPECT_TRUE(OpenCheckpoint(before, kOrigin, both).ok());
  EXPECT_TRUE(OpenCheckpoint(after, kOrigin, both).ok());
  const std::vector<NoteVerifier> only_new = {new_key.verifier()};
  EXPECT_FALSE(OpenCheckpoint(before, kOrigin, only_new).ok());

  auto witness_key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(witness_key.ok());
  auto witness = NoteSigner::Create("witness.example/w1", *witness_key);
  ASSERT_TRUE(witness.ok());
  const std::vector<NoteSigner> signers = {new_key, *witness};
  auto cosigned = SignCheckpoint(At(20), signers);
  ASSERT_TRUE(cosigned.ok());
  auto opened = OpenCheckpoint(*cosigned, kOrigin, only_new);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->size, 20u);
}

}  // namespace
}  // namespace pactum::crypto
