#include "pactum/crypto/signed_note.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace pactum::crypto {
namespace {

// The keys and notes of golang.org/x/mod/sumdb/note's tests, the reference implementation.
constexpr std::string_view kPeterVkey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr std::string_view kPeterSkey =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr std::string_view kEnochVkey =
    "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const std::string kText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
const std::string kPeterSig =
    "— PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const std::string kEnochSig =
    "— EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/"
    "5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

NoteVerifier Verifier(std::string_view vkey) {
  auto v = NoteVerifier::Parse(vkey);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return *v;
}

TEST(SignedNote, ParsesReferenceKeys) {
  const NoteVerifier peter = Verifier(kPeterVkey);
  EXPECT_EQ(peter.name(), "PeterNeumann");
  EXPECT_EQ(peter.key_id(), 0xc74f20a3u);
  EXPECT_EQ(peter.ToString(), kPeterVkey);
  EXPECT_EQ(NoteKeyId("PeterNeumann", peter.key()), 0xc74f20a3u);

  auto signer = NoteSigner::Parse(kPeterSkey);
  ASSERT_TRUE(signer.ok()) << signer.status().ToString();
  EXPECT_EQ(signer->verifier().ToString(), kPeterVkey);
  EXPECT_EQ(signer->ToString(), kPeterSkey);
}

TEST(SignedNote, RejectsMangledVerifierKeys) {
  // Every proper substring and every single-byte change of the key must be refused.
  std::string vkey(kPeterVkey);
  for (std::size_t i = 0; i <= vkey.size(); ++i) {
    for (std::size_t j = i + 1; j <= vkey.size(); ++j) {
      if (i == 0 && j == vkey.size()) continue;
      EXPECT_FALSE(NoteVerifier::Parse(vkey.substr(i, j - i)).ok()) << vkey.substr(i, j - i);
    }
  }
  for (std::size_t i = 0; i < vkey.size(); ++i) {
    ++vkey[i];
    EXPECT_FALSE(NoteVerifier::Parse(vkey).ok()) << vkey;
    --vkey[i];
  }
  // Wrong key length and unknown algorithm, each with a matching key id.
  EXPECT_FALSE(NoteVerifier::Parse(
                   "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")
                   .ok());
  EXPECT_FALSE(
      NoteVerifier::Parse("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
          .ok());
}

TEST(SignedNote, KeyNames) {
  EXPECT_TRUE(ValidateNoteKeyName("example.com/log").ok());
  EXPECT_TRUE(ValidateNoteKeyName("quasimodo.example/salvatore").ok());
  EXPECT_FALSE(ValidateNoteKeyName("").ok());
  EXPECT_FALSE(ValidateNoteKeyName("a+b").ok());
  EXPECT_FALSE(ValidateNoteKeyName("a b").ok());
  EXPECT_FALSE(ValidateNoteKeyName("a\tb").ok());
  EXPECT_FALSE(ValidateNoteKeyName("a\xC2\xA0"
                                   "b")
                   .ok());  // U+00A0 NO-BREAK SPACE
  EXPECT_FALSE(ValidateNoteKeyName("a\xE3\x80\x80"
                                   "b")
                   .ok());  // U+3000 IDEOGRAPHIC SPACE
  EXPECT_FALSE(ValidateNoteKeyName("a\xFF").ok());
}

TEST(SignedNote, SignsLikeTheReference) {
  auto signer = NoteSigner::Parse(kPeterSkey);
  ASSERT_TRUE(signer.ok());
  auto note = SignNote(kText, std::span(&*signer, 1));
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  EXPECT_EQ(*note, kText + "\n" + kPeterSig);
  EXPECT_FALSE(SignNote("abc", std::span(&*signer, 1)).ok());  // no final newline
  EXPECT_FALSE(SignNote("a\x01"
                        "bc\n",
                        std::span(&*signer, 1))
                   .ok());
  EXPECT_FALSE(SignNote(kText, {}).ok());
}

TEST(SignedNote, OpensWithKnownAndUnknownSignatures) {
  const std::vector<NoteVerifier> peter = {Verifier(kPeterVkey)};
  auto note = OpenNote(kText + "\n" + kPeterSig + kEnochSig, peter);
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  EXPECT_EQ(note->text, kText);
  ASSERT_EQ(note->verified.size(), 1u);
  EXPECT_EQ(note->verified[0].name, "PeterNeumann");
  EXPECT_EQ(note->verified[0].key_id, 0xc74f20a3u);
  ASSERT_EQ(note->unverified.size(), 1u);
  EXPECT_EQ(note->unverified[0].name, "EnochRoot");
  EXPECT_EQ(note->unverified[0].key_id, 0xaf0cfe78u);

  const std::vector<NoteVerifier> both = {Verifier(kPeterVkey), Verifier(kEnochVkey)};
  note = OpenNote(kText + "\n" + kPeterSig + kEnochSig, both);
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(note->verified.size(), 2u);
  EXPECT_TRUE(note->unverified.empty());

  // Repeated signatures are kept once.
  const std::string enoch_abcd = kEnochSig.substr(0, 60) + "ABCD" + kEnochSig.substr(60);
  note = OpenNote(kText + "\n" + kPeterSig + kPeterSig + kEnochSig + kEnochSig + enoch_abcd, peter);
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  EXPECT_EQ(note->verified.size(), 1u);
  EXPECT_EQ(note->unverified.size(), 2u);
}

TEST(SignedNote, NeedsAVerifiedSignature) {
  EXPECT_FALSE(OpenNote(kText + "\n" + kPeterSig + kEnochSig, {}).ok());
  // A signature from a known key that does not verify rejects the whole note.
  const std::vector<NoteVerifier> peter = {Verifier(kPeterVkey)};
  auto note =
      OpenNote(kText + "\n" + kPeterSig.substr(0, 60) + "ABCD" + kPeterSig.substr(60), peter);
  ASSERT_FALSE(note.ok());
  EXPECT_NE(note.status().message().find("does not verify"), std::string::npos);
  std::string tampered = kText + "\n" + kPeterSig;
  tampered[10] = 'X';
  EXPECT_FALSE(OpenNote(tampered, peter).ok());
  // Same name, other id (and the reverse) are unknown keys, not failures.
  auto renamed = OpenNote(
      kText + "\n" + "— PeterNeumann2 " + kPeterSig.substr(kPeterSig.find(' ', 4) + 1), peter);
  ASSERT_FALSE(renamed.ok());
  EXPECT_NE(renamed.status().message().find("no verified signature"), std::string::npos);
}

TEST(SignedNote, RejectsMalformedNotes) {
  const std::vector<NoteVerifier> peter = {Verifier(kPeterVkey)};
  std::string many = kText + "\n";
  for (int i = 0; i < 101; ++i)
    many += kPeterSig;
  const std::vector<std::string> bad = {
      kText,
      kText + "\n",
      kText + "\n" + kPeterSig.substr(0, kPeterSig.size() - 1),  // no final newline
      "\x01" + kText + "\n" + kPeterSig,
      "\xff" + kText + "\n" + kPeterSig,
      kText + "\n" +
          "— Bad Name "
          "x08go/ZJkuBS9UG/"
          "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
      kText + "\n" + kPeterSig + "Unexpected line.\n",
      kText + "\n" + "- PeterNeumann" + kPeterSig.substr(kPeterSig.find(' ', 4)),  // hyphen
      kText + "\n" + "— PeterNeumann  " + kPeterSig.substr(kPeterSig.find(' ', 4) + 1),
      kText + "\n" + "— PeterNeumann AAAA\n",  // shorter than key id + signature
      kText + "\n" + kPeterSig + "\n",
      kText + "\r\n" + kPeterSig,
      many,
  };
  for (const std::string& message : bad) {
    EXPECT_FALSE(OpenNote(message, peter).ok()) << message;
  }
  EXPECT_TRUE(OpenNote(kText + "\n" + kPeterSig, peter).ok());
}

TEST(SignedNote, TextMayContainBlankLines) {
  auto key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  auto signer = NoteSigner::Create("example.com/poem", *key);
  ASSERT_TRUE(signer.ok());
  const std::string text = "first\n\nthird\n\n";
  auto signed_note = SignNote(text, std::span(&*signer, 1));
  ASSERT_TRUE(signed_note.ok());
  const std::vector<NoteVerifier> verifiers = {signer->verifier()};
  auto note = OpenNote(*signed_note, verifiers);
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  EXPECT_EQ(note->text, text);
}

TEST(SignedNote, RejectsAmbiguousVerifiers) {
  const std::vector<NoteVerifier> twice = {Verifier(kPeterVkey), Verifier(kPeterVkey)};
  EXPECT_FALSE(OpenNote(kText + "\n" + kPeterSig, twice).ok());
}

}  // namespace
}  // namespace pactum::crypto
