#pragma once
// Whether an error deserves another attempt on the same target. Only the question of whether
// the error is transient; the limits (attempts, deadline) are the loop's business.

#include <llmm/error.hpp>

namespace llmm::retry {

// Throttling, a model still loading, 5xx, connection errors and our own connect/read timeouts.
// A ModelTimeoutException (HTTP 408) is not retried, as no AWS SDK retries it.
bool is_transient(const Error& error) noexcept;

}  // namespace llmm::retry
