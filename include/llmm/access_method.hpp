#pragma once
// How a model is reached in a region: its own id (on-demand), a geographic cross-region
// inference profile ("us.", "eu.", "apac.", ...), or the global profile ("global.").

#include <string_view>

namespace llmm {

enum class AccessMethod { Direct, RegionalProfile, GlobalProfile };

// "direct", "regional_profile", "global_profile".
std::string_view to_string(AccessMethod method) noexcept;

}  // namespace llmm
