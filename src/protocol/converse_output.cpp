#include <llmm/converse_output.hpp>

namespace llmm {

std::string ConverseOutput::text() const {
  std::string joined;
  bool first = true;
  for (const auto& block : message.content) {
    if (const auto* text_block = std::get_if<TextBlock>(&block)) {
      if (!first) joined += '\n';
      joined += text_block->text;
      first = false;
    }
  }
  return joined;
}

}  // namespace llmm
