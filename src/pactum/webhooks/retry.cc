#include "pactum/webhooks/retry.h"

#include <algorithm>
#include <cmath>

namespace pactum::webhooks {

std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int failures, double uniform) {
  const double base = static_cast<double>(policy.base.count());
  const double cap = static_cast<double>(policy.cap.count());
  // 2^62 is past any cap; clamping the exponent keeps the double finite.
  const int exponent = std::clamp(failures - 1, 0, 62);
  const double backoff = std::min(base * std::ldexp(1.0, exponent), cap);
  const double u = std::clamp(uniform, 0.0, 1.0);
  const double scaled = backoff * (1.0 + policy.jitter * (2.0 * u - 1.0));
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::max(scaled, 0.0)));
}

}  // namespace pactum::webhooks
