#include "pactum/base/json.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace pactum {

std::size_t JsonPlainRunEnd(std::string_view s, std::size_t i) {
  // A byte's high bit is set in `stop` if it is below 0x20, '"', '\\' or not ASCII. Borrows
  // only carry upwards, so the lowest bit set marks the first such byte.
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  auto zero_byte = [](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    const std::uint64_t stop = ((x - kOnes * 0x20) & ~x & kHigh) | (x & kHigh) |
                               zero_byte(x ^ (kOnes * '"')) | zero_byte(x ^ (kOnes * '\\'));
    if (stop != 0) return i + static_cast<std::size_t>(std::countr_zero(stop)) / 8;
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
  }
  return i;
}

TextPosition PositionOf(std::string_view text, std::size_t offset) {
  TextPosition pos;
  offset = std::min(offset, text.size());
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
  }
  return pos;
}

Result<Json> ParseJson(std::string_view text) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    // nlohmann reports the byte *after* the offending one (1-based); point at the culprit.
    std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    TextPosition pos = PositionOf(text, offset);
    std::string what = e.what();
    // Drop nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: " prefix.
    if (auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    return InvalidArgument("malformed JSON at line " + std::to_string(pos.line) + ", column " +
                               std::to_string(pos.column) + ": " + what,
                           Json{{"line", pos.line}, {"column", pos.column}, {"offset", offset}});
  } catch (const Json::exception& e) {
    // Syntactically valid but unrepresentable, e.g. a number beyond the range of a double.
    std::string what = e.what();
    if (auto bracket = what.find("] "); bracket != std::string::npos)
      what = what.substr(bracket + 2);
    return InvalidArgument("unreadable JSON: " + what);
  }
}

}  // namespace pactum
