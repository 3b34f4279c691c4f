// Errors as values. Every fallible call at a module boundary returns a Status or a Result<T>.
//
// A Status is either OK (cheap: a null pointer) or carries a code, a message meant for the
// person who sent the bad input, and optional structured details (a JSON object naming the
// field, line or position at fault). Codes are domain-neutral; surfaces map them to HTTP
// statuses or exit codes.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

namespace pactum {

using Json = nlohmann::json;

enum class Code {
  kOk = 0,
  kInvalidArgument,     // the caller's input is malformed or fails validation
  kNotFound,            // the named thing does not exist (or is not visible to this tenant)
  kAlreadyExists,       // creating something whose identity is taken
  kConflict,            // the request contradicts stored state (e.g. immutable version)
  kUnauthenticated,     // no credentials, or unknown credentials
  kPermissionDenied,    // known caller, insufficient scope
  kFailedPrecondition,  // the system is not in a state that allows the call
  kResourceExhausted,   // a size or rate limit was hit
  kDeadlineExceeded,    // a time limit was hit
  kUnavailable,         // a dependency is down; retrying may help
  kCorruption,          // stored data does not verify
  kIoError,             // the operating system refused a read or write
  kInternal,            // a bug or an invariant broken
};

// Stable snake_case name of a code, as used in API errors ("invalid_argument").
std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message, Json details = nullptr);
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  ~Status() = default;

  static Status Ok() { return Status(); }

  bool ok() const { return state_ == nullptr; }
  Code code() const { return state_ ? state_->code : Code::kOk; }
  // Empty when ok().
  const std::string& message() const;
  // A JSON object (possibly empty) with machine-readable context: "field", "line", ...
  const Json& details() const;

  // Returns a copy whose message is prefixed with "context: ".
  Status WithContext(std::string_view context) const;
  // Returns a copy with details[key] = value added.
  Status WithDetail(const std::string& key, Json value) const;

  // "invalid_argument: message" or "ok".
  std::string ToString() const;

  // Marks an intentionally ignored status.
  void IgnoreError() const {}

 private:
  struct State {
    Code code;
    std::string message;
    Json details;
  };
  // Out of line, so that destroying an OK status (most of them) is an inlined null test.
  struct Deleter {
    void operator()(State* state) const;
  };
  std::unique_ptr<State, Deleter> state_;
};

// Shorthands for the common codes.
Status InvalidArgument(std::string message, Json details = nullptr);
Status NotFound(std::string message, Json details = nullptr);
Status AlreadyExists(std::string message, Json details = nullptr);
Status Conflict(std::string message, Json details = nullptr);
Status Unauthenticated(std::string message);
Status PermissionDenied(std::string message, Json details = nullptr);
Status FailedPrecondition(std::string message, Json details = nullptr);
Status ResourceExhausted(std::string message, Json details = nullptr);
Status Unavailable(std::string message);
Status Corruption(std::string message, Json details = nullptr);
Status IoError(std::string message);
Status Internal(std::string message);
// InvalidArgument "<field>: <problem>" with details {"field": field}: the shape every validator
// uses, so that clients can point at the offending field.
Status FieldError(const std::string& field, const std::string& problem);

// Either a value or a non-OK Status. Accessing value() of an error aborts: check ok() first.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    if (std::get<Status>(v_).ok()) v_ = Status(Code::kInternal, "Result built from OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace pactum

#define PACTUM_CONCAT_INNER(a, b) a##b
#define PACTUM_CONCAT(a, b) PACTUM_CONCAT_INNER(a, b)

// Returns the status from the enclosing function if `expr` is not OK.
#define PACTUM_TRY(expr) PACTUM_TRY_IMPL(PACTUM_CONCAT(pactum_try_status_, __COUNTER__), expr)
#define PACTUM_TRY_IMPL(tmp, expr) \
  do {                             \
    ::pactum::Status tmp = (expr); \
    if (!tmp.ok()) return tmp;     \
  } while (0)

// `lhs = value of expr`, or returns its status from the enclosing function. It expands to
// several statements: wrap it in braces where a single statement is expected.
#define PACTUM_ASSIGN_OR_RETURN(lhs, expr) \
  PACTUM_ASSIGN_OR_RETURN_IMPL(PACTUM_CONCAT(pactum_result_, __COUNTER__), lhs, expr)
#define PACTUM_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()
