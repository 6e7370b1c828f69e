#pragma once
// Random UUID v4 strings, for amz-sdk-invocation-id.

#include <string>

namespace llmm::core {

std::string random_uuid_v4();

}  // namespace llmm::core
