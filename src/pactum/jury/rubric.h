// A rubric: what the judges score a criterion against (DESIGN §8). It is Markdown whose
// anchored bands are lines "- <score>: <what earns it>" with scores in [0, 1]; a rubric must
// anchor both ends (0 and 1) and one band between, so that judges map content to a scale
// rather than invent one. The text is sent whole as part of the judges' system message.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/status.h"

namespace pactum::jury {

struct Band {
  double score = 0;
  std::string description;
};

struct Rubric {
  std::string source;  // the file, or a name, for messages
  std::string text;
  std::vector<Band> bands;  // in the order written
};

// Errors are kInvalidArgument naming the source and line ("rubric.md:7: band score 1.5 is
// outside [0, 1]"), or the missing anchors.
Result<Rubric> ParseRubric(std::string_view text, std::string_view source);
// Reads and parses a file of at most 256 KiB.
Result<Rubric> LoadRubric(const std::filesystem::path& file);

}  // namespace pactum::jury
