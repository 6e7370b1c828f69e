#pragma once
// toolConfig of a Converse request (wire doc §2): the tools the model may call and how it must
// choose among them.

#include <llmm/content_block.hpp>
#include <llmm/json_value.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace llmm {

// The types in this header are value types: not synchronized.
struct ToolSpecification {
  std::string name;  // [a-zA-Z0-9_-]{1,64}
  std::optional<std::string> description;
  JsonValue input_schema;  // inputSchema.json: a JSON schema document
  std::optional<bool> strict;
  friend bool operator==(const ToolSpecification&, const ToolSpecification&) = default;
};

// A tool the service provides, named only.
struct SystemTool {
  std::string name;
  friend bool operator==(const SystemTool&, const SystemTool&) = default;
};

// Tool union: toolSpec | systemTool | cachePoint.
using Tool = std::variant<ToolSpecification, SystemTool, CachePointBlock>;

struct AutoToolChoice {  // {"auto":{}}: the model decides
  friend bool operator==(const AutoToolChoice&, const AutoToolChoice&) = default;
};
struct AnyToolChoice {  // {"any":{}}: the model must call some tool
  friend bool operator==(const AnyToolChoice&, const AnyToolChoice&) = default;
};
struct SpecificToolChoice {  // {"tool":{"name":...}}: the model must call this tool
  std::string name;
  friend bool operator==(const SpecificToolChoice&, const SpecificToolChoice&) = default;
};
using ToolChoice = std::variant<AutoToolChoice, AnyToolChoice, SpecificToolChoice>;

struct ToolConfiguration {
  std::vector<Tool> tools;  // required, at least one
  std::optional<ToolChoice> tool_choice;
  friend bool operator==(const ToolConfiguration&, const ToolConfiguration&) = default;
};

}  // namespace llmm
