// Status and Result<T>: errors as values.
//
// A Status is either OK or a code with a message. Codes carry policy:
//   kUnavailable      Redis or Twilio down, timeouts: retry later, never drop.
//   kInvalidArgument  bad row, bad config, bad input: report once and skip.
//   kNotFound         the thing asked for does not exist.
//   kPermanent        the remote side refused for good (e.g. Twilio 21211).
//   kFailedPrecondition  the world changed under us (lost lease, moved session).
//   kInternal         a bug or an unexpected reply.
// Result<T> holds a T or a non-OK Status (C++17 has no std::expected).
//
// Thread-safety: value types; distinct objects may be used from any thread.
#ifndef CHECKIN_STATUS_H_
#define CHECKIN_STATUS_H_

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace checkin {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,
    kNotFound,
    kUnavailable,
    kPermanent,
    kFailedPrecondition,
    kInternal,
  };

  Status() = default;  // OK
  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) { return {Code::kInvalidArgument, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {Code::kUnavailable, std::move(msg)}; }
  static Status Permanent(std::string msg) { return {Code::kPermanent, std::move(msg)}; }
  static Status FailedPrecondition(std::string msg) { return {Code::kFailedPrecondition, std::move(msg)}; }
  static Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  bool IsUnavailable() const { return code_ == Code::kUnavailable; }
  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }

  // "Unavailable: redis 127.0.0.1:6379: Connection refused"; "OK" when ok().
  std::string ToString() const;

  // A copy whose message is prefixed with `context` + ": ".
  Status WithContext(const std::string& context) const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

const char* CodeName(Status::Code code);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok() && "Result built from an OK Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  // The error; Status::OK() when ok().
  Status status() const { return ok() ? Status::OK() : std::get<Status>(v_); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace checkin

// Returns the Status of `expr` from the enclosing function when it is not OK.
#define CHECKIN_RETURN_IF_ERROR(expr)             \
  do {                                            \
    ::checkin::Status checkin_status_ = (expr);   \
    if (!checkin_status_.ok()) return checkin_status_; \
  } while (0)

#endif  // CHECKIN_STATUS_H_
