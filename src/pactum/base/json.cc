#include "pactum/base/json.h"

#include <algorithm>

namespace pactum {

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
