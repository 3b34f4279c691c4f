#include "pactum/base/bloom_filter.h"

#include <bit>

namespace pactum {
namespace {

// 16 bits and 7 probes a hash: a false positive rate of ~0.07% in a full layer.
constexpr std::size_t kBitsPerHash = 16;
constexpr int kProbes = 7;

// The probes' positions by double hashing (Kirsch and Mitzenmacher): h1 + i * h2, with h2 odd so
// that it cycles through every position of a power-of-two table. The second hash is a
// multiplicative remix of the first, as a caller's hash may have few good bits.
struct Probe {
  std::uint64_t h1, h2;
  explicit Probe(std::uint64_t hash)
      : h1(hash), h2(std::rotl(hash * 0x9E3779B97F4A7C15ULL, 31) | 1) {}
  std::uint64_t At(int i) const { return h1 + static_cast<std::uint64_t>(i) * h2; }
};

}  // namespace

BloomFilter::BloomFilter(std::size_t first_capacity) {
  AddLayer(std::bit_ceil(first_capacity < 64 ? std::size_t{64} : first_capacity));
}

void BloomFilter::AddLayer(std::size_t capacity) {
  Layer layer;
  layer.capacity = capacity;
  layer.words.assign(capacity * kBitsPerHash / 64, 0);
  layers_.push_back(std::move(layer));
}

void BloomFilter::Add(std::uint64_t hash) {
  if (layers_.back().count >= layers_.back().capacity) AddLayer(2 * layers_.back().capacity);
  Layer& layer = layers_.back();
  const std::uint64_t mask = layer.words.size() * 64 - 1;
  const Probe probe(hash);
  for (int i = 0; i < kProbes; ++i) {
    const std::uint64_t bit = probe.At(i) & mask;
    layer.words[bit / 64] |= std::uint64_t{1} << (bit % 64);
  }
  ++layer.count;
}

bool BloomFilter::Test(const Layer& layer, std::uint64_t hash) {
  const std::uint64_t mask = layer.words.size() * 64 - 1;
  const Probe probe(hash);
  for (int i = 0; i < kProbes; ++i) {
    const std::uint64_t bit = probe.At(i) & mask;
    if ((layer.words[bit / 64] & (std::uint64_t{1} << (bit % 64))) == 0) return false;
  }
  return true;
}

bool BloomFilter::MayContain(std::uint64_t hash) const {
  for (const Layer& layer : layers_) {
    if (Test(layer, hash)) return true;
  }
  return false;
}

std::size_t BloomFilter::MemoryBytes() const {
  std::size_t bytes = 0;
  for (const Layer& layer : layers_)
    bytes += layer.words.size() * sizeof(std::uint64_t);
  return bytes;
}

}  // namespace pactum
