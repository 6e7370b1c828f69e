#include "converse_request.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace bedrock_emulator {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 14> kContentBlockKeys = {"text",
                                                                "image",
                                                                "document",
                                                                "video",
                                                                "audio",
                                                                "toolUse",
                                                                "toolResult",
                                                                "guardContent",
                                                                "cachePoint",
                                                                "reasoningContent",
                                                                "citationsContent",
                                                                "searchResult",
                                                                "toolAddition",
                                                                "toolRemoval"};

struct Invalid {
  std::string message;
};

// Coral's wording for a constraint failure; list members are 1-based ("messages.1.member").
[[noreturn]] void constraint(const std::string& value, const std::string& path,
                             const std::string& rule) {
  const std::string shown = value.empty() ? std::string() : " " + value;
  throw Invalid{"1 validation error detected: Value" + shown + " at '" + path +
                "' failed to satisfy constraint: " + rule};
}

std::int64_t ceil_quarter(std::size_t chars) { return static_cast<std::int64_t>((chars + 3) / 4); }

// A CachePointBlock: type is required and "default" is its only value; ttl is "5m" or "1h".
void check_cache_point(const json& value, const std::string& at) {
  if (!value.is_object()) throw Invalid{std::string(kMalformedInput)};
  const std::string path = at + ".cachePoint";
  auto type = value.find("type");
  if (type == value.end() || type->is_null()) {
    constraint("null", path + ".type", "Member must not be null");
  }
  if (!type->is_string()) throw Invalid{std::string(kMalformedInput)};
  if (*type != "default") {
    constraint("'" + type->get<std::string>() + "'", path + ".type",
               "Member must satisfy enum value set: [default]");
  }
  if (auto ttl = value.find("ttl"); ttl != value.end() && !ttl->is_null()) {
    if (!ttl->is_string()) throw Invalid{std::string(kMalformedInput)};
    if (*ttl != "5m" && *ttl != "1h") {
      constraint("'" + ttl->get<std::string>() + "'", path + ".ttl",
                 "Member must satisfy enum value set: [5m, 1h]");
    }
  }
}

