// Hex, base64 (RFC 4648 §4) and base64url (§5, unpadded) codecs. Decoders are strict: they
// reject characters outside the alphabet, bad padding and non-canonical trailing bits.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pactum/base/status.h"

namespace pactum {

// The value of one hex digit (either case), or -1.
int HexDigitValue(char c);
// Appends the UTF-8 encoding of code point `cp` (which must be at most U+10FFFF).
void AppendUtf8(std::string& out, std::uint32_t cp);

std::string HexEncode(std::string_view bytes);        // lowercase
Result<std::string> HexDecode(std::string_view hex);  // either case

std::string Base64Encode(std::string_view bytes);  // padded
Result<std::string> Base64Decode(std::string_view text);

std::string Base64UrlEncode(std::string_view bytes);  // unpadded
// Accepts the unpadded form and, leniently, trailing '=' padding.
Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace pactum
