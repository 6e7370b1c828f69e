#pragma once
// The JSON line `llmm batch` writes for each input line (docs/UserGuide.md §6 lists every member):
//   {"id":"q1","line":1,"ok":true,"outcome":"succeeded","text":"...","stop_reason":"end_turn",
//    "usage":{...},"model_name":...,"model_id":...,"region":...,"access_method":...,
//    "profile_id":...,"start_region":...,"attempts":1,"duration_ms":12,"request_id":...}
// and on failure "ok":false, the outcome ("failed", "timed_out", "invalid_input") and "error"
// in the form of Error::to_json(). With `full` the whole BedrockResponse::to_json() is added as
// "response". Never a credential; invalid UTF-8 in a model's text is replaced, not fatal.

#include "batch_line.hpp"

#include <llmm/parallel_result.hpp>

#include <cstddef>
#include <string>

namespace llmm::cli {

[[nodiscard]] std::string result_record(const ParallelResult& result, std::size_t line, bool full);
[[nodiscard]] std::string invalid_line_record(const BatchLine& line);

}  // namespace llmm::cli
