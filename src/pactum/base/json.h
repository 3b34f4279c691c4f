// JSON in and out. nlohmann::json is the document type everywhere (pactum::Json).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pactum/base/status.h"

namespace pactum {

// Parses `text` as one JSON document. A syntax error is kInvalidArgument whose message names
// the line and column ("malformed JSON at line 3, column 14: ...") and whose details carry
// {"line", "column", "offset"} (1-based line and column, 0-based byte offset).
Result<Json> ParseJson(std::string_view text);

// Where a byte offset falls in `text`, counting lines and columns from 1.
struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;
};
TextPosition PositionOf(std::string_view text, std::size_t offset);

// The end of the run of bytes of `s` from `from` that a JSON string carries as themselves: the
// index of the first control character, '"', '\\' or non-ASCII byte, or s.size(). Eight bytes
// at a time: readers and writers of JSON text spend most of their time here.
std::size_t JsonPlainRunEnd(std::string_view s, std::size_t from);

}  // namespace pactum