bool is_cache_point(const json& block) {
  return block.is_object() && block.size() == 1 && block.contains("cachePoint");
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_json_content_type(std::string_view content_type) {
  std::string media = lower(content_type.substr(0, content_type.find(';')));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.pop_back();
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.erase(0, 1);
  return media == "application/json";
}

// Size of the bytes a padded base64 string decodes to.
std::size_t base64_decoded_size(std::string_view encoded) {
  std::size_t padding = 0;
  if (!encoded.empty() && encoded.back() == '=') ++padding;
  if (encoded.size() > 1 && encoded[encoded.size() - 2] == '=') ++padding;
  return encoded.size() / 4 * 3 - std::min(padding, encoded.size() / 4 * 3);
}

// "[image png 8 bytes]", "[document pdf 'Spec' 8 bytes]", "[video mp4 s3://bucket/v.mp4]".
std::string describe_media(const std::string& kind, const json& block) {
  std::string out = "[" + kind;
  if (auto format = block.find("format"); format != block.end() && format->is_string()) {
    out += " " + format->get<std::string>();
  }
  if (auto name = block.find("name"); name != block.end() && name->is_string()) {
    out += " '" + name->get<std::string>() + "'";
  }
  if (auto source = block.find("source"); source != block.end() && source->is_object()) {
    if (auto bytes = source->find("bytes"); bytes != source->end() && bytes->is_string()) {
      out += " " + std::to_string(base64_decoded_size(bytes->get<std::string>())) + " bytes";
    } else if (auto s3 = source->find("s3Location"); s3 != source->end() && s3->is_object() &&
                                                     s3->contains("uri") &&
                                                     (*s3)["uri"].is_string()) {
      out += " " + (*s3)["uri"].get<std::string>();
    } else if (auto text = source->find("text"); text != source->end() && text->is_string()) {
      out += " " + std::to_string(text->get<std::string>().size()) + " chars";
    }
  }
  return out + "]";
}

void check_inference_config(const json& config, ConverseInput& input) {
  if (!config.is_object()) throw Invalid{std::string(kMalformedInput)};
  if (auto it = config.find("maxTokens"); it != config.end()) {
    if (!it->is_number_integer()) throw Invalid{std::string(kMalformedInput)};
    const auto value = it->get<std::int64_t>();
    if (value < 1) {
      constraint("'" + std::to_string(value) + "'", "inferenceConfig.maxTokens",
                 "Member must have value greater than or equal to 1");
    }
    input.max_tokens = value;
  }
  for (const char* key : {"temperature", "topP"}) {
    auto it = config.find(key);
    if (it == config.end()) continue;
    if (!it->is_number()) throw Invalid{std::string(kMalformedInput)};
    const double value = it->get<double>();
    const std::string shown = "'" + it->dump() + "'";
    const std::string path = std::string("inferenceConfig.") + key;
    if (value < 0.0) constraint(shown, path, "Member must have value greater than or equal to 0");
    if (value > 1.0) constraint(shown, path, "Member must have value less than or equal to 1");
  }
}

void check_tool_config(const json& config, ConverseInput& input) {
  if (!config.is_object()) throw Invalid{std::string(kMalformedInput)};
  auto tools = config.find("tools");
  if (tools == config.end() || tools->is_null()) {
    constraint("null", "toolConfig.tools", "Member must not be null");
  }
  if (!tools->is_array()) throw Invalid{std::string(kMalformedInput)};
  if (tools->empty()) {
    constraint("'[]'", "toolConfig.tools", "Member must have length greater than or equal to 1");
  }
  input.has_tool_config = true;
  std::size_t index = 0;
  for (const json& tool : *tools) {
    ++index;
    if (!tool.is_object()) throw Invalid{std::string(kMalformedInput)};
    if (is_cache_point(tool)) {
      check_cache_point(tool.at("cachePoint"),
                        "toolConfig.tools." + std::to_string(index) + ".member");
    }
    for (const char* kind : {"toolSpec", "systemTool"}) {
      auto spec = tool.find(kind);
      if (spec != tool.end() && spec->is_object() && spec->contains("name") &&
          (*spec)["name"].is_string()) {
        input.tool_names.push_back((*spec)["name"].get<std::string>());
      }
    }
  }
  input.input_tokens += ceil_quarter(config.dump().size());
}

void note_media(const std::string& key, ConverseInput& input) {
  if (key != "image" && key != "document" && key != "video") return;
  if (std::find(input.media_kinds.begin(), input.media_kinds.end(), key) ==
      input.media_kinds.end()) {
    input.media_kinds.push_back(key);
  }
}

// additionalModelRequestFields is a free-form document; only an object's keys mean anything to a
// model, and anthropic_beta is a list of strings (a lone string counts as one flag).
void check_request_fields(const json& fields, ConverseInput& input) {
  if (fields.is_null()) return;
  if (!fields.is_object()) throw Invalid{std::string(kMalformedInput)};
  for (auto it = fields.begin(); it != fields.end(); ++it) {
    input.request_field_keys.push_back(it.key());
    if (it.key() != "anthropic_beta") continue;
    if (it->is_string()) {
      input.beta_flags.push_back(it->get<std::string>());
    } else if (it->is_array()) {
      for (const json& flag : *it) {
        // A non-string flag is as unknown to the model as a misspelt one.
        input.beta_flags.push_back(flag.is_string() ? flag.get<std::string>() : flag.dump());
      }
    }
  }
}

std::int64_t block_tokens(const std::string& key, const json& value) {
  if (key == "text" && value.is_string()) return ceil_quarter(value.get<std::string>().size());
  if (key == "cachePoint") return 0;
  return ceil_quarter(value.dump().size());
}

void check_messages(const json& body, ConverseInput& input) {
  auto messages = body.find("messages");
  if (messages == body.end() || messages->is_null()) {
    constraint("null", "messages", "Member must not be null");
  }
  if (!messages->is_array()) throw Invalid{std::string(kMalformedInput)};
  static const std::string kStartWithUser =
      "A conversation must start with a user message. Try again with a conversation that starts "
      "with a user message.";
  if (messages->empty()) throw Invalid{kStartWithUser};

  std::size_t index = 0;
  for (const json& message : *messages) {
    ++index;
    const std::string at = "messages." + std::to_string(index) + ".member";
    if (!message.is_object()) throw Invalid{std::string(kMalformedInput)};
    auto role = message.find("role");
    if (role == message.end() || role->is_null())
      constraint("null", at + ".role", "Member must not be null");
    if (!role->is_string()) throw Invalid{std::string(kMalformedInput)};
    const std::string role_name = role->get<std::string>();
    if (role_name != "user" && role_name != "assistant") {
      constraint("'" + role_name + "'", at + ".role",
                 "Member must satisfy enum value set: [user, assistant]");
    }
    if (index == 1 && role_name != "user") throw Invalid{kStartWithUser};
    auto content = message.find("content");
    if (content == message.end() || content->is_null()) {
      constraint("null", at + ".content", "Member must not be null");
    }
    if (!content->is_array()) throw Invalid{std::string(kMalformedInput)};
    if (content->empty()) {
      throw Invalid{"The content field in the Message object at messages." +
                    std::to_string(index - 1) +
                    " is empty. Add a ContentBlock object to the content field and try again."};
    }
    input.input_tokens += 3;
    std::string text;
    std::vector<std::string> mentions;
    std::size_t block_index = 0;
    for (const json& block : *content) {
      ++block_index;
      const std::string block_at = at + ".content." + std::to_string(block_index) + ".member";
      if (!block.is_object() || block.size() != 1) {
        constraint("", block_at, "Member must have exactly one of the ContentBlock members set");
      }
      const std::string key = block.begin().key();
      const json& value = block.begin().value();
      if (std::find(kContentBlockKeys.begin(), kContentBlockKeys.end(), key) ==
          kContentBlockKeys.end()) {
        constraint("", block_at,
                   "Member must have exactly one of the ContentBlock members set; \"" + key +
                       "\" is not one");
      }
      if (key == "text" && !value.is_string()) throw Invalid{std::string(kMalformedInput)};
      if (key != "text" && !value.is_object()) throw Invalid{std::string(kMalformedInput)};
      if (key == "cachePoint") check_cache_point(value, block_at);
      input.input_tokens += block_tokens(key, value);
      note_media(key, input);
      if (key == "toolResult") {
        if (auto inner = value.find("content"); inner != value.end() && inner->is_array()) {
          for (const json& part : *inner) {
            if (part.is_object() && part.size() == 1) note_media(part.begin().key(), input);
          }
        }
      }
      if (key == "text") {
        text = value.get<std::string>();
      } else if (key == "image" || key == "document" || key == "video" || key == "audio") {
        mentions.push_back(describe_media(key, value));
      } else if (key == "toolResult") {
        std::string id = value.contains("toolUseId") && value["toolUseId"].is_string()
                             ? value["toolUseId"].get<std::string>()
                             : std::string();
        mentions.push_back("[toolResult " + id + "]");
      }
    }
    if (role_name == "user") {
      input.last_user_text = std::move(text);
      input.mentions = std::move(mentions);
    }
  }
}

// Walks a request already checked, in the prompt's order (tools, system, messages), keeping the
// canonical text and the token estimate of everything so far; each cachePoint block records the
// digest and the estimate of what precedes it. Cache points themselves add nothing to the text:
// a cache point's ttl does not change the prompt it closes. The estimate follows the whole
// request's (input_tokens), so a prefix's never exceeds the total.
class PromptWalk {
 public:
  explicit PromptWalk(ConverseInput& input) : input_(input) {}

  void walk(const json& document) {
    if (auto config = document.find("toolConfig"); config != document.end()) {
      text_ += "{\"tools\":[";
      std::size_t tool_chars = 0;  // tools so far: their estimate cannot pass the whole config's
      for (const json& tool : config->at("tools")) {
        if (is_cache_point(tool)) {
          tokens_ = ceil_quarter(tool_chars);
          cache_point("tools");
          continue;
        }
        const std::string piece = tool.dump();
        tool_chars += piece.size();
        text_ += piece + ",";
      }
      // Past the tools, the prompt holds the whole tool configuration (toolChoice included),
      // without its cache points.
      json canonical = *config;
      json& tools = canonical["tools"];
      tools.erase(std::remove_if(tools.begin(), tools.end(), is_cache_point), tools.end());
      text_ += "],\"toolConfig\":" + canonical.dump() + "}";
      tokens_ = ceil_quarter(config->dump().size());  // as input_tokens counts it
    }
    if (auto system = document.find("system"); system != document.end()) {
      text_ += "{\"system\":[";
      for (const json& block : *system) {
        if (is_cache_point(block)) {
          cache_point("system");
          continue;
        }
        if (block.is_object() && block.contains("text") && block["text"].is_string()) {
          tokens_ += ceil_quarter(block["text"].get<std::string>().size());
        }
        text_ += block.dump() + ",";
      }
      text_ += "]}";
    }
    text_ += "{\"messages\":[";
    for (const json& message : document.at("messages")) {
      tokens_ += 3;
      text_ += "{\"role\":" + message.at("role").dump() + ",\"content\":[";
      for (const json& block : message.at("content")) {
        const std::string& key = block.begin().key();
        if (key == "cachePoint") {
          cache_point("messages");
          continue;
        }
        tokens_ += block_tokens(key, block.begin().value());
        text_ += block.dump() + ",";
      }
      text_ += "]},";
    }
  }

 private:
  void cache_point(std::string_view part) {
    CachePoint point;
    point.part = part;
    point.prefix_tokens = tokens_;
    if (input_.cache_points.size() < kMaxCachePoints)
      point.prefix_digest = llmm::auth::sha256(text_);
    input_.cache_points.push_back(point);
  }

  ConverseInput& input_;
  std::string text_;
  std::int64_t tokens_ = 0;
};

}  // namespace

