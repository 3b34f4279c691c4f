// The request and response shapes handlers see: plain structs, independent of the HTTP
// library underneath, so the API can be tested and reasoned about without sockets. A handler
// that can only answer later (once a log leaf is durable) returns Response::Later and answers
// through the Reply, so that waiting for the disk does not hold an io thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
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

class Reply;

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set by Later: the answer is what `later` is sent; the fields above are unused.
  std::shared_ptr<Reply> later;

  static Response Later(std::shared_ptr<Reply> reply);

  static Response Json(int status, const pactum::Json& body);
  static Response Text(int status, std::string body, std::string content_type);
  // {"error":{"code","message","details"}} with the HTTP status of the code.
  static Response Error(const Status& status);
};

// An answer given later, from any thread. Send it exactly once; a reply dropped unsent answers
// 500, so that a lost completion never leaves a client waiting.
class Reply {
 public:
  using Make = std::function<Response()>;
  Reply() = default;
  ~Reply();
  Reply(const Reply&) = delete;
  Reply& operator=(const Reply&) = delete;

  void Send(Response response);
  // Sends what `make` returns, called on an io thread: for answers completed on a thread that
  // other work waits for (the log's sequencer), where rendering JSON would delay every commit.
  void SendMade(Make make);
  // The transport's side: `deliver` gets the answer once it is sent (at once if it already
  // was), on the thread that sends it; calling it there is for the transport to schedule.
  void OnSend(std::function<void(Make)> deliver);

 private:
  std::mutex mu_;
  bool sent_ = false;
  Make made_;  // sent before the transport asked for it
  std::function<void(Make)> deliver_;
};

// The HTTP status for a Status code (kInvalidArgument → 400, kNotFound → 404, ...).
int HttpStatusOf(Code code);

}  // namespace pactum::server
