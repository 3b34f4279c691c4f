// The log-likelihood ratio of one Bernoulli event between two failure rates, shared by the
// drift chart (CUSUM) and the recovery test (SPRT) of DESIGN §5.
//
// For in-control failure rate p0 and out-of-control rate p1 > p0, an event with failure
// indicator x contributes x·ln(p1/p0) + (1−x)·ln((1−p1)/(1−p0)) to the evidence for p1. The
// contributions can be infinite: a failure is +∞ when p0 = 0 (a failure is impossible in
// control), a success −∞ when p1 = 1 (a success is impossible out of control).
#pragma once

#include "pactum/base/status.h"

namespace pactum::stats {

struct BernoulliLogLikelihoodRatio {
  double failure;  // ln(p1/p0) > 0
  double success;  // ln((1−p1)/(1−p0)) < 0

  double Of(bool failed) const { return failed ? failure : success; }
};

// DESIGN §5's default alternative to p0: min(1, 2·p0). It is degenerate (equal to p0) for
// p0 = 0 and p0 = 1, which callers must then replace with an explicit p1.
double DoubledFailureRate(double p0);
// The alternative trust's drift charts use: min(2·p0, (1 + p0)/2), doubling the failure rate
// or, where that would pass the midpoint, halving the success rate. Above p0 for every
// p0 ∈ (0, 1) (so the chart is never degenerate there) and continuous at p0 = 1/3.
double DriftFailureRate(double p0);

// Fails unless 0 ≤ p0 < p1 ≤ 1; the message names "p0" or "p1".
Result<BernoulliLogLikelihoodRatio> BernoulliLlr(double p0, double p1);

}  // namespace pactum::stats
