#pragma once
// Standard base64 with padding (RFC 4648 §4): how Bedrock's JSON carries blob members such as
// image bytes and redacted reasoning (wire doc §2.2).

#include <optional>
#include <string>
#include <string_view>

namespace llmm::protocol {

std::string base64_encode(std::string_view bytes);
// nullopt for a character outside the alphabet, a bad length or misplaced padding.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace llmm::protocol
