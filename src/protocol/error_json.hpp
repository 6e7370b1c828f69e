#pragma once
// Private: the one JSON form of an llmm::Error, shared by Error::to_json() and
// BedrockResponse::to_json(), and its reader for BedrockResponse::from_json().

#include <llmm/error.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace llmm::protocol {

nlohmann::json error_json(const Error& error);
// error_json's form back; throws wire::WireError naming `path` and what is wrong.
Error error_from_json(const nlohmann::json& value, const std::string& path);

}  // namespace llmm::protocol
