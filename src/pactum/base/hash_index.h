// An in-memory index of 64-bit hashes to 64-bit values, several values a hash. It names
// candidates, not answers: the caller keeps what was hashed elsewhere and compares it, so
// neither a hash shared by two keys nor the 16 bits of it the index keeps make it wrong.
//
// Each entry is one 64-bit word, 16 bits of its hash beside its value, in an open-addressing
// table (linear probing) at most half full. The tables grow in layers: when the newest is half
// full a layer twice its size is started, and nothing is moved, so no Add pays for a rehash
// (a caller that adds under a lock others wait for would hold them through a rehash of millions
// of entries). A look-up probes every layer, their first slots loaded together.
// Memory is 16 to 32 bytes an entry.
//
// Not thread-safe: callers serialise Add and Find.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pactum {

class HashIndex {
 public:
  // Values must be below kValueLimit, 2^48 - 1 (89 years of 100,000 log leaves a second).
  static constexpr std::uint64_t kValueLimit = (std::uint64_t{1} << 48) - 1;

  // `first_capacity` entries fit the first layer (rounded up to a power of two).
  explicit HashIndex(std::size_t first_capacity = 1 << 15);

  // Adds `value` under `hash`. Aborts on a value at or above kValueLimit.
  void Add(std::uint64_t hash, std::uint64_t value);
  // Every value added under `hash`, and rarely one added under another hash whose tag matched
  // (about 1 in 40,000 look-ups of a hash never added, for each layer): the caller tells them
  // apart.
  std::vector<std::uint64_t> Find(std::uint64_t hash) const;
  std::size_t size() const { return size_; }
  // Bytes held by the layers.
  std::size_t MemoryBytes() const;

 private:
  struct Layer {
    std::vector<std::uint64_t> slots;  // 0: empty; else the hash's tag above value + 1
    std::size_t count = 0;
  };
  void AddLayer(std::size_t capacity);
  std::vector<Layer> layers_;
  std::size_t size_ = 0;
};

}  // namespace pactum
