#pragma once
// ParallelConfig and ParallelLLMManagerOptions: what a ParallelLLMManager is built from, as one
// aggregate for designated initializers (fields in declaration order):
//
//   llmm::ParallelLLMManager batch({.manager = {.models = {"Claude 3 Haiku"},
//                                               .regions = {"us-east-1"}},
//                                   .parallel = {.max_concurrent_requests = 16}});

#include <llmm/llm_manager_options.hpp>

namespace llmm {

// A value type: not synchronized.
struct ParallelConfig {
  int max_concurrent_requests = 5;  // in flight at once; must be >= 1
};

// A value type: not synchronized. `manager` builds the one underlying LLMManager.
struct ParallelLLMManagerOptions {
  LLMManagerOptions manager;
  ParallelConfig parallel;
};

}  // namespace llmm
