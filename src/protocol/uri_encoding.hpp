#pragma once
// Percent-encoding as Bedrock needs it (wire doc §1.3, §6.2): RFC 3986 strict, byte by byte.
// Only the unreserved set A-Z a-z 0-9 - . _ ~ is kept; every other byte, '/' and ':' included,
// becomes %XX with upper-case hex. There is no form encoding: '+' is a literal plus, space is %20.

#include <optional>
#include <string>
#include <string_view>

namespace llmm::protocol {

// Encodes every byte outside the unreserved set. Not valid UTF-8 is fine: it works on bytes.
std::string uri_encode(std::string_view bytes);

// Decodes %XX escapes (either hex case). Other bytes, '+' included, pass through unchanged.
// nullopt when a '%' is not followed by two hex digits.
std::optional<std::string> uri_decode(std::string_view text);

// One path label, e.g. a model id in /model/{modelId}/converse. The label is non-greedy, so the
// whole value must stay ONE segment: '/' and ':' in ARNs are encoded (%2F, %3A). A literal '/'
// makes the real service answer 200 with an UnknownOperationException body.
std::string encode_path_segment(std::string_view segment);

}  // namespace llmm::protocol
