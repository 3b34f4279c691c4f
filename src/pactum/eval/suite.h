// An eval suite (DESIGN §8, docs/EVAL.md): a JSON Lines file whose first line may be a header
// and whose other lines are cases.
//
//   {"suite": "triage-smoke", "checks": {NAME: CHECK, ...}, "jury": {CRITERION: {"content":
//    "/json/pointer"}}}
//   {"id": "a-1", "input": ..., "expected": ..., "tags": ["lateral"]}
//
// Checks are defined by name (checks.h); a pact's `check.NAME` conditions measure them. The
// jury section says which part of the agent's output each criterion's judges see (a JSON
// pointer into the output; by default the whole output). The suite is tied to a pact by the
// runner, which asks the jury for the pact's `jury.<criterion>` conditions.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/eval/checks.h"

namespace pactum::eval {

struct Case {
  std::string id;
  Json input;
  Json expected;  // null when the case has none
  std::vector<std::string> tags;
};

struct Suite {
  std::string name;
  std::vector<Check> checks;                        // by name
  std::map<std::string, std::string> jury_content;  // criterion → JSON pointer into the output
  std::vector<Case> cases;
};

// Errors are kInvalidArgument naming "source:line: field: problem". Case ids are unique and
// non-empty; unknown fields are errors.
Result<Suite> ParseSuite(std::string_view text, std::string_view source);
// Reads a file of at most 256 MiB.
Result<Suite> LoadSuite(const std::filesystem::path& file);

}  // namespace pactum::eval
