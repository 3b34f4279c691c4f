#include "pactum/base/hash_index.h"

#include <bit>
#include <cstdio>
#include <cstdlib>

namespace pactum {
namespace {

constexpr int kValueBits = 48;

// A caller's hash may have few good bits (a sum of string hashes): remixed (MurmurHash3's
// finaliser), its low bits place the entry and its top 16 bits are the tag kept beside the value.
std::uint64_t Remix(std::uint64_t hash) {
  hash ^= hash >> 33;
  hash *= 0xFF51AFD7ED558CCDULL;
  hash ^= hash >> 33;
  hash *= 0xC4CEB9FE1A85EC53ULL;
  hash ^= hash >> 33;
  return hash;
}

}  // namespace

HashIndex::HashIndex(std::size_t first_capacity) {
  AddLayer(std::bit_ceil(first_capacity < 32 ? std::size_t{32} : first_capacity));
}

void HashIndex::AddLayer(std::size_t capacity) {
  Layer layer;
  layer.slots.assign(2 * capacity, 0);  // at most half full
  layers_.push_back(std::move(layer));
}

void HashIndex::Add(std::uint64_t hash, std::uint64_t value) {
  if (value >= kValueLimit) {
    std::fprintf(stderr, "HashIndex: value %llu is at or above 2^48 - 1\n",
                 static_cast<unsigned long long>(value));
    std::abort();
  }
  if (2 * (layers_.back().count + 1) > layers_.back().slots.size())
    AddLayer(layers_.back().slots.size());
  Layer& layer = layers_.back();
  const std::uint64_t mixed = Remix(hash);
  const std::size_t mask = layer.slots.size() - 1;
  std::size_t i = mixed & mask;
  while (layer.slots[i] != 0)
    i = (i + 1) & mask;
  layer.slots[i] = (mixed >> kValueBits << kValueBits) | (value + 1);
  ++layer.count;
  ++size_;
}

std::vector<std::uint64_t> HashIndex::Find(std::uint64_t hash) const {
  const std::uint64_t mixed = Remix(hash);
  // Each layer's first probe misses the caches once the layers are large: they load together.
  for (const Layer& layer : layers_)
    __builtin_prefetch(&layer.slots[mixed & (layer.slots.size() - 1)]);
  std::vector<std::uint64_t> out;
  const std::uint64_t tag = mixed >> kValueBits;
  for (const Layer& layer : layers_) {
    const std::size_t mask = layer.slots.size() - 1;
    for (std::size_t i = mixed & mask; layer.slots[i] != 0; i = (i + 1) & mask) {
      const std::uint64_t slot = layer.slots[i];
      if (slot >> kValueBits == tag) out.push_back((slot & kValueLimit) - 1);
    }
  }
  return out;
}

std::size_t HashIndex::MemoryBytes() const {
  std::size_t bytes = 0;
  for (const Layer& layer : layers_)
    bytes += layer.slots.size() * sizeof(std::uint64_t);
  return bytes;
}

}  // namespace pactum
