#pragma once
// Private: content blocks, system blocks and messages to and from JSON (wire doc §2.1). Encoders
// build nlohmann::ordered_json in the model's member order; decoders throw wire::WireError
// naming the path of what is wrong.

#include <llmm/content_block.hpp>
#include <llmm/converse_request.hpp>

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>

namespace llmm::protocol {

nlohmann::ordered_json encode_content_block(const ContentBlock& block);
ContentBlock decode_content_block(const nlohmann::json& value, const std::string& path);

nlohmann::ordered_json encode_system_block(const SystemContentBlock& block);
SystemContentBlock decode_system_block(const nlohmann::json& value, const std::string& path);

nlohmann::ordered_json encode_cache_point(const CachePointBlock& block);
CachePointBlock decode_cache_point(const nlohmann::json& value, const std::string& path);

nlohmann::ordered_json encode_message(const Message& message);
// A missing or unknown role is an error unless `fallback` is given.
Message decode_message(const nlohmann::json& value, const std::string& path,
                       std::optional<Role> fallback);

}  // namespace llmm::protocol
