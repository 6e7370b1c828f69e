#include "converse/stream_continuation.hpp"

#include <cctype>

namespace llmm::converse {

ConverseRequest continuation_of(const ConverseRequest& request, const std::string& delivered) {
  std::string prefix = delivered;
  // The service refuses an assistant turn ending in whitespace.
  while (!prefix.empty() && std::isspace(static_cast<unsigned char>(prefix.back())) != 0) {
    prefix.pop_back();
  }
  if (prefix.empty()) return request;
  ConverseRequest continued = request;
  if (!continued.messages.empty() && continued.messages.back().role == Role::Assistant) {
    continued.messages.back().content.emplace_back(TextBlock{std::move(prefix)});
  } else {
    continued.messages.push_back(Message{Role::Assistant, {TextBlock{std::move(prefix)}}});
  }
  return continued;
}

void RepeatFilter::begin(std::string kept) {
  kept_ = std::move(kept);
  checked_ = 0;
  held_.clear();
  dropped_ = 0;
  active_ = !kept_.empty();
}

std::string RepeatFilter::filter(std::string_view text) {
  if (!active_) return std::string(text);
  std::string fresh;
  for (char c : text) {
    if (active_ && c == kept_[checked_]) {
      held_ += c;
      if (++checked_ == kept_.size()) {  // a full restart: drop it
        dropped_ = held_.size();
        held_.clear();
        active_ = false;
      }
      continue;
    }
    if (active_) {  // a real continuation: release what was held back
      fresh += held_;
      held_.clear();
      active_ = false;
    }
    fresh += c;
  }
  return fresh;
}

std::size_t RepeatFilter::finish() {
  if (active_) {  // the stream ended inside a repeat: the consumer has all of it
    dropped_ = checked_;
    held_.clear();
    active_ = false;
  }
  return dropped_;
}

}  // namespace llmm::converse
