#include "pactum/stats/bernoulli.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace pactum::stats {

double DoubledFailureRate(double p0) {
  return std::min(1.0, 2 * p0);
}

double DriftFailureRate(double p0) {
  return std::min(2 * p0, (1 + p0) / 2);
}

Result<BernoulliLogLikelihoodRatio> BernoulliLlr(double p0, double p1) {
  if (!(p0 >= 0 && p0 < 1)) {
    return InvalidArgument("p0 must be in [0, 1), got " + std::to_string(p0), {{"field", "p0"}});
  }
  if (!(p1 > p0 && p1 <= 1)) {
    return InvalidArgument(
        "p1 must be in (p0, 1] = (" + std::to_string(p0) + ", 1], got " + std::to_string(p1),
        {{"field", "p1"}});
  }
  // log1p keeps the success term accurate for tiny rates, where 1 − p rounds.
  return BernoulliLogLikelihoodRatio{std::log(p1) - std::log(p0),
                                     std::log1p(-p1) - std::log1p(-p0)};
}

}  // namespace pactum::stats
