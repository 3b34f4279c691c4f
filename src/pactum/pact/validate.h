// The one pact validator behind both surfaces: FromJson (the canonical JSON form) and the YAML
// loader (which converts YAML to the same JSON shape first). It reports every problem it finds,
// each by the JSON path of the field at fault, so the YAML loader can turn a path back into the
// file's line and column. Internal to the pact module.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/pact/pact.h"

namespace pactum::pact::internal {

struct Issue {
  std::string path;  // "conditions[1].threshold"; empty for the whole document
  std::string message;
  bool at_key = false;  // the key itself is wrong (unknown key), not its value
  // A problem inside a boundary file: the file as the pact names it, and the position the
  // Cedar parser reported (0 when it gave none).
  std::string boundary_file;
  int line = 0;
  int column = 0;
};

// How a YAML pact reaches the files it names, relative to its own folder. In the JSON form
// (no FileAccess) boundaries carry their text inline and rubric files are not checked.
struct FileAccess {
  std::function<Result<std::string>(const std::string& file)> read;
  std::function<bool(const std::string& file)> exists;
};

// Validates `doc` and builds the pact; the result is meaningful only when no issue was added.
Pact Validate(const Json& doc, const FileAccess* files, std::vector<Issue>* issues);

// "path: message" for an issue, as FromJson reports it.
std::string Describe(const Issue& issue);

// `text` with each byte sequence that is not UTF-8 replaced by U+FFFD: messages quote the
// input, and must stay printable as JSON (nlohmann's dump throws on invalid UTF-8).
std::string ValidUtf8(const std::string& text);

// Bound on the size of a pact file and of each file it names.
inline constexpr std::size_t kMaxFileBytes = 1 << 20;

}  // namespace pactum::pact::internal
