// DocumentBlock.name as Bedrock accepts it: ASCII letters and digits, single spaces, hyphens,
// parentheses and square brackets.
#include <llmm/message_builder.hpp>

namespace llmm {
namespace {

bool allowed(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '(' || c == ')' || c == '[' || c == ']';
}

}  // namespace

std::string sanitize_document_name(std::string_view name, std::size_t max_chars) {
  std::string out;
  bool pending_space = false;
  for (const char c : name) {
    if (allowed(c)) {
      if (pending_space && !out.empty()) out += ' ';
      pending_space = false;
      out += c;
    } else {
      pending_space = true;  // anything else (whitespace, punctuation, non-ASCII) separates words
    }
  }
  if (out.size() > max_chars) out.resize(max_chars);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.empty()) out = "document";
  return out;
}

}  // namespace llmm
