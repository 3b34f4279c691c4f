#include "pactum/stats/beta.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <boost/math/special_functions/beta.hpp>

namespace pactum::stats {
namespace {

// Computation in double (no promotion to long double, which costs speed and buys nothing at
// the precision scores need), and errors reported as NaN rather than thrown.
using QuantilePolicy = boost::math::policies::policy<
    boost::math::policies::promote_double<false>,
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>>;

constexpr double kMaxWeight = 1e12;
// Beyond this, t/H has no fractional bits left and floor(t/H) may not fit the reference.
constexpr double kMaxHalfLives = 4503599627370496.0;  // 2^52

}  // namespace

double BetaPosterior::Quantile(double p) const {
  if (!(p >= 0 && p <= 1)) return std::numeric_limits<double>::quiet_NaN();
  return boost::math::ibeta_inv(alpha, beta, p, QuantilePolicy());
}

Result<DecayedBeta> DecayedBeta::Create(double half_life) {
  if (!std::isfinite(half_life) || half_life <= 0) {
    return InvalidArgument(
        "half_life must be finite and positive, got " + std::to_string(half_life),
        {{"field", "half_life"}});
  }
  return DecayedBeta(half_life);
}

Status DecayedBeta::Observe(double time, double outcome, double weight) {
  const double half_lives = time / half_life_;
  if (!std::isfinite(time) || !(std::fabs(half_lives) < kMaxHalfLives)) {
    return InvalidArgument(
        "time must be finite and within 2^52 half-lives of 0, got " + std::to_string(time),
        {{"field", "time"}});
  }
  if (!(outcome >= 0 && outcome <= 1)) {
    return InvalidArgument("outcome must be in [0, 1], got " + std::to_string(outcome),
                           {{"field", "outcome"}});
  }
  if (!(weight >= 0 && weight <= kMaxWeight)) {
    return InvalidArgument("weight must be in [0, 1e12], got " + std::to_string(weight),
                           {{"field", "weight"}});
  }
  double exponent = half_lives - static_cast<double>(reference_);
  if (newest_time_ == -std::numeric_limits<double>::infinity() || exponent > kRebaseAfter) {
    const auto rebased = static_cast<std::int64_t>(std::floor(half_lives));
    // The reference only moves forward past evidence, so ldexp only ever shrinks the sums
    // (the first observation finds them zero); clamping keeps the int cast defined.
    const std::int64_t shift = std::max<std::int64_t>(reference_ - rebased, -2000);
    alpha_evidence_ = std::ldexp(alpha_evidence_, static_cast<int>(shift));
    beta_evidence_ = std::ldexp(beta_evidence_, static_cast<int>(shift));
    reference_ = rebased;
    exponent = half_lives - static_cast<double>(reference_);
  }
  const double scaled = weight * std::exp2(exponent);
  alpha_evidence_ += scaled * outcome;
  beta_evidence_ += scaled * (1 - outcome);
  if (time > newest_time_) newest_time_ = time;
  return Status::Ok();
}

BetaPosterior DecayedBeta::At(double time) const {
  if (newest_time_ == -std::numeric_limits<double>::infinity()) return BetaPosterior{};
  const double at = std::max(time, newest_time_);
  // at ≥ every observation and reference_ ≤ floor(newest/H), so the decay is at most 1.
  const double decay = std::exp2(static_cast<double>(reference_) - at / half_life_);
  return BetaPosterior{BetaPosterior::kPriorAlpha + alpha_evidence_ * decay,
                       BetaPosterior::kPriorBeta + beta_evidence_ * decay};
}

}  // namespace pactum::stats
