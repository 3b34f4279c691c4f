// A one-sided Bernoulli CUSUM: the drift chart of DESIGN §5.
//
// Each event's failure indicator x adds the log-likelihood ratio of out-of-control failure
// rate p1 against in-control rate p0 (see bernoulli.h) to S = max(0, S + llr); the chart
// alarms when S ≥ h and stays alarmed until Reset().
//
// The statistic runs on an integer grid so that the average run length (ARL) of the chart as
// it runs can be computed exactly. With a = ln(p1/p0) and b = ln((1−p1)/(1−p0)) < 0, the grid
// unit is |b|/D and a failure adds U units, U/D being the first fraction within 0.1% of a/|b|
// whose denominator keeps the ARL cheap (a·D³/b² ≤ 10^6), else the closest such fraction. So
// a success subtracts exactly |b| and a failure adds a to within 0.1% for most p0 (0.6% at
// worst with DESIGN's p1 = 2·p0). The threshold is rounded up to a whole number of units H.
// S then lives on the states {0, …, H−1}: a Markov chain whose expected time to absorption
// (Brook and Evans, 1972) solves a banded linear system of size H, which is solved exactly by
// Gaussian elimination. Unlike the usual Brook–Evans approximation of a continuous chart,
// there is no discretisation error: the grid is the chart's own.
//
// Edge cases: p1 = 1 makes any success reset S (b = −∞) and the run length that of H
// consecutive failures, in closed form; p0 = 0 makes any failure alarm (a = +∞), and the
// threshold is reported as +∞, the value S jumps to. For p0 below ~1e-12 the failure step is
// capped at 2^40 units and a success subtracts a/2^40 instead of the (smaller) |b|.
#pragma once

#include <algorithm>
#include <cstdint>

#include "pactum/base/status.h"
#include "pactum/stats/bernoulli.h"

namespace pactum::stats {

class BernoulliCusum {
 public:
  // A chart with threshold h > 0 (in nats, rounded up to the grid). Fails unless
  // 0 ≤ p0 < p1 ≤ 1 and h is finite, positive and below 2^52 grid units.
  static Result<BernoulliCusum> Create(double p0, double p1, double threshold);

  // The chart with the smallest threshold whose in-control ARL is at least target_arl0
  // (DESIGN §5 asks for about 1,000). When even alarming at the first failure gives an ARL
  // of 1/p0 ≥ target (p0 ≤ 1/target), that is the chart returned, with h = ln(p1/p0).
  static Result<BernoulliCusum> ForInControlArl(double p0, double p1, double target_arl0);

  // Adds one event; returns whether the chart is (now) alarmed. O(1), integer arithmetic.
  bool Observe(bool failure) {
    if (state_ >= threshold_units_) return true;
    state_ = failure ? state_ + failure_units_ : std::max<std::int64_t>(0, state_ - success_units_);
    return state_ >= threshold_units_;
  }
  // Back to S = 0, not alarmed.
  void Reset() { state_ = 0; }

  bool alarmed() const { return state_ >= threshold_units_; }
  // S in nats.
  double statistic() const { return state_ == 0 ? 0.0 : static_cast<double>(state_) * unit_; }
  // h in nats, as rounded up to the grid.
  double threshold() const { return static_cast<double>(threshold_units_) * unit_; }
  // The grid unit in nats: thresholds are multiples of it (+∞ when p0 = 0).
  double resolution() const { return unit_; }
  double p0() const { return p0_; }
  double p1() const { return p1_; }

  // The expected number of events from S = 0 until the alarm when events fail independently
  // with the given rate (+∞ if the chart can never alarm). The in-control ARL is
  // AverageRunLength(p0()); the detection delay after the rate doubles, AverageRunLength(p1()).
  // Fails for a rate outside [0, 1], or (kResourceExhausted) if the linear system would need
  // more than ~10^9 operations (a threshold of many thousands of grid units).
  Result<double> AverageRunLength(double failure_rate) const;

 private:
  BernoulliCusum(double p0, double p1, double unit, std::int64_t failure_units,
                 std::int64_t success_units, std::int64_t threshold_units)
      : p0_(p0),
        p1_(p1),
        unit_(unit),
        failure_units_(failure_units),
        success_units_(success_units),
        threshold_units_(threshold_units) {}

  double p0_;
  double p1_;
  double unit_;                   // nats per grid unit
  std::int64_t failure_units_;    // U
  std::int64_t success_units_;    // D; ≥ threshold_units_ when a success resets S
  std::int64_t threshold_units_;  // H ≥ 1
  std::int64_t state_ = 0;        // S in units, in [0, H) unless alarmed
};

}  // namespace pactum::stats
