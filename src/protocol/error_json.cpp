#include "protocol/error_json.hpp"

namespace llmm {

namespace protocol {

nlohmann::json error_json(const Error& error) {
  return {{"code", std::string(to_string(error.code))},
          {"message", error.message},
          {"http_status", error.http_status},
          {"aws_error_type", error.aws_error_type},
          {"request_id", error.request_id},
          {"model_id", error.model_id},
          {"region", error.region},
          {"attempt", error.attempt}};
}

}  // namespace protocol

std::string Error::to_json() const {
  // Messages may quote a server's bytes: replace invalid UTF-8 instead of throwing.
  return protocol::error_json(*this).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace llmm
