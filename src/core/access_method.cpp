#include <llmm/access_method.hpp>

namespace llmm {

std::string_view to_string(AccessMethod method) noexcept {
  switch (method) {
    case AccessMethod::Direct: return "direct";
    case AccessMethod::RegionalProfile: return "regional_profile";
    case AccessMethod::GlobalProfile: return "global_profile";
  }
  return "unknown";
}

}  // namespace llmm
