#include "pactum/base/encoding.h"

#include <array>
#include <cstdint>

namespace pactum {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Encode(std::string_view in, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto byte = [&](std::size_t k) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(in[k]));
  };
  for (; i + 3 <= in.size(); i += 3) {
    std::uint32_t v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    out.push_back(alphabet[v >> 18 & 63]);
    out.push_back(alphabet[v >> 12 & 63]);
    out.push_back(alphabet[v >> 6 & 63]);
    out.push_back(alphabet[v & 63]);
  }
  std::size_t rest = in.size() - i;
  if (rest == 1) {
    std::uint32_t v = byte(i) << 16;
    out.push_back(alphabet[v >> 18 & 63]);
    out.push_back(alphabet[v >> 12 & 63]);
    if (pad) out.append("==");
  } else if (rest == 2) {
    std::uint32_t v = byte(i) << 16 | byte(i + 1) << 8;
    out.push_back(alphabet[v >> 18 & 63]);
    out.push_back(alphabet[v >> 12 & 63]);
    out.push_back(alphabet[v >> 6 & 63]);
    if (pad) out.push_back('=');
  }
  return out;
}

Result<std::string> Decode(std::string_view in, const char* alphabet, bool padding_required,
                           const char* name) {
  std::array<int, 256> table;
  table.fill(-1);
  for (int k = 0; k < 64; ++k)
    table[static_cast<unsigned char>(alphabet[k])] = k;
  std::size_t len = in.size();
  std::size_t pads = 0;
  while (len > 0 && in[len - 1] == '=' && pads < 2) {
    --len;
    ++pads;
  }
  if (padding_required && in.size() % 4 != 0)
    return InvalidArgument(std::string("bad ") + name + ": length is not a multiple of 4");
  if (pads > 0 && in.size() % 4 != 0)
    return InvalidArgument(std::string("bad ") + name + ": wrong padding");
  if (len % 4 == 1) return InvalidArgument(std::string("bad ") + name + ": truncated input");
  std::string out;
  out.reserve(len * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t k = 0; k < len; ++k) {
    int v = table[static_cast<unsigned char>(in[k])];
    if (v < 0)
      return InvalidArgument(std::string("bad ") + name + ": invalid character at offset " +
                             std::to_string(k));
    acc = acc << 6 | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>(acc >> bits & 0xFF));
    }
  }
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0)
    return InvalidArgument(std::string("bad ") + name + ": non-zero trailing bits");
  if (pads > 0 && (len + pads) % 4 != 0)
    return InvalidArgument(std::string("bad ") + name + ": wrong padding");
  return out;
}

}  // namespace

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string HexEncode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHexDigits[c >> 4]);
    out.push_back(kHexDigits[c & 15]);
  }
  return out;
}

Result<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return InvalidArgument("bad hex: odd length");
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = HexDigitValue(hex[i]), lo = HexDigitValue(hex[i + 1]);
    if (hi < 0 || lo < 0)
      return InvalidArgument("bad hex: invalid character at offset " +
                             std::to_string(hi < 0 ? i : i + 1));
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  return Encode(bytes, kStd, true);
}
Result<std::string> Base64Decode(std::string_view text) {
  return Decode(text, kStd, true, "base64");
}
std::string Base64UrlEncode(std::string_view bytes) {
  return Encode(bytes, kUrl, false);
}
Result<std::string> Base64UrlDecode(std::string_view text) {
  return Decode(text, kUrl, false, "base64url");
}

}  // namespace pactum
