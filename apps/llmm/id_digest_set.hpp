#pragma once
// The ids of a batch run: those --resume found already written, and those this run has taken
// (to refuse a second line with one), in bounded memory: a 128-bit digest per id in one
// open-addressing table, 16 bytes a slot at most 70 % full (about 23 MB for a million ids when
// reserved up front), never the ids themselves. Two different ids share a digest with
// probability about n^2 / 2^128: nil for any batch that fits on a disk.
// A value type: not synchronized.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace llmm::cli {

class IdDigestSet {
 public:
  enum class Origin : std::uint8_t {
    Written = 0,  // found in the output by --resume
    Taken = 1,    // read from the input by this run
  };

  // Room for `ids` without growing (a growing table briefly holds its old copy too).
  void reserve(std::size_t ids);
  // Adds `id` with `origin`; false (and the set unchanged) when it is there already.
  bool insert(std::string_view id, Origin origin);
  // Where `id` came from; nullopt when it is not in the set.
  [[nodiscard]] std::optional<Origin> find(std::string_view id) const;
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

 private:
  struct Digest {
    std::uint64_t high = 0;
    // The lowest bit is the Origin; the rest is digest. {0, 0} marks an empty slot (a stored
    // id's high word is never 0).
    std::uint64_t low = 0;
  };
  [[nodiscard]] static Digest digest(std::string_view id) noexcept;
  // The slot holding `key` (origin aside), or the empty slot where it would go.
  [[nodiscard]] std::size_t find_slot(const Digest& key) const noexcept;
  void rebuild(std::size_t slots);

  std::vector<Digest> slots_;
  std::size_t size_ = 0;
};

}  // namespace llmm::cli
