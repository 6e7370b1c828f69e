#pragma once
// One attempt of a call, as it really happened: which target, how long, what went wrong.

#include <llmm/error.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace llmm {

struct Attempt {
  int number = 1;                               // 1-based, across the whole call
  std::string model_id;                         // the id sent on the wire
  std::string region;
  std::chrono::milliseconds backoff_before{0};  // the wait before this attempt started
  std::chrono::milliseconds duration{0};        // from send to outcome
  std::optional<Error> error;                   // empty when the attempt succeeded
};

}  // namespace llmm
