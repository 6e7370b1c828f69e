#pragma once
// How a ConverseStream that broke after content had started goes on elsewhere without the
// consumer seeing text twice: the next target gets the text so far as the start of the
// assistant's turn, and a model that starts its answer over instead of continuing it has the
// repeated prefix held back. A value type, not synchronized (one call, one loop thread).

#include <llmm/converse_request.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace llmm::converse {

// `request` with `delivered` (whitespace-trimmed at the end, which the service requires) as the
// start of the assistant's turn; `request` itself when nothing was delivered.
ConverseRequest continuation_of(const ConverseRequest& request, const std::string& delivered);

// Holds back text that repeats what the consumer already has, until it either repeats all of it
// (a restart: the repeat is dropped) or departs from it (a continuation: what was held back is
// released).
class RepeatFilter {
 public:
  // Starts watching for a repeat of `kept` (nothing to watch for when it is empty).
  void begin(std::string kept);
  // The part of `text` the consumer should see.
  [[nodiscard]] std::string filter(std::string_view text);
  // The stream ended: anything still held back was a repeat. Returns how many leading
  // characters of this attempt's text repeated `kept`.
  std::size_t finish();
  [[nodiscard]] const std::string& kept() const noexcept { return kept_; }
  // True while text could still be a repeat of kept().
  [[nodiscard]] bool watching() const noexcept { return active_; }

 private:
  std::string kept_;
  std::size_t checked_ = 0;
  std::string held_;
  std::size_t dropped_ = 0;
  bool active_ = false;
};

}  // namespace llmm::converse
