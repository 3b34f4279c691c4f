// An outbound HTTP client (DESIGN §3 `net`): the CLI talking to a pactum server, and later the
// jury's judges and webhook deliveries. One request at a time per client (a libcurl easy
// handle, reused so keep-alive connections are); use one client per thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pactum/base/status.h"

namespace pactum::net {

struct HttpClientOptions {
  std::string base_url;      // e.g. "http://127.0.0.1:7700"; paths are appended to it
  std::string bearer_token;  // sent as Authorization: Bearer … when not empty
  long timeout_ms = 30'000;  // whole request
  long connect_timeout_ms = 5'000;
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

class HttpClient {
 public:
  static Result<std::unique_ptr<HttpClient>> Create(HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends the request and returns whatever status the server answered. Fails (kUnavailable)
  // only when no answer came: connection refused, timeout, TLS or protocol error.
  Result<HttpResponse> Send(const std::string& method, const std::string& path,
                            const std::string& body = "",
                            const std::string& content_type = "application/json",
                            const std::vector<std::string>& extra_headers = {});

 private:
  explicit HttpClient(HttpClientOptions options, void* curl)
      : options_(std::move(options)), curl_(curl) {}
  HttpClientOptions options_;
  void* curl_;  // CURL*
};

// The server's error message from an error response body ({"error":{"message"}}), or the body.
std::string ErrorMessage(const HttpResponse& response);

}  // namespace pactum::net
