#include "pactum/stats/cusum.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace pactum::stats {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kRatioTolerance = 1e-3;
// The ARL's elimination costs about (h/|b|)·D·U·D ≈ h·a·D³/b² operations per threshold tried;
// denominators are limited to a·D³/b² ≤ kMaxGridCost (D = 1 is always allowed).
constexpr double kMaxGridCost = 1e6;
constexpr double kMaxFailureUnits = 1099511627776.0;       // 2^40
constexpr double kMaxThresholdUnits = 4503599627370496.0;  // 2^52
// Work limits of the exact ARL: band entries stored, and multiply-adds of the elimination.
constexpr double kMaxBandEntries = 5e7;
constexpr double kMaxOperations = 1e9;

// The integer grid of a chart: a failure adds `failure` units, a success subtracts `success`
// units (0 here means "resets S", fixed up once the threshold is known).
struct Grid {
  double unit;
  std::int64_t failure;
  std::int64_t success;
};

Grid MakeGrid(const BernoulliLogLikelihoodRatio& llr) {
  if (llr.failure == kInfinity) return Grid{kInfinity, 1, 0};
  if (llr.success == -kInfinity) return Grid{llr.failure, 1, 0};
  const double drop = -llr.success;
  const double ratio = llr.failure / drop;
  if (ratio > kMaxFailureUnits) {
    return Grid{llr.failure / kMaxFailureUnits, static_cast<std::int64_t>(kMaxFailureUnits), 1};
  }
  Grid best{};
  double best_error = kInfinity;
  for (std::int64_t d = 1;; ++d) {
    const double cube = static_cast<double>(d) * static_cast<double>(d) * static_cast<double>(d);
    if (d > 1 && llr.failure * cube / (drop * drop) > kMaxGridCost) break;
    const std::int64_t u = std::max<std::int64_t>(1, std::llround(ratio * static_cast<double>(d)));
    const double error = std::fabs(static_cast<double>(u) / static_cast<double>(d) - ratio) / ratio;
    if (error < best_error) {
      best = Grid{drop / static_cast<double>(d), u, d};
      best_error = error;
    }
    if (error <= kRatioTolerance) break;
  }
  return best;
}

// The failures in a row that take S from 0 to the alarm.
std::int64_t FailuresToAlarm(const Grid& grid, std::int64_t threshold_units) {
  return (threshold_units + grid.failure - 1) / grid.failure;
}

// Expected events until S ≥ H from S = 0, when each event fails with probability p.
Result<double> RunLength(const Grid& grid, std::int64_t threshold_units, double p) {
  if (!(p >= 0 && p <= 1)) {
    return InvalidArgument("failure_rate must be in [0, 1], got " + std::to_string(p),
                           {{"field", "failure_rate"}});
  }
  if (p == 0) return kInfinity;  // S never leaves 0
  const std::int64_t run = FailuresToAlarm(grid, threshold_units);
  if (p == 1) return static_cast<double>(run);
  const bool success_resets = grid.success == 0 || grid.success >= threshold_units;
  if (success_resets || run == 1) {
    // Waiting for `run` consecutive failures: (p^−run − 1) / (1 − p).
    return std::expm1(-static_cast<double>(run) * std::log(p)) / (1 - p);
  }

  // L(i) = 1 + p·L(i + U) + q·L(max(i − D, 0)) for the states i < H, with L = 0 at or past H
  // (the alarm). I − P is a nonsingular M-matrix, so elimination needs no pivoting and keeps
  // the band: D below the diagonal, U above.
  const std::int64_t n = threshold_units;
  const std::int64_t lower = std::min(grid.success, n - 1);
  const std::int64_t upper = std::min(grid.failure, n - 1);
  const std::int64_t width = lower + upper + 1;
  const double entries = static_cast<double>(n) * static_cast<double>(width);
  const double operations =
      static_cast<double>(n) * static_cast<double>(lower) * static_cast<double>(upper);
  if (entries > kMaxBandEntries || operations > kMaxOperations) {
    return ResourceExhausted("the ARL of a threshold of " + std::to_string(n) +
                             " grid units needs a linear system too large to solve");
  }
  const double q = 1 - p;
  std::vector<double> band(static_cast<std::size_t>(n * width), 0.0);
  std::vector<double> value(static_cast<std::size_t>(n), 1.0);
  auto at = [&](std::int64_t i, std::int64_t j) -> double& {
    return band[static_cast<std::size_t>(i * width + (j - i + lower))];
  };
  for (std::int64_t i = 0; i < n; ++i) {
    at(i, i) = 1;
    at(i, std::max<std::int64_t>(0, i - grid.success)) -= q;
    if (i + grid.failure < n) at(i, i + grid.failure) -= p;
  }
  for (std::int64_t k = 0; k < n; ++k) {
    const double pivot = at(k, k);
    const std::int64_t last_row = std::min(k + lower, n - 1);
    const std::int64_t last_column = std::min(k + upper, n - 1);
    for (std::int64_t i = k + 1; i <= last_row; ++i) {
      const double factor = at(i, k) / pivot;
      if (factor == 0) continue;
      for (std::int64_t j = k + 1; j <= last_column; ++j)
        at(i, j) -= factor * at(k, j);
      value[static_cast<std::size_t>(i)] -= factor * value[static_cast<std::size_t>(k)];
    }
  }
  for (std::int64_t i = n - 1; i >= 0; --i) {
    double sum = value[static_cast<std::size_t>(i)];
    const std::int64_t last_column = std::min(i + upper, n - 1);
    for (std::int64_t j = i + 1; j <= last_column; ++j) {
      sum -= at(i, j) * value[static_cast<std::size_t>(j)];
    }
    value[static_cast<std::size_t>(i)] = sum / at(i, i);
  }
  return value[0];
}

}  // namespace

