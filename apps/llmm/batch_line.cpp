#include "batch_line.hpp"

#include "protocol/json_value_nlohmann.hpp"

#include <nlohmann/json.hpp>

namespace llmm::cli {
namespace {

using nlohmann::json;

// Ids appear in every output record and in the shard hash; a megabyte of id is a mistake.
constexpr std::size_t kMaxIdBytes = 1024;
BatchLine invalid(std::size_t number, std::string id, const std::string& why) {
  BatchLine line;
  line.number = number;
  line.id = std::move(id);
  line.error = "line " + std::to_string(number) + ": " + why;
  return line;
}

// The id member as text, or why it is unusable.
std::optional<std::string> read_id(const json& body, std::size_t number, std::string& why) {
  const auto found = body.find("id");
  if (found == body.end() || found->is_null()) return line_id(number);
  if (found->is_string()) {
    const auto& text = found->get_ref<const std::string&>();
    if (text.empty()) {
      why = "\"id\" is empty";
    } else if (text.size() > kMaxIdBytes) {
      why = "\"id\" is longer than " + std::to_string(kMaxIdBytes) + " bytes";
    } else {
      return text;
    }
    return std::nullopt;
  }
  if (found->is_number_integer()) return found->dump();
  why = std::string("\"id\" must be a string or an integer, not ") + found->type_name();
  return std::nullopt;
}

// The short form's body rewritten into the wire form: prompt becomes the one user message, a
// string system becomes one system text block, the id is dropped.
std::optional<std::string> short_form_body(json body, std::string& why) {
  const json& prompt = body["prompt"];
  if (!prompt.is_string() || prompt.get_ref<const std::string&>().empty()) {
    why = "\"prompt\" must be a non-empty string";
    return std::nullopt;
  }
  if (body.contains("messages")) {
    why = "give \"prompt\" (the short form) or \"messages\" (the wire form), not both";
    return std::nullopt;
  }
  body["messages"] =
      json::array({{{"role", "user"}, {"content", json::array({{{"text", prompt}}})}}});
  if (const auto system = body.find("system"); system != body.end() && system->is_string()) {
    *system = json::array({{{"text", *system}}});
  }
  body.erase("prompt");
  body.erase("id");
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::string line_id(std::size_t number) { return "line-" + std::to_string(number); }

std::optional<BatchLine> parse_batch_line(std::string_view text, std::size_t number) {
  if (text.find_first_not_of(" \t\r") == std::string_view::npos) return std::nullopt;
  // The library's own bound, checked before parsing: copying and dumping a document recurse
  // once per level, so a line nested deeper (a 64 MiB line can nest 32 million levels)
  // overflowed the stack here before the library could refuse it.
  if (!protocol::json_depth_within(text, protocol::kMaxJsonDepth)) {
    return invalid(number, line_id(number),
                   "nests deeper than " + std::to_string(protocol::kMaxJsonDepth) + " levels");
  }
  const json body = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return invalid(number, line_id(number), "not valid JSON");
  if (!body.is_object()) {
    return invalid(number, line_id(number),
                   std::string("a JSON object is expected, not ") + body.type_name());
  }
  std::string why;
  std::optional<std::string> id = read_id(body, number, why);
  if (!id) return invalid(number, line_id(number), why);

  std::optional<std::string> short_body;
  if (body.contains("prompt")) {
    short_body = short_form_body(body, why);
    if (!short_body) return invalid(number, std::move(*id), why);
  } else if (!body.contains("messages")) {
    return invalid(number, std::move(*id),
                   "neither \"messages\" (the wire form) nor \"prompt\" (the short form)");
  }
  Result<ConverseRequest> request = ConverseRequest::from_json(short_body ? *short_body : text);
  if (!request) return invalid(number, std::move(*id), request.error().message);

  BatchLine line;
  line.number = number;
  line.id = std::move(*id);
  line.request = std::move(request).value();
  return line;
}

}  // namespace llmm::cli
