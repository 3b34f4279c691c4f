#include "pactum/base/digest.h"

#include <gtest/gtest.h>

#include "pactum/base/encoding.h"

namespace pactum {
namespace {

TEST(Digest, Sha256KnownAnswers) {
  EXPECT_EQ(HexEncode(AsBytes(Sha256(""))),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexEncode(AsBytes(Sha256("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256Hasher h;
  h.Update("a");
  h.Update("bc");
  EXPECT_EQ(h.Finish(), Sha256("abc"));
  h.Update("");  // the hasher restarts after Finish
  EXPECT_EQ(h.Finish(), Sha256(""));
}

// RFC 4231 test cases 1 and 2.
TEST(Digest, HmacSha256Rfc4231) {
  EXPECT_EQ(HexEncode(AsBytes(HmacSha256(std::string(20, '\x0b'), "Hi There"))),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(HexEncode(AsBytes(HmacSha256("Jefe", "what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Digest, ConstantTimeEqual) {
  EXPECT_TRUE(ConstantTimeEqual("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEqual("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEqual("abc", "ab"));
  EXPECT_TRUE(ConstantTimeEqual("", ""));
}

TEST(Digest, RandomBytesDiffer) {
  auto a = SecureRandomBytes(32), b = SecureRandomBytes(32);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_NE(*a, *b);
}

}  // namespace
}  // namespace pactum
