// The user agent's product token must carry the project version (include/llmm/version.hpp,
// from project(VERSION)): a version bump that forgets src/auth/sdk_headers.hpp fails here, at
// build time. (kProduct is still a literal there: src/auth was being edited elsewhere when the
// version header was introduced; making it "llmm/" LLMM_VERSION_STRING retires this check.)
#include <llmm/version.hpp>

#include "auth/sdk_headers.hpp"

#include <string_view>

static_assert(std::string_view(llmm::auth::SdkHeaders::kProduct) ==
                  std::string_view("llmm/" LLMM_VERSION_STRING),
              "src/auth/sdk_headers.hpp: kProduct must be \"llmm/\" + the project version");
