#pragma once
// Converse request and response bodies (wire doc §2-3). The one place they meet JSON; the block
// codec is content_block_json, the response codec converse_response_json.cpp.

#include <llmm/converse_output.hpp>
#include <llmm/converse_request.hpp>
#include <llmm/result.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace llmm::protocol {

// The two operations share a body but not every member: guardrailConfig.streamProcessingMode
// exists only in ConverseStream's model, so a Converse body leaves it out (as the JS SDK does).
enum class ConverseOperation { Converse, ConverseStream };

// Members in the model's order (as the JS SDK sends them); unset optionals and empty lists/maps
// omitted ("messages" too when it is empty and promptVariables are set). Never throws for any
// value: text that is not UTF-8 is sent with U+FFFD in its place.
std::string encode_converse_request(const ConverseRequest& request,
                                    ConverseOperation operation = ConverseOperation::Converse);

// The inverse of encode_converse_request: an InvalidArgument error "malformed Converse request:
// <path> <what is wrong>" for a body that is not a request. Unknown top-level members (e.g.
// modelId) are ignored; unknown content blocks become UnknownBlock. Never throws.
Result<ConverseRequest> decode_converse_request(std::string_view body);

// A body that is not JSON, lacks output.message / stopReason / usage, or has a member of the
// wrong shape gives an Internal error "malformed Converse response: <path> <what is wrong>".
// Unknown content blocks become UnknownBlock; unknown top-level members are kept in
// ConverseOutput::unknown_fields. request_id is left empty (it is a header). Never throws.
Result<ConverseOutput> decode_converse_response(std::string_view body);

// ConverseStream's metadata event payload (wire doc §4.4); a StreamCorrupt error naming the path
// for a payload of the wrong shape. Never throws.
struct StreamMetadata {
  TokenUsage usage;
  std::chrono::milliseconds latency{0};
  std::optional<JsonValue> trace;
  std::optional<PerformanceConfiguration> performance_config;
  std::optional<ServiceTier> service_tier;
};
Result<StreamMetadata> decode_stream_metadata(std::string_view payload);

// The response body Bedrock would have sent for `output` (request_id is not part of it);
// unknown_fields are written back at top level unless they collide with a modelled member.
std::string encode_converse_output(const ConverseOutput& output);

}  // namespace llmm::protocol
