// FileFormat names, kinds and the extension table.
#include <llmm/file_type.hpp>

#include "core/ascii.hpp"

#include <array>
#include <utility>

namespace llmm {
namespace {

struct FormatInfo {
  FileFormat format;
  std::string_view name;
  Modality modality;
};

constexpr std::array<FormatInfo, 22> kFormats{{
    {FileFormat::Png, "png", Modality::Image},
    {FileFormat::Jpeg, "jpeg", Modality::Image},
    {FileFormat::Gif, "gif", Modality::Image},
    {FileFormat::Webp, "webp", Modality::Image},
    {FileFormat::Pdf, "pdf", Modality::Document},
    {FileFormat::Csv, "csv", Modality::Document},
    {FileFormat::Doc, "doc", Modality::Document},
    {FileFormat::Docx, "docx", Modality::Document},
    {FileFormat::Xls, "xls", Modality::Document},
    {FileFormat::Xlsx, "xlsx", Modality::Document},
    {FileFormat::Html, "html", Modality::Document},
    {FileFormat::Txt, "txt", Modality::Document},
    {FileFormat::Md, "md", Modality::Document},
    {FileFormat::Mkv, "mkv", Modality::Video},
    {FileFormat::Mov, "mov", Modality::Video},
    {FileFormat::Mp4, "mp4", Modality::Video},
    {FileFormat::Webm, "webm", Modality::Video},
    {FileFormat::Flv, "flv", Modality::Video},
    {FileFormat::Mpeg, "mpeg", Modality::Video},
    {FileFormat::Mpg, "mpg", Modality::Video},
    {FileFormat::Wmv, "wmv", Modality::Video},
    {FileFormat::ThreeGp, "three_gp", Modality::Video},
}};

// Lower-case extensions (without the dot) and the format each names.
constexpr std::array<std::pair<std::string_view, FileFormat>, 30> kExtensions{{
    {"png", FileFormat::Png},     {"jpg", FileFormat::Jpeg},     {"jpeg", FileFormat::Jpeg},
    {"jpe", FileFormat::Jpeg},    {"gif", FileFormat::Gif},      {"webp", FileFormat::Webp},
    {"pdf", FileFormat::Pdf},     {"csv", FileFormat::Csv},      {"doc", FileFormat::Doc},
    {"docx", FileFormat::Docx},   {"xls", FileFormat::Xls},      {"xlsx", FileFormat::Xlsx},
    {"html", FileFormat::Html},   {"htm", FileFormat::Html},     {"txt", FileFormat::Txt},
    {"md", FileFormat::Md},       {"markdown", FileFormat::Md},  {"mkv", FileFormat::Mkv},
    {"mov", FileFormat::Mov},     {"qt", FileFormat::Mov},       {"mp4", FileFormat::Mp4},
    {"m4v", FileFormat::Mp4},     {"webm", FileFormat::Webm},    {"flv", FileFormat::Flv},
    {"mpeg", FileFormat::Mpeg},   {"mpg", FileFormat::Mpg},      {"wmv", FileFormat::Wmv},
    {"3gp", FileFormat::ThreeGp}, {"3gpp", FileFormat::ThreeGp}, {"3g2", FileFormat::ThreeGp},
}};

}  // namespace

std::string_view to_string(FileFormat format) noexcept {
  for (const auto& info : kFormats) {
    if (info.format == format) return info.name;
  }
  return "unknown";
}

std::optional<FileFormat> file_format_from_string(std::string_view name) noexcept {
  for (const auto& info : kFormats) {
    if (info.name == name) return info.format;
  }
  return std::nullopt;
}

std::optional<Modality> modality_of(FileFormat format) noexcept {
  for (const auto& info : kFormats) {
    if (info.format == format) return info.modality;
  }
  return std::nullopt;
}

FileFormat format_from_extension(std::string_view filename) noexcept {
  const auto slash = filename.find_last_of("/\\");
  if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
  const auto dot = filename.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= filename.size()) {
    return FileFormat::Unknown;
  }
  const std::string_view extension = filename.substr(dot + 1);
  for (const auto& [name, format] : kExtensions) {
    if (core::iequals_ascii(name, extension)) return format;
  }
  return FileFormat::Unknown;
}

bool is_plain_text_format(FileFormat format) noexcept {
  return format == FileFormat::Csv || format == FileFormat::Txt || format == FileFormat::Md;
}

std::string_view to_string(DetectionMethod method) noexcept {
  switch (method) {
    case DetectionMethod::Content: return "content";
    case DetectionMethod::Extension: return "extension";
    case DetectionMethod::Combined: return "combined";
    case DetectionMethod::Explicit: return "explicit";
    case DetectionMethod::None: break;
  }
  return "none";
}

}  // namespace llmm
