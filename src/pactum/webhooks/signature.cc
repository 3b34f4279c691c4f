#include "pactum/webhooks/signature.h"

#include <charconv>

#include "pactum/base/digest.h"
#include "pactum/base/encoding.h"

namespace pactum::webhooks {
namespace {

constexpr std::size_t kNewSecretBytes = 32;
constexpr std::size_t kMinSecretBytes = 24;
constexpr std::size_t kMaxSecretBytes = 64;

std::string SignedContent(std::string_view id, std::string_view timestamp, std::string_view body) {
  std::string content;
  content.reserve(id.size() + timestamp.size() + body.size() + 2);
  content.append(id).append(".").append(timestamp).append(".").append(body);
  return content;
}

}  // namespace

Result<std::string> NewSecret() {
  PACTUM_ASSIGN_OR_RETURN(std::string bytes, SecureRandomBytes(kNewSecretBytes));
  return std::string(kSecretPrefix) + Base64Encode(bytes);
}

Result<std::string> SecretKey(std::string_view secret) {
  if (secret.substr(0, kSecretPrefix.size()) == kSecretPrefix)
    secret.remove_prefix(kSecretPrefix.size());
  auto key = Base64Decode(secret);
  if (!key.ok())
    return InvalidArgument("the secret is not whsec_ followed by base64: " + key.status().message(),
                           {{"field", "secret"}});
  if (key->size() < kMinSecretBytes || key->size() > kMaxSecretBytes)
    return InvalidArgument(
        "the secret must hold 24 to 64 bytes, not " + std::to_string(key->size()),
        {{"field", "secret"}});
  return key;
}

Result<std::string> Sign(std::string_view secret, std::string_view id, std::int64_t timestamp,
                         std::string_view body) {
  PACTUM_ASSIGN_OR_RETURN(std::string key, SecretKey(secret));
  const Sha256Digest mac = HmacSha256(key, SignedContent(id, std::to_string(timestamp), body));
  return "v1," + Base64Encode(AsBytes(mac));
}

Status Verify(std::string_view secret, const SignedHeaders& headers, std::string_view body,
              TimePoint now, std::chrono::seconds tolerance) {
  if (headers.id.empty()) return Unauthenticated("webhook-id is missing");
  std::int64_t seconds = 0;
  const std::string& ts = headers.timestamp;
  auto [end, ec] = std::from_chars(ts.data(), ts.data() + ts.size(), seconds);
  if (ts.empty() || ec != std::errc() || end != ts.data() + ts.size() || seconds < 0)
    return Unauthenticated("webhook-timestamp is not a Unix time in seconds");
  const std::int64_t skew = UnixMillis(now) / 1000 - seconds;
  if (skew > tolerance.count() || -skew > tolerance.count())
    return Unauthenticated("webhook-timestamp is " + std::to_string(skew < 0 ? -skew : skew) +
                           " s away from now (tolerance " + std::to_string(tolerance.count()) +
                           " s)");
  PACTUM_ASSIGN_OR_RETURN(std::string key, SecretKey(secret));
  const std::string expected =
      Base64Encode(AsBytes(HmacSha256(key, SignedContent(headers.id, ts, body))));
  // Every candidate is compared, so the time taken does not tell which one matched.
  bool matched = false;
  std::string_view list = headers.signature;
  while (!list.empty()) {
    const std::size_t space = list.find(' ');
    std::string_view token = list.substr(0, space);
    list = space == std::string_view::npos ? std::string_view() : list.substr(space + 1);
    const std::size_t comma = token.find(',');
    if (comma == std::string_view::npos || token.substr(0, comma) != "v1") continue;
    matched = ConstantTimeEqual(token.substr(comma + 1), expected) || matched;
  }
  if (!matched) return Unauthenticated("no v1 signature in webhook-signature matches");
  return Status::Ok();
}

}  // namespace pactum::webhooks
