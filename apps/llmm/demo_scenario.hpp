#pragma once
// The emulator scenario `llmm demo` runs against (docs/UserGuide.md, "llmm demo"), and the facts
// of its story that the demo prints and configures its manager with.

#include <cstdint>
#include <string_view>

namespace llmm::cli::demo {

// A JSON scenario in the emulator's format (docs/emulator.md):
// * us-east-1: every Converse call gets 429 ThrottlingException;
// * us-west-2: every Converse call is accepted and never answered (a stall);
// * Claude 3 Haiku (bare model id) is reachable only through an inference profile.
// Generated answers from a fixed seed, so every run prints the same text.
[[nodiscard]] std::string_view scenario_json() noexcept;

inline constexpr std::uint64_t kSeed = 2024;
inline constexpr std::string_view kThrottledRegion = "us-east-1";
inline constexpr std::string_view kStalledRegion = "us-west-2";
inline constexpr std::string_view kHealthyRegion = "eu-west-1";
inline constexpr std::string_view kProfileOnlyModel = "Claude 3 Haiku";
inline constexpr std::string_view kBackupModel = "Nova Pro";

}  // namespace llmm::cli::demo