Result<BernoulliCusum> BernoulliCusum::Create(double p0, double p1, double threshold) {
  PACTUM_ASSIGN_OR_RETURN(const BernoulliLogLikelihoodRatio llr, BernoulliLlr(p0, p1));
  const Grid grid = MakeGrid(llr);
  const double units = threshold / grid.unit;
  if (!(threshold > 0 && std::isfinite(threshold)) || !(units < kMaxThresholdUnits)) {
    return InvalidArgument("threshold must be positive and finite (below 2^52 grid units of " +
                               std::to_string(grid.unit) + " nats), got " +
                               std::to_string(threshold),
                           {{"field", "threshold"}});
  }
  // Thresholds that are whole multiples of the unit (as ForInControlArl makes them) must not
  // round up one unit further through the division's rounding.
  const auto threshold_units =
      std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(units * (1 - 1e-12))));
  const std::int64_t success_units = grid.success == 0 ? threshold_units : grid.success;
  return BernoulliCusum(p0, p1, grid.unit, grid.failure, success_units, threshold_units);
}

Result<BernoulliCusum> BernoulliCusum::ForInControlArl(double p0, double p1, double target_arl0) {
  PACTUM_ASSIGN_OR_RETURN(const BernoulliLogLikelihoodRatio llr, BernoulliLlr(p0, p1));
  if (!(target_arl0 >= 1 && std::isfinite(target_arl0))) {
    return InvalidArgument(
        "target_arl0 must be finite and at least 1, got " + std::to_string(target_arl0),
        {{"field", "target_arl0"}});
  }
  const Grid grid = MakeGrid(llr);
  // The in-control ARL grows with H (a higher threshold is never reached sooner), so search
  // for the smallest H meeting the target: doubling, then bisection.
  auto meets_target = [&](std::int64_t units) -> Result<bool> {
    PACTUM_ASSIGN_OR_RETURN(const double arl, RunLength(grid, units, p0));
    // Relative slack for the rounding of the ARL itself: 1/p0 must meet a target of 1/p0.
    return arl >= target_arl0 * (1 - 1e-9);
  };
  std::int64_t low = 0;              // largest H known to miss the target (0: none tried)
  std::int64_t high = grid.failure;  // every H ≤ U alarms at the first failure
  while (true) {
    PACTUM_ASSIGN_OR_RETURN(const bool met, meets_target(high));
    if (met) break;
    low = high;
    high *= 2;
  }
  while (high - low > 1 && low > 0) {
    const std::int64_t mid = low + (high - low) / 2;
    PACTUM_ASSIGN_OR_RETURN(const bool met, meets_target(mid));
    (met ? high : low) = mid;
  }
  const std::int64_t success_units = grid.success == 0 ? high : grid.success;
  return BernoulliCusum(p0, p1, grid.unit, grid.failure, success_units, high);
}

Result<double> BernoulliCusum::AverageRunLength(double failure_rate) const {
  return RunLength(Grid{unit_, failure_units_, success_units_}, threshold_units_, failure_rate);
}

}  // namespace pactum::stats
