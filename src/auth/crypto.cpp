#include "auth/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <initializer_list>
#include <stdexcept>

namespace llmm::auth {
namespace {

// OpenSSL wants a non-null pointer even for zero bytes on some paths.
const unsigned char* bytes_of(std::string_view view) {
  static constexpr unsigned char kEmpty = 0;
  return view.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(view.data());
}

constexpr std::size_t kBlockSize = 64;  // SHA-256's

// Why not OpenSSL's one-shot HMAC() and EVP_Digest(): in OpenSSL 3 each call looks the algorithm
// up by name and allocates a context, which cost more than the hashing itself (a third of a
// signature's time, profiled at concurrency 64). The digest is fetched once per process and each
// thread keeps one context; HMAC is written out (RFC 2104) over it.
const EVP_MD* sha256_md() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) throw std::runtime_error("SHA-256 is not available in OpenSSL");
  return md;
}

struct ThreadDigest {
  ThreadDigest() : ctx(EVP_MD_CTX_new()) {
    if (ctx == nullptr) throw std::runtime_error("SHA-256 context allocation failed in OpenSSL");
  }
  ~ThreadDigest() { EVP_MD_CTX_free(ctx); }
  ThreadDigest(const ThreadDigest&) = delete;
  ThreadDigest& operator=(const ThreadDigest&) = delete;
  EVP_MD_CTX* ctx;
};

// SHA-256 over the concatenation of `parts`.
Sha256Digest digest_of(std::initializer_list<std::span<const unsigned char>> parts) {
  thread_local ThreadDigest digest;
  Sha256Digest out{};
  unsigned int out_size = 0;
  bool ok = EVP_DigestInit_ex2(digest.ctx, sha256_md(), nullptr) == 1;
  for (const auto& part : parts) {
    ok = ok &&
         EVP_DigestUpdate(digest.ctx, part.empty() ? bytes_of({}) : part.data(), part.size()) == 1;
  }
  ok = ok && EVP_DigestFinal_ex(digest.ctx, out.data(), &out_size) == 1 && out_size == out.size();
  // The message names the operation only: what was hashed may be secret.
  if (!ok) throw std::runtime_error("SHA-256 failed in OpenSSL");
  return out;
}

std::span<const unsigned char> span_of(std::string_view view) {
  return {reinterpret_cast<const unsigned char*>(view.data()), view.size()};
}

Sha256Digest hmac_raw(const unsigned char* key, std::size_t key_size, std::string_view data) {
  std::array<unsigned char, kBlockSize> block{};
  if (key_size > kBlockSize) {
    Sha256Digest hashed = digest_of({{key, key_size}});
    std::copy(hashed.begin(), hashed.end(), block.begin());
    OPENSSL_cleanse(hashed.data(), hashed.size());
  } else if (key_size > 0) {
    std::copy(key, key + key_size, block.begin());
  }
  for (auto& byte : block) byte ^= 0x36;  // ipad
  Sha256Digest inner = digest_of({block, span_of(data)});
  for (auto& byte : block) byte ^= 0x36 ^ 0x5c;  // ipad -> opad
  Sha256Digest out = digest_of({block, inner});
  OPENSSL_cleanse(block.data(), block.size());
  OPENSSL_cleanse(inner.data(), inner.size());
  return out;
}

}  // namespace

Sha256Digest sha256(std::string_view data) { return digest_of({span_of(data)}); }

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
