#include "pactum/base/status.h"

namespace pactum {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk:
      return "ok";
    case Code::kInvalidArgument:
      return "invalid_argument";
    case Code::kNotFound:
      return "not_found";
    case Code::kAlreadyExists:
      return "already_exists";
    case Code::kConflict:
      return "conflict";
    case Code::kUnauthenticated:
      return "unauthenticated";
    case Code::kPermissionDenied:
      return "permission_denied";
    case Code::kFailedPrecondition:
      return "failed_precondition";
    case Code::kResourceExhausted:
      return "resource_exhausted";
    case Code::kDeadlineExceeded:
      return "deadline_exceeded";
    case Code::kUnavailable:
      return "unavailable";
    case Code::kCorruption:
      return "corruption";
    case Code::kIoError:
      return "io_error";
    case Code::kInternal:
      return "internal";
  }
  return "unknown";
}

void Status::Deleter::operator()(State* state) const {
  delete state;
}

Status::Status(Code code, std::string message, Json details) {
  if (code == Code::kOk) return;
  if (!details.is_object()) details = Json::object();
  state_.reset(new State{code, std::move(message), std::move(details)});
}

Status::Status(const Status& other) : state_(other.state_ ? new State(*other.state_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other) state_.reset(other.state_ ? new State(*other.state_) : nullptr);
  return *this;
}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return state_ ? state_->message : kEmpty;
}

const Json& Status::details() const {
  static const Json kEmpty = Json::object();
  return state_ ? state_->details : kEmpty;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  return Status(state_->code, std::string(context) + ": " + state_->message, state_->details);
}

Status Status::WithDetail(const std::string& key, Json value) const {
  if (ok()) return *this;
  Status copy(*this);
  copy.state_->details[key] = std::move(value);
  return copy;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(CodeName(state_->code)) + ": " + state_->message;
}

Status InvalidArgument(std::string m, Json d) {
  return {Code::kInvalidArgument, std::move(m), std::move(d)};
}
Status FieldError(const std::string& field, const std::string& problem) {
  return InvalidArgument(field + ": " + problem, Json{{"field", field}});
}
Status NotFound(std::string m, Json d) {
  return {Code::kNotFound, std::move(m), std::move(d)};
}
Status AlreadyExists(std::string m, Json d) {
  return {Code::kAlreadyExists, std::move(m), std::move(d)};
}
Status Conflict(std::string m, Json d) {
  return {Code::kConflict, std::move(m), std::move(d)};
}
Status Unauthenticated(std::string m) {
  return {Code::kUnauthenticated, std::move(m)};
}
Status PermissionDenied(std::string m, Json d) {
  return {Code::kPermissionDenied, std::move(m), std::move(d)};
}
Status FailedPrecondition(std::string m, Json d) {
  return {Code::kFailedPrecondition, std::move(m), std::move(d)};
}
Status ResourceExhausted(std::string m, Json d) {
  return {Code::kResourceExhausted, std::move(m), std::move(d)};
}
Status Unavailable(std::string m) {
  return {Code::kUnavailable, std::move(m)};
}
Status Corruption(std::string m, Json d) {
  return {Code::kCorruption, std::move(m), std::move(d)};
}
Status IoError(std::string m) {
  return {Code::kIoError, std::move(m)};
}
Status Internal(std::string m) {
  return {Code::kInternal, std::move(m)};
}

}  // namespace pactum
