#include "pactum/base/hash_index.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace pactum {
namespace {

// Every value is found under its hash, across many layers; a hash never added names few values;
// memory grows with the layers, not with a rehash.
TEST(HashIndex, FindsEveryValueAddedUnderItsHash) {
  HashIndex index(1000);  // 1,024 entries a first layer, so 300,000 take nine layers
  const std::size_t first_layer = index.MemoryBytes();
  EXPECT_EQ(first_layer, 2048u * 8);
  std::mt19937_64 rng(3);
  std::vector<std::uint64_t> hashes(300'000);
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    hashes[i] = rng();
    index.Add(hashes[i], i);
  }
  EXPECT_EQ(index.size(), hashes.size());
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    const std::vector<std::uint64_t> found = index.Find(hashes[i]);
    ASSERT_NE(std::find(found.begin(), found.end(), i), found.end()) << i;
  }
  std::size_t strays = 0;
  for (int k = 0; k < 100'000; ++k)
    strays += index.Find(rng()).size();
  EXPECT_LT(strays, 100u);  // ~9 layers × 1/40,000 × 100,000 ≈ 23
  // Nine layers of 2,048, 4,096, ... 524,288 slots of 8 bytes: 16 to 32 bytes an entry.
  EXPECT_EQ(index.MemoryBytes(), 2048u * 511 * 8);
}

// One hash may name several values (keys whose hashes collide): all are given, from every layer.
TEST(HashIndex, GivesEveryValueOfAHash) {
  HashIndex index(32);
  index.Add(42, 0);  // value 0 is a value, not an empty slot
  for (std::uint64_t v = 1; v < 200; ++v)
    index.Add(v * 7919, v);  // fills several layers
  index.Add(42, HashIndex::kValueLimit - 1);
  std::vector<std::uint64_t> found = index.Find(42);
  std::sort(found.begin(), found.end());
  EXPECT_EQ(found, (std::vector<std::uint64_t>{0, HashIndex::kValueLimit - 1}));
}

TEST(HashIndex, AnEmptyIndexHoldsNothing) {
  HashIndex index;
  EXPECT_EQ(index.size(), 0u);
  EXPECT_TRUE(index.Find(0).empty());
  EXPECT_TRUE(index.Find(~std::uint64_t{0}).empty());
}

TEST(HashIndexDeathTest, AValueTooLargeToKeepAborts) {
  HashIndex index;
  EXPECT_DEATH(index.Add(1, HashIndex::kValueLimit), "2\\^48");
}

}  // namespace
}  // namespace pactum
