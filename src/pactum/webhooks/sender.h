// One delivery attempt: POSTs a message, signed for this attempt, to a receiver and reports what
// came back. A 2xx answer is a delivery; anything else (another status, a timeout, a refused
// connection) is a failed attempt. Redirects are not followed: the receiver should give its
// real URL.
#pragma once

#include <chrono>
#include <string>

#include "pactum/base/clock.h"
#include "pactum/webhooks/message.h"

namespace pactum::webhooks {

struct SendOptions {
  std::chrono::milliseconds timeout{15'000};  // the whole request
  std::chrono::milliseconds connect_timeout{5'000};
};

struct Attempt {
  long status = 0;  // the receiver's HTTP status; 0 when no answer came
  std::chrono::milliseconds latency{0};
  std::string error;     // why it failed; empty on a 2xx
  std::string response;  // the start of the receiver's body, for people to read
  bool delivered() const { return status >= 200 && status < 300; }
};

// Checks a subscription URL: http or https, with a host, at most 2048 characters. The error
// names `url`.
Status CheckUrl(std::string_view url);

// Signs `message` with `secret` at `now` (webhook-timestamp) and POSTs it to `url`.
Attempt Send(const std::string& url, const Message& message, std::string_view secret, TimePoint now,
             const SendOptions& options);

}  // namespace pactum::webhooks
