#include "pactum/base/encoding.h"

#include <gtest/gtest.h>

namespace pactum {
namespace {

// RFC 4648 §10 test vectors.
TEST(Encoding, Base64Rfc4648) {
  const char* in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* std64[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  const char* url64[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(Base64Encode(in[i]), std64[i]);
    EXPECT_EQ(*Base64Decode(std64[i]), in[i]);
    EXPECT_EQ(Base64UrlEncode(in[i]), url64[i]);
    EXPECT_EQ(*Base64UrlDecode(url64[i]), in[i]);
  }
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(*Base64UrlDecode("-_8"), "\xfb\xff");
}

TEST(Encoding, DecodersAreStrict) {
  EXPECT_FALSE(Base64Decode("Zg=").ok());      // bad padding
  EXPECT_FALSE(Base64Decode("Zg").ok());       // unpadded in standard base64
  EXPECT_FALSE(Base64Decode("Zh==").ok());     // non-zero trailing bits
  EXPECT_FALSE(Base64Decode("Z!==").ok());     // outside the alphabet
  EXPECT_FALSE(Base64Decode("Zm9v\n").ok());   // whitespace
  EXPECT_FALSE(Base64UrlDecode("Zm9+").ok());  // standard alphabet in url form
  EXPECT_FALSE(Base64UrlDecode("Z").ok());     // truncated
  EXPECT_FALSE(HexDecode("abc").ok());
  EXPECT_FALSE(HexDecode("zz").ok());
}

TEST(Encoding, Hex) {
  EXPECT_EQ(HexEncode(std::string_view("\x00\xff\x10", 3)), "00ff10");
  EXPECT_EQ(*HexDecode("00FF10"), std::string("\x00\xff\x10", 3));
}

}  // namespace
}  // namespace pactum

namespace pactum {
namespace {

TEST(Encoding, Utf8AndHexDigits) {
  std::string out;
  for (std::uint32_t cp : {0x41u, 0xE9u, 0x20ACu, 0x1F602u})
    AppendUtf8(out, cp);
  EXPECT_EQ(out, "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x82");
  EXPECT_EQ(HexDigitValue('7'), 7);
  EXPECT_EQ(HexDigitValue('b'), 11);
  EXPECT_EQ(HexDigitValue('F'), 15);
  EXPECT_EQ(HexDigitValue('g'), -1);
}

}  // namespace
}  // namespace pactum
