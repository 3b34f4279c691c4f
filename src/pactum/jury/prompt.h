// What a judge is sent and what it must answer (DESIGN §8).
//
// The system message holds the instructions, the rubric and its anchored bands, and the answer
// format; the content under evaluation goes only in the user message, between delimiters whose
// boundary is derived from the content itself (so content cannot close the block early with a
// marker it would have to contain, hash and all), and is never placed in the system prompt.
// The same rubric and content always give the same prompt, which is what the cache keys on.
//
// A judge answers a JSON object {"score": 0..1, "verdict": string, "reason": string}; answers
// wrapped in a Markdown code fence are accepted, anything else is an error.
#pragma once

#include <string>
#include <string_view>

#include "pactum/base/status.h"
#include "pactum/jury/rubric.h"

namespace pactum::jury {

struct Prompt {
  std::string system;
  std::string user;
};

Prompt BuildPrompt(const Rubric& rubric, std::string_view criterion, std::string_view content);

struct JudgeAnswer {
  double score = 0;
  std::string verdict;
  std::string reason;
};

// kInvalidArgument naming what is wrong ("score: must be a number in [0, 1]").
Result<JudgeAnswer> ParseJudgeAnswer(std::string_view text);

}  // namespace pactum::jury
