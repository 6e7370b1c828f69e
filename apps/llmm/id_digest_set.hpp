#pragma once
// The ids a batch has seen (to refuse a duplicate) or finds already answered in its output (to
// skip on --resume), in bounded memory: a 128-bit digest per id in one open-addressing table,
// about 23 bytes an id (16 MB for a million), not the ids themselves. Two different ids share a
// digest with probability about n^2 / 2^129: nil for any batch that fits on a disk.
// A value type: not synchronized.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace llmm::cli {

class IdDigestSet {
 public:
  // True when `id` was not in the set (and now is).
  bool insert(std::string_view id);
  [[nodiscard]] bool contains(std::string_view id) const;
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

 private:
  struct Digest {
    std::uint64_t high = 0;
    std::uint64_t low = 0;  // never both zero for a stored id: {0, 0} marks an empty slot
    friend bool operator==(const Digest&, const Digest&) = default;
  };
  [[nodiscard]] static Digest digest(std::string_view id) noexcept;
  // The slot holding `key`, or the empty slot where it would go.
  [[nodiscard]] std::size_t find_slot(const Digest& key) const noexcept;
  void grow();

  std::vector<Digest> slots_;  // a power of two in size, at most 70 % full
  std::size_t size_ = 0;
};

}  // namespace llmm::cli
