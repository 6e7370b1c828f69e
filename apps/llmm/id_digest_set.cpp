#include "id_digest_set.hpp"

#include "batch_shard.hpp"

namespace llmm::cli {
namespace {

// splitmix64's finalizer: spreads FNV's weak low bits over the whole word.
std::uint64_t mix(std::uint64_t value) noexcept {
  value ^= value >> 30;
  value *= 0xbf58476d1ce4e5b9ULL;
  value ^= value >> 27;
  value *= 0x94d049bb133111ebULL;
  value ^= value >> 31;
  return value;
}

// A second, independent 64-bit hash: 64-bit words folded with a different multiplier, the
// length mixed in.
std::uint64_t second_hash(std::string_view bytes) noexcept {
  std::uint64_t hash = 0x9e3779b97f4a7c15ULL ^ bytes.size();
  for (const char c : bytes) hash = (hash ^ static_cast<unsigned char>(c)) * 0xff51afd7ed558ccdULL;
  return mix(hash);
}

}  // namespace

IdDigestSet::Digest IdDigestSet::digest(std::string_view id) noexcept {
  Digest key{mix(fnv1a_64(id)), second_hash(id)};
  if (key.high == 0 && key.low == 0) key.low = 1;
  return key;
}

std::size_t IdDigestSet::find_slot(const Digest& key) const noexcept {
  const std::size_t mask = slots_.size() - 1;
  std::size_t slot = static_cast<std::size_t>(key.high) & mask;
  while (!(slots_[slot] == Digest{}) && !(slots_[slot] == key)) slot = (slot + 1) & mask;
  return slot;
}

void IdDigestSet::grow() {
  std::vector<Digest> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, Digest{});
  for (const Digest& key : old) {
    if (!(key == Digest{})) slots_[find_slot(key)] = key;
  }
}

bool IdDigestSet::insert(std::string_view id) {
  if ((size_ + 1) * 10 > slots_.size() * 7) grow();
  const Digest key = digest(id);
  Digest& slot = slots_[find_slot(key)];
  if (slot == key) return false;
  slot = key;
  ++size_;
  return true;
}

bool IdDigestSet::contains(std::string_view id) const {
  if (slots_.empty()) return false;
  return slots_[find_slot(digest(id))] == digest(id);
}

}  // namespace llmm::cli
