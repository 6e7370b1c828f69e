#include "query_string.hpp"

#include "protocol/uri_encoding.hpp"

namespace bedrock_emulator {

QueryParameters parse_query(std::string_view raw) {
  QueryParameters query;
  while (!raw.empty()) {
    const std::size_t amp = raw.find('&');
    const std::string_view pair = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view() : raw.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    const std::string_view key = pair.substr(0, eq);
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    query.emplace_back(llmm::protocol::uri_decode(key).value_or(std::string(key)),
                       llmm::protocol::uri_decode(value).value_or(std::string(value)));
  }
  return query;
}

}  // namespace bedrock_emulator
