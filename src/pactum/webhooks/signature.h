// Standard Webhooks signatures (https://www.standardwebhooks.com, symmetric scheme): a message
// is signed with HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}" under the
// subscription's secret, and the signature is sent as "v1,<base64>" in `webhook-signature`.
// Secrets are shown to people as "whsec_<base64 of 24-64 random bytes>".
//
// Verification accepts any one matching signature of a space-separated list (so a sender can
// sign with an old and a new secret while rotating) and refuses timestamps outside a tolerance
// (replays), comparing MACs in constant time.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "pactum/base/clock.h"
#include "pactum/base/status.h"

namespace pactum::webhooks {

inline constexpr std::string_view kSecretPrefix = "whsec_";

// A fresh secret: "whsec_" + base64 of 32 random bytes.
Result<std::string> NewSecret();

// The HMAC key a secret stands for. The "whsec_" prefix is optional, as in the reference
// libraries; the rest must be strict base64 of 24 to 64 bytes.
Result<std::string> SecretKey(std::string_view secret);

// "v1,<base64 HMAC-SHA256 of id.timestamp.body>".
Result<std::string> Sign(std::string_view secret, std::string_view id, std::int64_t timestamp,
                         std::string_view body);

// The three headers of one attempt, as the receiver reads them.
struct SignedHeaders {
  std::string id;         // webhook-id
  std::string timestamp;  // webhook-timestamp: Unix seconds
  std::string signature;  // webhook-signature: "v1,... v1,..."
};

// OK if `headers` carry a valid signature of `body` under `secret` and the timestamp is within
// `tolerance` of `now`. Errors (kUnauthenticated) say which check failed, never the expected
// signature.
Status Verify(std::string_view secret, const SignedHeaders& headers, std::string_view body,
              TimePoint now, std::chrono::seconds tolerance = std::chrono::minutes(5));

}  // namespace pactum::webhooks
