#include "pactum/jury/aggregate.h"

#include <algorithm>
#include <cmath>

namespace pactum::jury {

std::string_view NameOf(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass:
      return "pass";
    case Outcome::kFail:
      return "fail";
    case Outcome::kUncertain:
      return "uncertain";
    case Outcome::kUnscored:
      return "unscored";
  }
  return "unscored";
}

std::size_t TrimCount(std::size_t judges) {
  return judges > 3 ? (judges - 3) / 2 : 0;
}

Aggregate AggregateScores(std::vector<double> scores, const AggregateOptions& options) {
  Aggregate result;
  if (scores.empty() || scores.size() < options.quorum) return result;
  std::sort(scores.begin(), scores.end());
  const std::size_t k = TrimCount(scores.size());
  const auto first = scores.begin() + static_cast<std::ptrdiff_t>(k);
  const auto last = scores.end() - static_cast<std::ptrdiff_t>(k);
  result.kept = static_cast<std::size_t>(last - first);
  double sum = 0;
  for (auto it = first; it != last; ++it)
    sum += *it;
  const double mean = sum / static_cast<double>(result.kept);
  double squares = 0;
  for (auto it = first; it != last; ++it)
    squares += (*it - mean) * (*it - mean);
  const double deviation = std::sqrt(squares / static_cast<double>(result.kept));
  result.score = mean;
  result.consensus = std::clamp(1.0 - 2.0 * deviation, 0.0, 1.0);
  if (result.consensus < options.min_consensus) {
    result.outcome = Outcome::kUncertain;
  } else {
    result.outcome = mean >= options.pass_threshold ? Outcome::kPass : Outcome::kFail;
  }
  return result;
}

}  // namespace pactum::jury
