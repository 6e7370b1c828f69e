#pragma once
// ParallelRequest: one request of a batch, with the id its result is reported under.

#include <llmm/converse_request.hpp>

#include <string>

namespace llmm {

// A value type: not synchronized.
struct ParallelRequest {
  // Names the result. converse_parallel() generates "request-<index>" (0-based input position)
  // for an empty id; two requests with the same id are refused before anything is sent.
  std::string id;
  ConverseRequest request;
};

}  // namespace llmm
