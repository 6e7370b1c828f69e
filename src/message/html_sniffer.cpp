// html: markup at the start of the bytes (after a UTF-8 BOM and whitespace), in the manner of the
// WHATWG MIME sniffing rules: "<!DOCTYPE HTML" or "<html" is strong evidence; another common
// opening tag (<head>, <body>, <div>, <p>, ...) or a comment is weaker, so a markdown file that
// starts with a tag keeps its extension.
#include "message/byte_view.hpp"
#include "message/content_match.hpp"

#include "core/ascii.hpp"

#include <array>

namespace llmm::message {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool ends_tag_name(char c) { return is_space(c) || c == '>'; }

}  // namespace

std::optional<ContentMatch> sniff_html(std::string_view bytes) {
  std::string_view text = bytes.substr(0, 1024);
  if (has_at(text, 0, "\xEF\xBB\xBF")) text.remove_prefix(3);
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  if (text.empty() || text.front() != '<') return std::nullopt;

  struct Tag {
    std::string_view opening;
    double confidence;
  };
  constexpr std::array<Tag, 16> kTags{{
      {"<!doctype html", 0.9},
      {"<html", 0.9},
      {"<head", 0.75},
      {"<body", 0.75},
      {"<script", 0.7},
      {"<iframe", 0.7},
      {"<h1", 0.7},
      {"<div", 0.7},
      {"<font", 0.7},
      {"<table", 0.7},
      {"<style", 0.7},
      {"<title", 0.7},
      {"<br", 0.7},
      {"<p", 0.7},
      {"<a", 0.6},
      {"<b", 0.6},
  }};
  for (const Tag& tag : kTags) {
    const std::size_t n = tag.opening.size();
    if (text.size() <= n || !core::iequals_ascii(text.substr(0, n), tag.opening)) continue;
    if (!ends_tag_name(text[n])) continue;
    return ContentMatch{FileFormat::Html,
                        tag.confidence,
                        "HTML markup '" + std::string(tag.opening) + "'",
                        {FileFormat::Html}};
  }
  if (text.substr(0, 4) == "<!--") {
    return ContentMatch{FileFormat::Html, 0.6, "HTML comment '<!--'", {FileFormat::Html}};
  }
  return std::nullopt;
}

}  // namespace llmm::message
