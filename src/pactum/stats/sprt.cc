#include "pactum/stats/sprt.h"

#include <cmath>
#include <string>

namespace pactum::stats {

Result<BernoulliSprt> BernoulliSprt::Create(double p0, double p1, double alpha, double beta) {
  PACTUM_ASSIGN_OR_RETURN(const BernoulliLogLikelihoodRatio llr, BernoulliLlr(p0, p1));
  if (!(alpha > 0 && alpha < 1)) {
    return InvalidArgument("alpha must be in (0, 1), got " + std::to_string(alpha),
                           {{"field", "alpha"}});
  }
  if (!(beta > 0 && beta < 1 && alpha + beta < 1)) {
    return InvalidArgument("beta must be in (0, 1 - alpha), got " + std::to_string(beta),
                           {{"field", "beta"}});
  }
  // With α + β < 1, A > 0 > B.
  return BernoulliSprt(llr, std::log((1 - beta) / alpha), std::log(beta / (1 - alpha)));
}

BernoulliSprt::Decision BernoulliSprt::Observe(bool failure) {
  if (decision_ != Decision::kContinue) return decision_;
  // Λ is finite until this event: an infinite term decides at once, so ∞ − ∞ cannot occur.
  log_likelihood_ratio_ += llr_.Of(failure);
  ++events_;
  if (log_likelihood_ratio_ >= accept_h1_at_) {
    decision_ = Decision::kAcceptH1;
  } else if (log_likelihood_ratio_ <= accept_h0_at_) {
    decision_ = Decision::kAcceptH0;
  }
  return decision_;
}

}  // namespace pactum::stats
