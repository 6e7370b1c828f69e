#pragma once
// Plain HTTP request and response values, free of libcurl.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmm::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive lookup of the first header called `name`.
std::optional<std::string> find_header(const Headers& headers, std::string_view name);

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute: scheme://host[:port]/path?query, path already percent-encoded
  Headers headers;
  std::string body;
};

struct HttpResponse {
  long status = 0;
  Headers headers;  // names as received
  std::string body;

  [[nodiscard]] std::optional<std::string> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

}  // namespace llmm::http
