#include "pactum/server/http.h"

#include "pactum/base/json.h"

namespace pactum::server {

const std::string* Request::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? nullptr : &it->second;
}

Result<Json> Request::JsonBody() const {
  // The Content-Type is not checked: every body is JSON, and curl's form default is common.
  if (body.empty()) return InvalidArgument("the request needs a JSON body", {{"field", "body"}});
  return ParseJson(body);
}

Response Response::Json(int status, const pactum::Json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, pactum::Json::error_handler_t::replace);
  r.body.push_back('\n');
  return r;
}

Response Response::Text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

Response Response::Error(const Status& status) {
  pactum::Json details = status.details().is_object() ? status.details() : pactum::Json::object();
  return Json(HttpStatusOf(status.code()), {{"error",
                                             {{"code", std::string(CodeName(status.code()))},
                                              {"message", status.message()},
                                              {"details", details}}}});
}

Response Response::Later(std::shared_ptr<Reply> reply) {
  Response r;
  r.later = std::move(reply);
  return r;
}

Reply::~Reply() {
  if (!sent_ && deliver_)
    deliver_([] { return Response::Error(Internal("the answer to this request was lost")); });
}

void Reply::Send(Response response) {
  SendMade([response = std::move(response)]() mutable { return std::move(response); });
}

void Reply::SendMade(Make make) {
  std::function<void(Make)> deliver;
  {
    std::lock_guard lock(mu_);
    if (sent_) return;
    sent_ = true;
    if (!deliver_) {
      made_ = std::move(make);
      return;
    }
    deliver = std::move(deliver_);
  }
  deliver(std::move(make));
}

void Reply::OnSend(std::function<void(Make)> deliver) {
  Make made;
  {
    std::lock_guard lock(mu_);
    if (!sent_) {
      deliver_ = std::move(deliver);
      return;
    }
    made = std::move(made_);
  }
  if (made) deliver(std::move(made));
}

int HttpStatusOf(Code code) {
  switch (code) {
    case Code::kOk:
      return 200;
    case Code::kInvalidArgument:
      return 400;
    case Code::kUnauthenticated:
      return 401;
    case Code::kPermissionDenied:
      return 403;
    case Code::kNotFound:
      return 404;
    case Code::kAlreadyExists:
    case Code::kConflict:
      return 409;
    case Code::kFailedPrecondition:
      return 412;
    case Code::kResourceExhausted:
      return 413;
    case Code::kDeadlineExceeded:
      return 408;
    case Code::kUnavailable:
      return 503;
    case Code::kCorruption:
    case Code::kIoError:
    case Code::kInternal:
      return 500;
  }
  return 500;
}

}  // namespace pactum::server
