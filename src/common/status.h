// Status and Result<T>: errors as values for expected failures (bad input, I/O, refusals).
// Used by every area; cheap to move; an OK Status holds no allocation.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace periscope {

// Codes follow gRPC's canonical codes so that receivers can map them 1:1 onto OTLP answers.
enum class StatusCode : int {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
  kUnauthenticated = 16,
};

std::string_view statusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message);

  static Status ok() { return {}; }
  bool isOk() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  std::string_view message() const { return rep_ ? std::string_view(rep_->message) : ""; }
  // Retryable per the OTLP spec: the client may send the same data again later.
  bool isRetryable() const;
  // Seconds a client should wait before retrying (0 = unspecified).
  int retryAfterSeconds() const { return rep_ ? rep_->retry_after_s : 0; }
  Status& withRetryAfter(int seconds);
  std::string toString() const;

 private:
  struct Rep {
    StatusCode code;
    std::string message;
    int retry_after_s = 0;
  };
  std::shared_ptr<Rep> rep_;  // shared: Status is copied across threads and fan-out branches
};

inline Status invalidArgument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status unavailable(std::string m) {
  return {StatusCode::kUnavailable, std::move(m)};
}
inline Status resourceExhausted(std::string m) {
  return {StatusCode::kResourceExhausted, std::move(m)};
}
inline Status internalError(std::string m) {
  return {StatusCode::kInternal, std::move(m)};
}
inline Status notFound(std::string m) {
  return {StatusCode::kNotFound, std::move(m)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT: implicit on purpose
  Result(Status status) : v_(std::move(status)) {}  // NOLINT

  bool isOk() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return isOk() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace periscope

#define PERISCOPE_RETURN_IF_ERROR(expr) \
  do {                                  \
    ::periscope::Status _st = (expr);   \
    if (!_st.isOk()) return _st;        \
  } while (0)
