#include "engine/fault_triage.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace llmm::engine {
namespace {

// Lower case, typographic apostrophes (U+2019, as the service sends "isn’t") folded to ASCII.
std::string normalized(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 3) == "\xE2\x80\x99") {
      out += '\'';
      i += 2;
      continue;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  }
  return out;
}

template <std::size_t N>
bool mentions_any(const std::string& text, const std::array<std::string_view, N>& phrases) {
  return std::any_of(phrases.begin(), phrases.end(), [&](std::string_view phrase) {
    return text.find(phrase) != std::string::npos;
  });
}

constexpr std::array<std::string_view, 4> kProfileRequired = {
    "on-demand throughput", "inference profile that contains this model",
    "retry your request with the id or arn of an inference profile",
    "with on-demand throughput isn't supported"};

constexpr std::array<std::string_view, 12> kParameterRejected = {
    "unsupported parameter",
    "invalid field",
    "unknown parameter",
    "parameter not supported",
    "unrecognized field",
    "invalid request field",
    "does not support parameter",
    "parameter is not valid for this model",
    "extraneous key",
    "is not permitted",
    "invalid beta flag",
    "additionalmodelrequestfields"};

constexpr std::array<std::string_view, 4> kTargetCannotServe = {
    "model identifier is invalid", "input is too long", "too many input tokens", "context window"};

bool rejects(const std::string& text, std::string_view what) {
  const std::string w(what);
  const std::array<std::string, 6> phrases = {
      "doesn't support the " + w, "does not support the " + w, "doesn't support " + w,
      "does not support " + w,    w + " not supported",        w + " is not supported"};
  return std::any_of(phrases.begin(), phrases.end(), [&](const std::string& phrase) {
    return text.find(phrase) != std::string::npos;
  });
}

// Bedrock's refusal of a cache point: "You invoked an unsupported model or your request did not
// allow prompt caching." (a 400, and by some reports a 403).
constexpr std::array<std::string_view, 2> kCachingRefused = {"did not allow prompt caching",
                                                             "does not allow prompt caching"};

// A refused cache point names caching or the block itself; tested first, as such a message may
// name the tools or system it was found in.
bool rejects_caching(const std::string& text) {
  return mentions_any(text, kCachingRefused) || rejects(text, "caching") ||
         rejects(text, "cache point") || rejects(text, "cache points") ||
         rejects(text, "cachepoint");
}

std::optional<RejectedFeature> rejected_feature(const std::string& text) {
  if (rejects_caching(text)) return RejectedFeature::CachePoints;
  if (rejects(text, "image")) return RejectedFeature::Image;
  if (rejects(text, "document")) return RejectedFeature::Document;
  if (rejects(text, "video")) return RejectedFeature::Video;
  if (rejects(text, "audio")) return RejectedFeature::Audio;
  if (rejects(text, "tool")) return RejectedFeature::Tools;
  if (rejects(text, "guardrail")) return RejectedFeature::Guardrails;
  return std::nullopt;
}

Triage triage_validation(const Error& error) {
  const std::string text = normalized(error.message);
  if (mentions_any(text, kProfileRequired)) return {Fault::ProfileRequired, std::nullopt};
  if (auto feature = rejected_feature(text)) return {Fault::Feature, feature};
  if (mentions_any(text, kParameterRejected)) return {Fault::Parameters, std::nullopt};
  if (mentions_any(text, kTargetCannotServe)) return {Fault::Target, std::nullopt};
  return {Fault::Request, std::nullopt};
}

}  // namespace

Triage triage(const Error& error) {
  switch (error.code) {
    case ErrorCode::Throttled:
    case ErrorCode::ServiceUnavailable:
    case ErrorCode::ConnectionFailed:
    case ErrorCode::ModelNotReady:
    case ErrorCode::StreamCorrupt:  // damaged in transit: the same target may well do better
      return {Fault::Transient, std::nullopt};
    case ErrorCode::Timeout:
      // Our socket timeout is transient; the model's own 408 is this target failing.
      return {error.http_status == 0 ? Fault::Transient : Fault::Target, std::nullopt};
    case ErrorCode::AccessDenied:
      // Refused prompt caching has been reported as a 403: the cache points go, not the target.
      if (rejects_caching(normalized(error.message))) {
        return {Fault::Feature, RejectedFeature::CachePoints};
      }
      return {Fault::Target, std::nullopt};
    case ErrorCode::TlsFailed:  // the same host presents the same certificate: go elsewhere
    case ErrorCode::ModelNotFound:
    case ErrorCode::ModelError: return {Fault::Target, std::nullopt};
    case ErrorCode::InvalidArgument:
      // A 400 is the request's fault unless its message blames this model or region.
      return error.http_status == 0 ? Triage{Fault::Fatal, std::nullopt} : triage_validation(error);
    case ErrorCode::Internal:
      // An unreadable reply is the target's; a failure before sending is ours.
      return {error.http_status != 0 ? Fault::Target : Fault::Fatal, std::nullopt};
    case ErrorCode::Unauthenticated:
    case ErrorCode::Cancelled:
    case ErrorCode::ResponseRejected: return {Fault::Fatal, std::nullopt};
  }
  return {Fault::Fatal, std::nullopt};
}

const char* describe(RejectedFeature feature) noexcept {
  switch (feature) {
    case RejectedFeature::Image: return "image blocks";
    case RejectedFeature::Document: return "document blocks";
    case RejectedFeature::Video: return "video blocks";
    case RejectedFeature::Audio: return "audio blocks";
    case RejectedFeature::Tools: return "tools";
    case RejectedFeature::Guardrails: return "guardrails";
    case RejectedFeature::CachePoints: return "cache points";
  }
  return "a feature";
}

std::optional<Modality> modality_of(RejectedFeature feature) noexcept {
  switch (feature) {
    case RejectedFeature::Image: return Modality::Image;
    case RejectedFeature::Document: return Modality::Document;
    case RejectedFeature::Video: return Modality::Video;
    case RejectedFeature::Audio: return Modality::Audio;
    case RejectedFeature::Tools:
    case RejectedFeature::Guardrails:
    case RejectedFeature::CachePoints: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace llmm::engine
