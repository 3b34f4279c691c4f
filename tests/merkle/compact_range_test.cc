#include "pactum/merkle/compact_range.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace pactum::merkle {
namespace {

std::vector<Hash> Leaves(std::size_t n) {
  std::vector<Hash> leaves;
  for (std::size_t i = 0; i < n; ++i)
    leaves.push_back(HashLeaf("leaf " + std::to_string(i)));
  return leaves;
}

TEST(CompactRange, RootMatchesRootOfEveryPrefix) {
  const auto leaves = Leaves(130);
  CompactRange range;
  EXPECT_EQ(range.Root(), EmptyRoot());
  for (std::size_t n = 1; n <= leaves.size(); ++n) {
    range.Append(leaves[n - 1]);
    ASSERT_EQ(range.size(), n);
    ASSERT_EQ(range.Root(), RootOf(std::span(leaves).first(n))) << "size " << n;
  }
}

TEST(CompactRange, VisitorReportsEveryCompleteSubtreeOnce) {
  const auto leaves = Leaves(21);
  std::map<std::pair<unsigned, std::uint64_t>, Hash> nodes;
  CompactRange range;
  for (const Hash& leaf : leaves) {
    range.Append(leaf, [&](unsigned level, std::uint64_t index, const Hash& hash) {
      EXPECT_TRUE(nodes.emplace(std::pair(level, index), hash).second) << level << "/" << index;
    });
  }
  // 21 leaves + 10 + 5 + 2 + 1 complete nodes above them.
  EXPECT_EQ(nodes.size(), 21u + 10 + 5 + 2 + 1);
  for (const auto& [id, hash] : nodes) {
    const auto [level, index] = id;
    const std::size_t begin = index << level, width = std::size_t{1} << level;
    EXPECT_EQ(hash, RootOf(std::span(leaves).subspan(begin, width))) << level << "/" << index;
  }
}

// Numbering subtrees in the order appends complete them: 0, 1, 2, ... with no gap and no repeat.
TEST(CompactRange, CompletionOrderNumbersSubtreesAsAppendsCompleteThem) {
  CompactRange range;
  std::uint64_t next = 0;
  for (const Hash& leaf : Leaves(1000)) {
    range.Append(leaf, [&](unsigned level, std::uint64_t index, const Hash&) {
      EXPECT_EQ(CompletionOrder(level, index), next) << "level " << level << ", index " << index;
      ++next;
    });
  }
  EXPECT_EQ(next, 2 * 1000 - 6);  // 2n - popcount(n) subtrees over n leaves
  // The largest subtree it is defined for is the last of the 2^63 - 1 over 2^62 leaves, and
  // its last leaf comes just before the 62 subtrees that leaf completes.
  const std::uint64_t last = (std::uint64_t{1} << 63) - 2;
  EXPECT_EQ(CompletionOrder(62, 0), last);
  EXPECT_EQ(CompletionOrder(0, (std::uint64_t{1} << 62) - 1), last - 62);
}

TEST(CompactRange, ResumesFromStoredHashes) {
  const auto leaves = Leaves(45);
  CompactRange first;
  for (std::size_t i = 0; i < 27; ++i)
    first.Append(leaves[i]);
  auto resumed = CompactRange::FromHashes(first.size(), first.hashes());
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  for (std::size_t i = 27; i < leaves.size(); ++i)
    resumed->Append(leaves[i]);
  EXPECT_EQ(resumed->Root(), RootOf(leaves));
}

TEST(CompactRange, RejectsWrongNumberOfHashes) {
  EXPECT_FALSE(CompactRange::FromHashes(5, Leaves(1)).ok());  // 5 = 0b101 needs two
  EXPECT_FALSE(CompactRange::FromHashes(0, Leaves(1)).ok());
  EXPECT_TRUE(CompactRange::FromHashes(0, {}).ok());
  EXPECT_FALSE(CompactRange::FromHashes(~std::uint64_t{0}, Leaves(64)).ok());
}

}  // namespace
}  // namespace pactum::merkle
