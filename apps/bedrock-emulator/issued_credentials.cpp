#include "issued_credentials.hpp"

#include <algorithm>
#include <random>

namespace bedrock_emulator {
namespace {

// Random characters from `alphabet`; std::random_device per call is enough for an emulator
// (these keys protect nothing, they only have to be unique and unguessable by accident).
std::string random_text(std::size_t length, std::string_view alphabet) {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string out(length, ' ');
  for (char& c : out) c = alphabet[pick(generator)];
  return out;
}

constexpr std::string_view kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kSecret =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

IssuedCredential IssuedCredentials::issue(std::string arn, std::string user_id,
                                          std::string issued_by,
                                          std::chrono::system_clock::time_point now) {
  IssuedCredential key;
  key.access_key_id = "ASIA" + random_text(16, kUpper);
  key.secret_access_key = random_text(40, kSecret);
  key.session_token = "IQoJb3JpZ2luX2VjE" + random_text(200, kSecret);
  key.arn = std::move(arn);
  key.user_id = std::move(user_id);
  key.issued_by = std::move(issued_by);
  std::lock_guard lock(mutex_);
  key.expiration = std::chrono::floor<std::chrono::seconds>(now) + settings_.lifetime;
  keys_[key.access_key_id] = key;
  return key;
}

std::optional<IssuedCredential> IssuedCredentials::find(std::string_view access_key_id) const {
  std::lock_guard lock(mutex_);
  const auto it = keys_.find(access_key_id);
  if (it == keys_.end()) return std::nullopt;
  return it->second;
}

std::size_t IssuedCredentials::count() const {
  std::lock_guard lock(mutex_);
  return keys_.size();
}

void IssuedCredentials::expire_all(std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mutex_);
  for (auto& [id, key] : keys_) key.expiration = std::min(key.expiration, now);
}

CredentialServiceSettings IssuedCredentials::settings() const {
  std::lock_guard lock(mutex_);
  return settings_;
}

void IssuedCredentials::set_settings(CredentialServiceSettings settings) {
  std::lock_guard lock(mutex_);
  settings_ = std::move(settings);
}

void IssuedCredentials::set_lifetime(std::chrono::seconds lifetime) {
  std::lock_guard lock(mutex_);
  settings_.lifetime = lifetime;
}

std::string IssuedCredentials::issue_imds_token(std::chrono::seconds ttl,
                                                std::chrono::system_clock::time_point now) {
  std::string token = "AQAEA" + random_text(51, kSecret);
  std::lock_guard lock(mutex_);
  // Expired tokens are dropped here, so the map stays as small as the live tokens.
  std::erase_if(imds_tokens_, [&](const auto& entry) { return entry.second <= now; });
  imds_tokens_[token] = now + ttl;
  return token;
}

bool IssuedCredentials::imds_token_valid(std::string_view token,
                                         std::chrono::system_clock::time_point now) const {
  std::lock_guard lock(mutex_);
  const auto it = imds_tokens_.find(token);
  return it != imds_tokens_.end() && it->second > now;
}

}  // namespace bedrock_emulator
