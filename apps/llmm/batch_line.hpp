#pragma once
// One line of `llmm batch` input, parsed: a Converse request in its JSON wire form with an "id"
// member beside the request's own ({"id":"q1","messages":[...],"inferenceConfig":{...}}), or the
// short form {"id":"q1","prompt":"...","system":"..."} (which may carry any other wire member
// too, e.g. inferenceConfig). The id is a non-empty string or an integer; a line without one
// gets "line-<N>", its 1-based line number, which stays stable while the file does.

#include <llmm/converse_request.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace llmm::cli {

// A value type: not synchronized.
struct BatchLine {
  std::size_t number = 0;  // 1-based, in the input
  std::string id;
  std::optional<ConverseRequest> request;  // set when the line is a valid request
  std::string error;                       // otherwise why not: "line 7: ..."
};

// The id of a line that names none.
[[nodiscard]] std::string line_id(std::size_t number);

// nullopt for a blank line (only spaces, tabs or a '\r'), which is skipped. Never throws.
[[nodiscard]] std::optional<BatchLine> parse_batch_line(std::string_view text, std::size_t number);

}  // namespace llmm::cli
