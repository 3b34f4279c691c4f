// Beta posteriors over a success rate, and the decayed posterior behind trust scores
// (DESIGN §5).
//
// A DecayedBeta accumulates outcomes x ∈ [0,1] with weights w ≥ 0 observed at times t. At a
// query time T its posterior is Beta(α, β) with
//     α = α0 + Σ w·x·2^(−(T−t)/H)        β = β0 + Σ w·(1−x)·2^(−(T−t)/H)
// where H is the half-life and α0 = β0 = 1 is the uniform prior. Only the evidence decays:
// the prior is the state of knowing nothing, which evidence forgetting returns to, so a
// posterior with old evidence tends to Beta(1, 1) and never to Beta(0, 0) (which is improper
// and would make every quantile undefined).
//
// Time is a real number in any unit, the same unit as the half-life (pactum uses seconds
// since the Unix epoch). Observations may arrive in any order. A query at a time before the
// newest observation is answered at the newest observation's time: evidence cannot be taken
// back out of the sums, and evidence from the (slightly) future counts as current.
#pragma once

#include <cstdint>
#include <limits>

#include "pactum/base/status.h"

namespace pactum::stats {

// Beta(alpha, beta) with alpha, beta ≥ 1 (a posterior under the uniform prior).
struct BetaPosterior {
  static constexpr double kPriorAlpha = 1.0;
  static constexpr double kPriorBeta = 1.0;
  // The lower bound of trust scores: the 5% quantile.
  static constexpr double kLowerBoundProbability = 0.05;

  double alpha = kPriorAlpha;
  double beta = kPriorBeta;

  double Mean() const { return alpha / (alpha + beta); }
  // The p-quantile (inverse CDF) for p ∈ [0,1], by Boost.Math's ibeta_inv; NaN for other p.
  double Quantile(double p) const;
  double LowerBound() const { return Quantile(kLowerBoundProbability); }
  // The same quantile to about 7 significant digits (Boost's iteration stopped at 24 bits),
  // 2–4 times cheaper: for hot paths that only need a score's 0..1000 scale.
  double FastQuantile(double p) const;
  // Evidence beyond the prior: α + β − α0 − β0, in weight units.
  double EffectiveEvidence() const { return alpha + beta - kPriorAlpha - kPriorBeta; }
};

class DecayedBeta {
 public:
  // Fails unless half_life is finite and positive.
  static Result<DecayedBeta> Create(double half_life);

  // Adds outcome x with the given weight at `time`. O(1), no allocation. Fails (and changes
  // nothing) unless time is finite with |time / half_life| < 2^52, x ∈ [0,1] and weight ∈
  // [0, 1e12].
  Status Observe(double time, double outcome, double weight);
  // Adds evidence to α and β separately (Observe(t, x, w) is Add(t, w·x, w·(1−x))), for
  // outcomes whose failures and successes weigh differently. Same checks as Observe, each
  // amount in [0, 1e12].
  Status Add(double time, double alpha_evidence, double beta_evidence);
  // Takes back amounts earlier added at `time`: they are removed with the decay they had, so
  // withdrawing what Add added leaves the sums as if it never was, up to rounding. The sums
  // never fall below zero (the posterior never below the prior). Does not move newest_time.
  // Fails like Add, and before any observation.
  Status Withdraw(double time, double alpha_evidence, double beta_evidence);

  // The posterior at `time` (at the newest observation's time if that is later).
  BetaPosterior At(double time) const;

  double half_life() const { return half_life_; }
  // The time of the newest observation; -infinity before the first.
  double newest_time() const { return newest_time_; }

 private:
  explicit DecayedBeta(double half_life) : half_life_(half_life) {}

  // The evidence sums are kept decayed to a reference time that is a whole number of
  // half-lives, `reference_ · H`. An observation at time t is added scaled by
  // 2^(t/H − reference_); a query divides by 2^(T/H − reference_). When an observation lies
  // more than kRebaseAfter half-lives past the reference (the scale would grow towards
  // overflow) the reference moves to floor(t/H) and the sums are multiplied by an exact power
  // of two (ldexp), so rebasing adds no rounding error. Observations before the reference get
  // a scale below 1, which at worst underflows to 0: their weight at any later query is
  // below 2^−1074 of their own.
  static constexpr double kRebaseAfter = 64;

  double half_life_;
  std::int64_t reference_ = 0;
  double alpha_evidence_ = 0;  // Σ w·x·2^(t/H − reference_)
  double beta_evidence_ = 0;   // Σ w·(1−x)·2^(t/H − reference_)
  double newest_time_ = -std::numeric_limits<double>::infinity();
};

}  // namespace pactum::stats
