#pragma once
// Exceptions are for misuse and configuration, raised at construction (DESIGN.md §5). Request
// outcomes are values (llmm::Error); these never carry secret material in their messages.

#include <stdexcept>
#include <string>

namespace llmm {

// Configuration read from text (JSON, environment, flags, AWS shared files) that cannot be used:
// wrong type, junk, overflow, a negative count, an unknown key, a missing profile.
// The exception types here are immutable after construction.
class ConfigurationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A request that Bedrock would reject, caught before it is sent.
class RequestValidationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// No credentials could be found, or the ones found are unusable.
class AuthenticationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The model catalog could be had from no source: no usable cache, discovery failed in every
// region, and the bundled data was disabled (CatalogConfig::fallback_to_bundled). The message
// says what each source gave.
class CatalogUnavailableError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace llmm
