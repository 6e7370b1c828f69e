#pragma once
// Private: the one JSON form of an llmm::Error, shared by Error::to_json() and
// BedrockResponse::to_json().

#include <llmm/error.hpp>

#include <nlohmann/json.hpp>

namespace llmm::protocol {

nlohmann::json error_json(const Error& error);

}  // namespace llmm::protocol
