#include "pactum/stats/wilson.h"

#include <cmath>
#include <string>

#include <boost/math/special_functions/erf.hpp>

namespace pactum::stats {

Result<double> WilsonLowerBound(double k, double n, double confidence) {
  if (!(n >= 0 && std::isfinite(n))) {
    return InvalidArgument("n must be finite and non-negative, got " + std::to_string(n),
                           {{"field", "n"}});
  }
  if (!(k >= 0 && k <= n)) {
    return InvalidArgument("k must be in [0, n], got " + std::to_string(k), {{"field", "k"}});
  }
  if (!(confidence > 0 && confidence < 1)) {
    return InvalidArgument("confidence must be in (0, 1), got " + std::to_string(confidence),
                           {{"field", "confidence"}});
  }
  if (n == 0) return 0.0;
  // The two-sided normal quantile: P(|Z| ≤ z) = confidence.
  const double z = std::sqrt(2.0) * boost::math::erf_inv(confidence);
  const double z2 = z * z;
  const double p = k / n;
  const double centre = p + z2 / (2 * n);
  const double spread = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  // (centre − spread) / (1 + z²/n), rewritten with centre² − spread² = p²·(1 + z²/n) so that
  // small proportions do not lose their digits to cancellation (and k = 0 gives exactly 0).
  return p * p / (centre + spread);
}

}  // namespace pactum::stats
