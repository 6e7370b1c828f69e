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

// A second, independent 64-bit hash: a different multiplier, the length mixed in.
std::uint64_t second_hash(std::string_view bytes) noexcept {
  std::uint64_t hash = 0x9e3779b97f4a7c15ULL ^ bytes.size();
  for (const char c : bytes) hash = (hash ^ static_cast<unsigned char>(c)) * 0xff51afd7ed558ccdULL;
  return mix(hash);
}

constexpr std::uint64_t kOriginBit = 1;
constexpr std::size_t kMinimumSlots = 1024;

// Slots for `ids` at most 70 % full.
std::size_t slots_for(std::size_t ids) { return std::max(kMinimumSlots, ids / 7 * 10 + 10); }

bool same_id(const std::uint64_t high, const std::uint64_t low, const std::uint64_t key_high,
             const std::uint64_t key_low) noexcept {
  return high == key_high && (low & ~kOriginBit) == (key_low & ~kOriginBit);
}

}  // namespace

IdDigestSet::Digest IdDigestSet::digest(std::string_view id) noexcept {
  Digest key{mix(fnv1a_64(id)), second_hash(id) & ~kOriginBit};
  if (key.high == 0) key.high = 1;
  return key;
}

std::size_t IdDigestSet::find_slot(const Digest& key) const noexcept {
  // The table need not be a power of two: the high word is mapped onto it by multiplication.
  std::size_t slot =
      static_cast<std::size_t>((static_cast<unsigned __int128>(key.high) * slots_.size()) >> 64);
  while (slots_[slot].high != 0 &&
         !same_id(slots_[slot].high, slots_[slot].low, key.high, key.low)) {
    slot = slot + 1 == slots_.size() ? 0 : slot + 1;
  }
  return slot;
}

void IdDigestSet::rebuild(std::size_t slots) {
  std::vector<Digest> old = std::move(slots_);
  slots_.assign(slots, Digest{});
  for (const Digest& key : old) {
    if (key.high != 0) slots_[find_slot(key)] = key;
  }
}

void IdDigestSet::reserve(std::size_t ids) {
  if (slots_for(ids) > slots_.size()) rebuild(slots_for(ids));
}

bool IdDigestSet::insert(std::string_view id, Origin origin) {
  if ((size_ + 1) * 10 > slots_.size() * 7) rebuild(slots_for(std::max<std::size_t>(size_ * 2, 1)));
  Digest key = digest(id);
  key.low |= static_cast<std::uint64_t>(origin);
  Digest& slot = slots_[find_slot(key)];
  if (slot.high != 0) return false;
  slot = key;
  ++size_;
  return true;
}

std::optional<IdDigestSet::Origin> IdDigestSet::find(std::string_view id) const {
  if (slots_.empty()) return std::nullopt;
  const Digest& slot = slots_[find_slot(digest(id))];
  if (slot.high == 0) return std::nullopt;
  return static_cast<Origin>(slot.low & kOriginBit);
}

}  // namespace llmm::cli
