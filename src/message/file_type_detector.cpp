// detect_file_type: the content's signature (content_match.hpp) combined with the extension.
//  * The content alone: the signature's confidence.
//  * Content and extension agree (or the extension picks within what the content cannot tell
//    apart, e.g. mpeg/mpg): independent evidence, 1 - (1 - c)(1 - 0.75).
//  * They disagree: the content wins, confidence c x 0.9, with a warning. Exception: weak markup
//    (<div>, <p>, ... but not <!DOCTYPE html>/<html>) in UTF-8 text named .md/.txt/.csv keeps the
//    extension (markdown may start with a tag).
//  * No signature: csv, txt, md (and html without markup) by extension when the bytes are UTF-8
//    text (0.75; html 0.6); another format by extension alone at 0.5, unconfirmed, with a warning;
//    UTF-8 text without an extension is txt at 0.4; anything else Unknown.
//  * An explicit format wins at 1.0, with a warning when the content says otherwise.
#include <llmm/file_type.hpp>

#include "message/byte_view.hpp"
#include "message/content_match.hpp"

#include <algorithm>

namespace llmm {
namespace {

constexpr double kExtensionConfidence = 0.75;
constexpr double kDisagreementFactor = 0.9;

std::string name(FileFormat format) { return std::string(to_string(format)); }

bool in_family(const message::ContentMatch& match, FileFormat format) {
  return std::find(match.family.begin(), match.family.end(), format) != match.family.end();
}

std::string subject_of(std::string_view filename) {
  return filename.empty() ? std::string("the bytes") : std::string(filename);
}

FileTypeDetection detect_without_signature(std::string_view bytes, FileFormat extension,
                                           const std::string& subject) {
  FileTypeDetection out;
  const bool text = message::is_utf8_text(bytes);
  if (is_plain_text_format(extension) || extension == FileFormat::Html) {
    if (text) {
      out.format = extension;
      out.confidence = extension == FileFormat::Html ? 0.6 : kExtensionConfidence;
      out.method = DetectionMethod::Combined;
      out.content_confirmed = true;
      out.evidence = "UTF-8 text; the extension says " + name(extension);
    } else {
      out.evidence = "the extension says " + name(extension) + " but the bytes are not UTF-8 text";
      out.warning = subject + ": " + out.evidence;
    }
    return out;
  }
  if (extension != FileFormat::Unknown) {
    out.format = extension;
    out.confidence = 0.5;
    out.method = DetectionMethod::Extension;
    out.evidence = "no signature in the content (first bytes " + message::hex_prefix(bytes, 8) +
                   "); the extension says " + name(extension);
    out.warning = subject + ": no " + name(extension) + " signature in the content (first bytes " +
                  message::hex_prefix(bytes, 8) + "); going by the extension alone";
    return out;
  }
  if (text) {
    out.format = FileFormat::Txt;
    out.confidence = 0.4;
    out.method = DetectionMethod::Content;
    out.content_confirmed = true;
    out.evidence = "UTF-8 text without an extension to tell csv, md and txt apart";
    return out;
  }
  out.evidence = "no signature matched (first bytes " + message::hex_prefix(bytes, 8) + ")";
  return out;
}

FileTypeDetection detect(std::string_view bytes, std::string_view filename) {
  const std::string subject = subject_of(filename);
  const FileFormat extension = format_from_extension(filename);
  FileTypeDetection out;
  if (bytes.empty()) {
    out.evidence = "no bytes";
    return out;
  }
  const auto match = message::match_content(bytes);
  if (!match) return detect_without_signature(bytes, extension, subject);

  out.evidence = match->evidence;
  if (match->unsupported || match->format == FileFormat::Unknown) {
    out.method = DetectionMethod::Content;
    if (extension != FileFormat::Unknown) {
      out.warning = subject + ": the extension says " + name(extension) + " but the content is " +
                    match->evidence;
    }
    return out;
  }
  out.content_confirmed = true;
  if (extension == FileFormat::Unknown) {
    out.format = match->format;
    out.confidence = match->confidence;
    out.method = DetectionMethod::Content;
    return out;
  }
  out.method = DetectionMethod::Combined;
  if (in_family(*match, extension)) {
    out.format = extension;
    out.confidence = 1.0 - (1.0 - match->confidence) * (1.0 - kExtensionConfidence);
    return out;
  }
  if (match->format == FileFormat::Html && match->confidence < 0.8 &&
      is_plain_text_format(extension) && message::is_utf8_text(bytes)) {
    out.format = extension;
    out.confidence = kExtensionConfidence;
    out.evidence = "UTF-8 text starting with markup (" + match->evidence +
                   "); the extension says " + name(extension);
    return out;
  }
  out.format = match->format;
  out.confidence = match->confidence * kDisagreementFactor;
  out.warning = subject + ": the content is " + name(match->format) + " (" + match->evidence +
                ") but the extension says " + name(extension) + "; using " + name(match->format);
  return out;
}

}  // namespace

FileTypeDetection detect_file_type(std::string_view bytes, std::string_view filename,
                                   std::optional<FileFormat> explicit_format) {
  FileTypeDetection detected = detect(bytes, filename);
  if (!explicit_format || *explicit_format == FileFormat::Unknown) return detected;

  FileTypeDetection out;
  out.format = *explicit_format;
  out.confidence = 1.0;
  out.method = DetectionMethod::Explicit;
  out.evidence = "format given explicitly";
  // Only a signature can contradict the caller (UTF-8 text without one says nothing).
  const auto match = message::match_content(bytes);
  if (!match) {
    out.content_confirmed = detected.content_confirmed && detected.format == *explicit_format;
  } else if (in_family(*match, *explicit_format)) {
    out.content_confirmed = true;
  } else if (match->format == FileFormat::Html && match->confidence < 0.8 &&
             is_plain_text_format(*explicit_format)) {
    out.content_confirmed = message::is_utf8_text(bytes);  // markdown may open with a tag
  } else {
    out.warning = subject_of(filename) + ": " + name(*explicit_format) +
                  " was given but the content looks like " +
                  (match->unsupported ? std::string("something else") : name(match->format)) +
                  " (" + match->evidence + "); sending it as " + name(*explicit_format);
  }
  return out;
}

}  // namespace llmm
