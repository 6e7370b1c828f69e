#include "auth/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <climits>
#include <stdexcept>

namespace llmm::auth {
namespace {

// OpenSSL wants a non-null pointer even for zero bytes on some paths.
const unsigned char* bytes_of(std::string_view view) {
  static constexpr unsigned char kEmpty = 0;
  return view.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(view.data());
}

Sha256Digest hmac_raw(const unsigned char* key, std::size_t key_size, std::string_view data) {
  if (key_size > static_cast<std::size_t>(INT_MAX)) {
    throw std::invalid_argument("HMAC-SHA256: key too long");
  }
  Sha256Digest out{};
  unsigned int out_size = 0;
  if (HMAC(EVP_sha256(), key, static_cast<int>(key_size), bytes_of(data), data.size(), out.data(),
           &out_size) == nullptr ||
      out_size != out.size()) {
    // The message names the operation only: key and data may be secret.
    throw std::runtime_error("HMAC-SHA256 failed in OpenSSL");
  }
  return out;
}

}  // namespace

Sha256Digest sha256(std::string_view data) {
  Sha256Digest out{};
  unsigned int out_size = 0;
  if (EVP_Digest(bytes_of(data), data.size(), out.data(), &out_size, EVP_sha256(), nullptr) != 1 ||
      out_size != out.size()) {
    throw std::runtime_error("SHA-256 failed in OpenSSL");
  }
  return out;
}

std::string sha256_hex(std::string_view data) { return hex_lower(sha256(data)); }

Sha256Digest hmac_sha256(std::string_view key, std::string_view data) {
  return hmac_raw(bytes_of(key), key.size(), data);
}

Sha256Digest hmac_sha256(const Sha256Digest& key, std::string_view data) {
  return hmac_raw(key.data(), key.size(), data);
}

std::string hex_lower(std::span<const unsigned char> bytes) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const unsigned char b : bytes) {
    out.push_back(kHex[b >> 4U]);
    out.push_back(kHex[b & 0x0FU]);
  }
  return out;
}

void secure_wipe(std::string& secret) {
  if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
  secret.clear();
}

void secure_wipe(Sha256Digest& secret) { OPENSSL_cleanse(secret.data(), secret.size()); }

std::string sha1_hex(std::string_view data) {
  std::array<unsigned char, 20> out{};
  unsigned int out_size = 0;
  if (EVP_Digest(bytes_of(data), data.size(), out.data(), &out_size, EVP_sha1(), nullptr) != 1 ||
      out_size != out.size()) {
    throw std::runtime_error("SHA-1 failed in OpenSSL");
  }
  return hex_lower(out);
}

}  // namespace llmm::auth
