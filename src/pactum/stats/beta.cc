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

// The same, with Newton/Halley iteration stopped at 24 bits of precision.
using FastQuantilePolicy = boost::math::policies::policy<
    boost::math::policies::promote_double<false>, boost::math::policies::digits2<24>,
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

double BetaPosterior::FastQuantile(double p) const {
  if (!(p >= 0 && p <= 1)) return std::numeric_limits<double>::quiet_NaN();
  return boost::math::ibeta_inv(alpha, beta, p, FastQuantilePolicy());
}

Result<DecayedBeta> DecayedBeta::Create(double half_life) {
  if (!std::isfinite(half_life) || half_life <= 0) {
    return InvalidArgument(
        "half_life must be finite and positive, got " + std::to_string(half_life),
        {{"field", "half_life"}});
  }
  return DecayedBeta(half_life);
}

namespace {

Status CheckTime(double time, double half_life) {
  if (!std::isfinite(time) || !(std::fabs(time / half_life) < kMaxHalfLives)) {
    return InvalidArgument(
        "time must be finite and within 2^52 half-lives of 0, got " + std::to_string(time),
        {{"field", "time"}});
  }
  return Status::Ok();
}

Status CheckAmount(double amount, const char* field) {
  if (!(amount >= 0 && amount <= kMaxWeight)) {
    return InvalidArgument(
        std::string(field) + " must be in [0, 1e12], got " + std::to_string(amount),
        {{"field", field}});
  }
  return Status::Ok();
}

}  // namespace

Status DecayedBeta::Observe(double time, double outcome, double weight) {
  PACTUM_TRY(CheckTime(time, half_life_));
  if (!(outcome >= 0 && outcome <= 1)) {
    return InvalidArgument("outcome must be in [0, 1], got " + std::to_string(outcome),
                           {{"field", "outcome"}});
  }
  PACTUM_TRY(CheckAmount(weight, "weight"));
  return Add(time, weight * outcome, weight * (1 - outcome));
}

Status DecayedBeta::Add(double time, double alpha_evidence, double beta_evidence) {
  PACTUM_TRY(CheckTime(time, half_life_));
  PACTUM_TRY(CheckAmount(alpha_evidence, "alpha_evidence"));
  PACTUM_TRY(CheckAmount(beta_evidence, "beta_evidence"));
  const double half_lives = time / half_life_;
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
  const double scale = std::exp2(exponent);
  alpha_evidence_ += alpha_evidence * scale;
  beta_evidence_ += beta_evidence * scale;
  if (time > newest_time_) newest_time_ = time;
  return Status::Ok();
}

Status DecayedBeta::Withdraw(double time, double alpha_evidence, double beta_evidence) {
  PACTUM_TRY(CheckTime(time, half_life_));
  PACTUM_TRY(CheckAmount(alpha_evidence, "alpha_evidence"));
  PACTUM_TRY(CheckAmount(beta_evidence, "beta_evidence"));
  if (newest_time_ == -std::numeric_limits<double>::infinity()) {
    return FailedPrecondition("nothing to withdraw: no evidence was added");
  }
  // The same scale Add used at this reference; rebasing since then multiplied the sums by an
  // exact power of two, which this scale carries too.
  const double scale = std::exp2(time / half_life_ - static_cast<double>(reference_));
  alpha_evidence_ = std::max(0.0, alpha_evidence_ - alpha_evidence * scale);
  beta_evidence_ = std::max(0.0, beta_evidence_ - beta_evidence * scale);
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
