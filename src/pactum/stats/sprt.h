// Wald's sequential probability ratio test between two Bernoulli failure rates: the recovery
// test of DESIGN §5 (H0: p ≤ p0 against H1: p ≥ p1).
//
// The log-likelihood ratio Λ of the events seen (bernoulli.h) is compared after each event
// with A = ln((1−β)/α) and B = ln(β/(1−α)): Λ ≥ A accepts H1, Λ ≤ B accepts H0, otherwise
// the test continues. Wald's bounds keep the error rates near α (rejecting a true H0) and β
// (accepting H0 when H1 holds); the decision stands until Reset(). With p1 = 1 a single
// success accepts H0, and with p0 = 0 a single failure accepts H1: the likelihood ratio of
// those events is infinite.
#pragma once

#include <cstdint>

#include "pactum/base/status.h"
#include "pactum/stats/bernoulli.h"

namespace pactum::stats {

class BernoulliSprt {
 public:
  enum class Decision { kContinue, kAcceptH0, kAcceptH1 };

  // Fails unless 0 ≤ p0 < p1 ≤ 1 and α, β ∈ (0, 1) with α + β < 1.
  static Result<BernoulliSprt> Create(double p0, double p1, double alpha = 0.05,
                                      double beta = 0.05);

  // Adds one event unless a decision stands; returns the decision. O(1).
  Decision Observe(bool failure);
  // Forgets every event: Λ = 0, continue.
  void Reset() {
    log_likelihood_ratio_ = 0;
    events_ = 0;
    decision_ = Decision::kContinue;
  }

  Decision decision() const { return decision_; }
  double log_likelihood_ratio() const { return log_likelihood_ratio_; }
  // Events counted towards the current decision.
  std::int64_t events() const { return events_; }
  double accept_h1_at() const { return accept_h1_at_; }  // A
  double accept_h0_at() const { return accept_h0_at_; }  // B

 private:
  BernoulliSprt(BernoulliLogLikelihoodRatio llr, double accept_h1_at, double accept_h0_at)
      : llr_(llr), accept_h1_at_(accept_h1_at), accept_h0_at_(accept_h0_at) {}

  BernoulliLogLikelihoodRatio llr_;
  double accept_h1_at_;
  double accept_h0_at_;
  double log_likelihood_ratio_ = 0;
  std::int64_t events_ = 0;
  Decision decision_ = Decision::kContinue;
};

}  // namespace pactum::stats
