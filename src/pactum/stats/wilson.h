// The Wilson score interval's lower end for a plain proportion: k successes in n trials.
//
// It is the lower end of the two-sided interval at the given confidence level (0.95 gives
// z = 1.959964), as published by Wilson (1927) and tabulated by Newcombe (1998). Counts may be
// fractional (weighted evidence). It is 0 when n = 0: no evidence bounds nothing.
#pragma once

#include "pactum/base/status.h"

namespace pactum::stats {

// Fails unless 0 ≤ k ≤ n (finite) and 0 < confidence < 1; messages name the field.
Result<double> WilsonLowerBound(double k, double n, double confidence = 0.95);

}  // namespace pactum::stats
