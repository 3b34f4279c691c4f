// A Bloom filter of 64-bit hashes, grown in layers (a scalable Bloom filter, Almeida et al.,
// "Scalable Bloom Filters", 2007): MayContain is true for every hash added, and for a hash never
// added with a probability of ~0.07% for each full layer. When the newest layer holds as many
// hashes as it was sized for, a layer twice its size is started: nothing is rehashed, and memory
// stays at 2 bytes for each hash a layer has room for (2 to 4 bytes a hash added).
//
// Not thread-safe: callers serialise Add and MayContain.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pactum {

class BloomFilter {
 public:
  // `first_capacity` hashes fit the first layer (rounded up to a power of two).
  explicit BloomFilter(std::size_t first_capacity = 1 << 16);

  void Add(std::uint64_t hash);
  bool MayContain(std::uint64_t hash) const;
  // Bytes held by the layers.
  std::size_t MemoryBytes() const;

 private:
  struct Layer {
    std::vector<std::uint64_t> words;  // 16 bits for each hash of capacity
    std::size_t capacity = 0;
    std::size_t count = 0;
  };
  void AddLayer(std::size_t capacity);
  static bool Test(const Layer& layer, std::uint64_t hash);
  std::vector<Layer> layers_;
};

}  // namespace pactum
