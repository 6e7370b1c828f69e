#pragma once
// Converse request and response bodies (wire doc §2-3). The one place they meet JSON.

#include <llmm/converse_output.hpp>
#include <llmm/converse_request.hpp>
#include <llmm/result.hpp>

#include <string>
#include <string_view>

namespace llmm::protocol {

std::string encode_converse_request(const ConverseRequest& request);

// A body that is not JSON, or lacks output.message / stopReason / usage, gives an Internal error
// saying what was wrong. Unknown members are ignored.
Result<ConverseOutput> decode_converse_response(std::string_view body);

}  // namespace llmm::protocol
