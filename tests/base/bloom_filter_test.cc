#include "pactum/base/bloom_filter.h"

#include <functional>
#include <string>

#include <gtest/gtest.h>

namespace pactum {
namespace {

std::uint64_t HashOf(const std::string& s) {
  return std::hash<std::string>{}(s);
}

// Every hash added is found, across many layers; hashes never added are found rarely; memory
// grows with the layers, not with a rehash.
TEST(BloomFilter, FindsEveryHashAddedAndFewOthers) {
  BloomFilter filter(1000);  // 1,024 a first layer, so 300,000 hashes take nine layers
  const std::size_t first_layer = filter.MemoryBytes();
  EXPECT_EQ(first_layer, 1024u * 2);
  constexpr int kAdded = 300'000;
  for (int i = 0; i < kAdded; ++i)
    filter.Add(HashOf("alert-" + std::to_string(i)));
  for (int i = 0; i < kAdded; ++i)
    ASSERT_TRUE(filter.MayContain(HashOf("alert-" + std::to_string(i)))) << i;
  int false_positives = 0;
  constexpr int kAbsent = 300'000;
  for (int i = 0; i < kAbsent; ++i)
    false_positives += filter.MayContain(HashOf("absent-" + std::to_string(i))) ? 1 : 0;
  // Nine layers at ~0.07% each when full: well under 1% in all.
  EXPECT_LT(false_positives, kAbsent / 100) << false_positives;
  EXPECT_GE(filter.MemoryBytes(), kAdded * 2u);
  EXPECT_LE(filter.MemoryBytes(), kAdded * 4u);
}

TEST(BloomFilter, AnEmptyFilterHoldsNothing) {
  BloomFilter filter;
  for (int i = 0; i < 10'000; ++i)
    ASSERT_FALSE(filter.MayContain(HashOf(std::to_string(i))));
}

}  // namespace
}  // namespace pactum
