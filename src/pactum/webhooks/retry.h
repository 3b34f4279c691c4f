// When a failed delivery is tried again: exponential backoff from a base, capped, with random
// jitter so that receivers that failed together are not retried together (Standard Webhooks
// "Deliverability and reliability"). The base is configurable so tests run in seconds.
#pragma once

#include <chrono>

namespace pactum::webhooks {

struct RetryPolicy {
  std::chrono::milliseconds base{5'000};     // the wait after the first failure
  std::chrono::milliseconds cap{3'600'000};  // no wait is longer (before jitter)
  double jitter = 0.2;                       // the wait is scaled by 1 ± jitter
};

// The wait after the `failures`-th consecutive failed attempt (1 for the first): base·2^(n-1),
// at most cap, scaled by 1 + jitter·(2u − 1) for `uniform` u in [0, 1).
std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int failures, double uniform);

}  // namespace pactum::webhooks
