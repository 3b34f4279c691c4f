// The request and response shapes handlers see: plain structs, independent of the HTTP
// library underneath, so the API can be tested and reasoned about without sockets.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/service/auth.h"

namespace pactum::server {

struct Request {
  std::string method;                          // "GET", "POST", ...
  std::string path;                            // decoded path, without the query
  std::map<std::string, std::string> query;    // decoded query parameters
  std::map<std::string, std::string> params;   // path parameters from the route pattern
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;
  std::optional<service::Principal> principal;  // set once authenticated

  const std::string* Header(const std::string& lowercase_name) const;
  // The body as JSON; a syntax error is a 400 naming line and column.
  Result<Json> JsonBody() const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static Response Json(int status, const pactum::Json& body);
  static Response Text(int status, std::string body, std::string content_type);
  // {"error":{"code","message","details"}} with the HTTP status of the code.
  static Response Error(const Status& status);
};

// The HTTP status for a Status code (kInvalidArgument → 400, kNotFound → 404, ...).
int HttpStatusOf(Code code);

}  // namespace pactum::server
