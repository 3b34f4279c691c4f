// Pacts from YAML files (DESIGN §4; the format is docs/PACTS.md).
//
// The YAML is converted to the JSON shape FromJson reads, and checked by the same validator;
// each problem is reported at the line and column of the YAML node at fault, or, for a Cedar
// error inside a boundary file, at its position in that file. Every problem is reported, not
// only the first. The boundary files (and rubric files, which must exist) are read relative to
// `base_dir`, the pact file's folder. Nothing here throws: malformed YAML is a diagnostic.
// A pact file, and each file it names, is at most 1 MiB.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/pact/pact.h"

namespace pactum::pact {

struct Diagnostic {
  std::string file;  // the pact file, or the boundary file the problem is in
  int line = 0;      // 1-based; 0 when the problem has no position (an unreadable file)
  int column = 0;
  std::string message;
};

// "file:line:column: message", or "file: message" without a position.
std::string ToString(const Diagnostic& d);

struct PactCheck {
  std::optional<Pact> pact;  // set exactly when `diagnostics` is empty
  std::vector<Diagnostic> diagnostics;
};

// All problems of a pact (what `pactum pact lint` prints).
PactCheck CheckPactYaml(std::string_view yaml, std::string_view source_name,
                        const std::filesystem::path& base_dir);
PactCheck CheckPactFile(const std::filesystem::path& file);

// The pact, or kInvalidArgument whose message is the diagnostics one per line and whose
// details carry them as {"diagnostics": [{"file","line","column","message"}]}.
Result<Pact> ParsePactYaml(std::string_view yaml, std::string_view source_name,
                           const std::filesystem::path& base_dir);
Result<Pact> LoadPactFile(const std::filesystem::path& file);

}  // namespace pactum::pact
