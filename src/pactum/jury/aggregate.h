// The jury's math (DESIGN §8): a trimmed mean over the judges that answered, the consensus of
// the judges kept, and the verdict.
//
// Trimming drops the k highest and k lowest scores, k = max(0, (n - 3) / 2): 3 judges none,
// 5 one each, 7 two each. Consensus is 1 - 2 × the population standard deviation of the kept
// scores, in [0, 1] (1: all agree; 0: half at 0 and half at 1); it is measured after trimming
// because trimming exists so that one outlying judge does not sway the jury. The verdict is
//   unscored   fewer judges answered than the quorum: an error is never a fail;
//   uncertain  consensus below the minimum: flagged for a human, counted neither way;
//   pass/fail  the trimmed mean against the pass threshold.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace pactum::jury {

enum class Outcome { kPass, kFail, kUncertain, kUnscored };
std::string_view NameOf(Outcome outcome);  // "pass" "fail" "uncertain" "unscored"

struct AggregateOptions {
  std::size_t quorum = 1;       // judges that must answer
  double pass_threshold = 0.5;  // trimmed mean at or above it passes
  double min_consensus = 0.6;   // below it the verdict is uncertain
};

struct Aggregate {
  Outcome outcome = Outcome::kUnscored;
  double score = 0;      // the trimmed mean; 0 when unscored
  double consensus = 0;  // 0 when unscored
  std::size_t kept = 0;  // scores the mean was taken over
};

std::size_t TrimCount(std::size_t judges);
Aggregate AggregateScores(std::vector<double> scores, const AggregateOptions& options);

}  // namespace pactum::jury
