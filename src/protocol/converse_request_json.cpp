// ConverseRequest's public JSON form: the wire codec of converse_json.hpp, reached through the
// domain type so that applications (the CLI's batch reader among them) need no private header.
#include <llmm/converse_request.hpp>

#include "protocol/converse_json.hpp"

namespace llmm {

Result<ConverseRequest> ConverseRequest::from_json(std::string_view json_text) {
  return protocol::decode_converse_request(json_text);
}

std::string ConverseRequest::to_json() const { return protocol::encode_converse_request(*this); }

}  // namespace llmm
