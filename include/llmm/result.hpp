#pragma once
// Result<T>: a value or an llmm::Error. Member names follow std::expected (C++23), so a later
// switch is a one-line alias.

#include <llmm/error.hpp>

#include <stdexcept>
#include <utility>
#include <variant>

namespace llmm {

// Thrown only by Result::value() on an error result: reaching for a value that is not there is
// a programming error, not a request outcome.
// Immutable after construction.
class BadResultAccess : public std::logic_error {
 public:
  explicit BadResultAccess(const Error& error)
      : std::logic_error("Result holds an error: " + error.describe()), error_(error) {}
  [[nodiscard]] const Error& error() const noexcept { return error_; }

 private:
  Error error_;
};

// A value type: not synchronized (const access from several threads is safe, as for
// std::optional).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  [[nodiscard]] bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & {
    check();
    return std::get<0>(state_);
  }
  const T& value() const& {
    check();
    return std::get<0>(state_);
  }
  T&& value() && {
    check();
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // Precondition: !has_value().
  [[nodiscard]] const Error& error() const& { return std::get<1>(state_); }
  [[nodiscard]] Error& error() & { return std::get<1>(state_); }

 private:
  void check() const {
    if (!has_value()) throw BadResultAccess(std::get<1>(state_));
  }
  std::variant<T, Error> state_;
};

// A value type: not synchronized.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  [[nodiscard]] bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  void value() const {
    if (!ok_) throw BadResultAccess(error_);
  }
  [[nodiscard]] const Error& error() const& { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace llmm
