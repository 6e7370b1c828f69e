#pragma once
// Where configuration reads environment variables from: the process environment by default, a
// fixed map in tests and embeddings that must not depend on the process.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace llmm {

// Immutable after construction; get() may be called from any thread. process() reads the
// process environment at each lookup (std::getenv), which must not race setenv()/putenv().
class Environment {
 public:
  // Reads the process environment at lookup time.
  static Environment process();
  // A fixed set of variables; everything else is unset.
  static Environment from_map(std::map<std::string, std::string, std::less<>> variables);

  // The value of `name`, or nullopt when it is unset. An empty value counts as set.
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
  // The value of `name` when it is set and not empty.
  [[nodiscard]] std::optional<std::string> get_non_empty(std::string_view name) const;

 private:
  using Lookup = std::function<std::optional<std::string>(std::string_view)>;
  explicit Environment(Lookup lookup) : lookup_(std::move(lookup)) {}
  Lookup lookup_;
};

}  // namespace llmm
