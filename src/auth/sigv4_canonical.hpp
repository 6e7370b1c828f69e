#pragma once
// The SigV4 canonicalisation steps and key derivation (wire doc §6.2), shared by the signer and
// by the emulator's verifier so that both compute signatures the same way.

#include "auth/crypto.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmm::auth {

// YYYYMMDDTHHMMSSZ in UTC, the x-amz-date form.
std::string format_amz_date(std::chrono::system_clock::time_point when);
// Trimmed, with every run of spaces and tabs turned into one space.
std::string canonical_header_value(std::string_view value);
// The wire path (already percent-encoded once), normalised and encoded a second time.
std::string canonical_uri(std::string_view path);
// Decoded (key, value) pairs, RFC 3986-encoded and sorted.
std::string canonical_query(const std::vector<std::pair<std::string, std::string>>& query);
// HMAC chain "AWS4"+secret → date → region → service → "aws4_request"; intermediates are wiped.
Sha256Digest derive_signing_key(std::string_view secret, std::string_view date,
                                std::string_view region, std::string_view service);

}  // namespace llmm::auth
