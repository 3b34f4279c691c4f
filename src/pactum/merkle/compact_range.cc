#include "pactum/merkle/compact_range.h"

#include <bit>
#include <limits>
#include <string>

namespace pactum::merkle {

std::uint64_t CompletionOrder(unsigned level, std::uint64_t index) {
  // The subtree is completed by the append of its last leaf, m. Before that append, the log
  // had completed m >> j subtrees of each level j (every complete subtree of m leaves); the
  // append itself completes the leaf, then one subtree per level up to this one.
  const std::uint64_t last = ((index + 1) << level) - 1;
  std::uint64_t before = 0;
  for (std::uint64_t m = last; m != 0; m >>= 1)
    before += m;
  return before + level;
}

Result<CompactRange> CompactRange::FromHashes(std::uint64_t size, std::vector<Hash> hashes) {
  if (size == std::numeric_limits<std::uint64_t>::max()) {
    return InvalidArgument("compact range of size 2^64-1 is full");
  }
  const auto want = static_cast<std::size_t>(std::popcount(size));
  if (hashes.size() != want) {
    return InvalidArgument("compact range of size " + std::to_string(size) + " needs " +
                           std::to_string(want) + " subtree hashes, got " +
                           std::to_string(hashes.size()));
  }
  return CompactRange(size, std::move(hashes));
}

void CompactRange::Append(const Hash& leaf_hash, const NodeVisitor& visit) {
  if (visit) visit(0, size_, leaf_hash);
  Hash node = leaf_hash;
  std::uint64_t index = size_;
  unsigned level = 0;
  // Each trailing one bit of the old size is a perfect subtree of the same height as the
  // node being carried: they merge, exactly like a binary increment.
  while (index & 1) {
    node = HashChildren(hashes_.back(), node);
    hashes_.pop_back();
    index >>= 1;
    ++level;
    if (visit) visit(level, index, node);
  }
  hashes_.push_back(node);
  ++size_;
}

Hash CompactRange::Root() const {
  if (hashes_.empty()) return EmptyRoot();
  // MTH splits at the largest power of two, so the smaller subtrees on the right fold first.
  Hash root = hashes_.back();
  for (auto it = hashes_.rbegin() + 1; it != hashes_.rend(); ++it)
    root = HashChildren(*it, root);
  return root;
}

}  // namespace pactum::merkle