std::variant<ConverseInput, std::string> parse_converse_request(std::string_view content_type,
                                                                std::string_view body) {
  if (!is_json_content_type(content_type)) {
    std::string shown;  // printable ASCII only: the JSON writer rejects invalid UTF-8
    for (unsigned char c : content_type.substr(0, 128)) {
      shown += (c >= 0x20 && c < 0x7F) ? static_cast<char>(c) : '?';
    }
    return "Unsupported Content-Type '" + shown + "': the request body must be application/json.";
  }
  json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) return std::string(kMalformedInput);
  ConverseInput input;
  try {
    check_messages(document, input);
    if (auto system = document.find("system"); system != document.end()) {
      if (!system->is_array()) throw Invalid{std::string(kMalformedInput)};
      std::size_t index = 0;
      for (const json& block : *system) {
        ++index;
        if (block.is_object() && block.contains("text") && block["text"].is_string()) {
          input.input_tokens += ceil_quarter(block["text"].get<std::string>().size());
        }
        if (is_cache_point(block)) {
          check_cache_point(block.at("cachePoint"), "system." + std::to_string(index) + ".member");
        }
      }
    }
    if (auto config = document.find("inferenceConfig"); config != document.end()) {
      check_inference_config(*config, input);
    }
    if (auto config = document.find("toolConfig"); config != document.end()) {
      check_tool_config(*config, input);
    }
    if (auto fields = document.find("additionalModelRequestFields"); fields != document.end()) {
      check_request_fields(*fields, input);
    }
    PromptWalk(input).walk(document);
  } catch (const Invalid& invalid) {
    return invalid.message;
  } catch (const nlohmann::json::exception&) {
    return std::string(kMalformedInput);  // a type mismatch the checks above did not foresee
  }
  return input;
}

}  // namespace bedrock_emulator
