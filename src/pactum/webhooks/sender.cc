#include "pactum/webhooks/sender.h"

#include "pactum/net/http_client.h"
#include "pactum/webhooks/signature.h"

namespace pactum::webhooks {
namespace {

constexpr std::size_t kMaxUrl = 2048;
constexpr std::size_t kResponseShown = 512;

// The client appends paths to a base URL and trims the base's trailing slashes, so the URL is
// split after its authority: "http://h:1/a/" → "http://h:1" + "/a/".
std::pair<std::string, std::string> SplitUrl(const std::string& url) {
  const std::size_t scheme = url.find("://");
  const std::size_t path = url.find_first_of("/?#", scheme + 3);
  if (path == std::string::npos) return {url, "/"};
  if (url[path] == '/') return {url.substr(0, path), url.substr(path)};
  std::string rest(1, '/');  // "http://h?q" → "/?q"
  rest.append(url, path, std::string::npos);
  return {url.substr(0, path), rest};
}

}  // namespace

Status CheckUrl(std::string_view url) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument("url: " + why, {{"field", "url"}});
  };
  if (url.empty()) return bad("required");
  if (url.size() > kMaxUrl) return bad("longer than 2048 characters");
  std::string_view rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else {
    return bad("must start with http:// or https://");
  }
  const std::size_t end = rest.find_first_of("/?#");
  if (rest.substr(0, end).empty()) return bad("has no host");
  for (char c : url)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
      return bad("contains a space or control");
  return Status::Ok();
}

Attempt Send(const std::string& url, const Message& message, std::string_view secret, TimePoint now,
             const SendOptions& options) {
  Attempt attempt;
  const std::int64_t timestamp = UnixMillis(now) / 1000;
  auto signature = Sign(secret, message.id, timestamp, message.body);
  if (!signature.ok()) {
    attempt.error = signature.status().message();
    return attempt;
  }
  auto [base, path] = SplitUrl(url);
  auto client = net::HttpClient::Create({.base_url = base,
                                         .bearer_token = "",
                                         .timeout_ms = options.timeout.count(),
                                         .connect_timeout_ms = options.connect_timeout.count()});
  if (!client.ok()) {
    attempt.error = client.status().message();
    return attempt;
  }
  const auto start = std::chrono::steady_clock::now();
  auto response = (*client)->Send(
      "POST", path, message.body, "application/json",
      {"webhook-id: " + message.id, "webhook-timestamp: " + std::to_string(timestamp),
       "webhook-signature: " + *signature, "User-Agent: pactum-webhooks", "Expect:"});
  attempt.latency = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  if (!response.ok()) {
    attempt.error = response.status().message();
    return attempt;
  }
  attempt.status = response->status;
  attempt.response = response->body.substr(0, kResponseShown);
  if (!attempt.delivered())
    attempt.error = "the receiver answered HTTP " + std::to_string(attempt.status);
  return attempt;
}

}  // namespace pactum::webhooks
