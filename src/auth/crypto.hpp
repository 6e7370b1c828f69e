#pragma once
// The two primitives SigV4 needs, SHA-256 and HMAC-SHA256, over OpenSSL. Keys and data are raw
// bytes held in std::string_view; digests are fixed-size arrays so they can be wiped.

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace llmm::auth {

using Sha256Digest = std::array<unsigned char, 32>;

Sha256Digest sha256(std::string_view data);

// Lower-case hex of sha256(data), the form SigV4 uses for payload and canonical-request hashes.
std::string sha256_hex(std::string_view data);

Sha256Digest hmac_sha256(std::string_view key, std::string_view data);
Sha256Digest hmac_sha256(const Sha256Digest& key, std::string_view data);

std::string hex_lower(std::span<const unsigned char> bytes);

// Lower-case hex SHA-1: the SSO token cache's file names (not used for any security purpose).
std::string sha1_hex(std::string_view data);

// Overwrites secret bytes in a way the optimiser may not drop (OPENSSL_cleanse).
void secure_wipe(std::string& secret);
void secure_wipe(Sha256Digest& secret);

}  // namespace llmm::auth
