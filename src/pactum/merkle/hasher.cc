#include "pactum/merkle/hasher.h"

#include <bit>

namespace pactum::merkle {
namespace {

constexpr char kLeafPrefix = 0x00;
constexpr char kNodePrefix = 0x01;

// One hasher per thread, reset by each Finish: a log commit hashes every leaf and about as many
// nodes, and a context of its own for each would cost as much as the hashing.
Sha256Hasher& ThreadHasher() {
  thread_local Sha256Hasher hasher;
  return hasher;
}

}  // namespace

Hash HashLeaf(std::string_view data) {
  Sha256Hasher& hasher = ThreadHasher();
  hasher.Update(std::string_view(&kLeafPrefix, 1));
  hasher.Update(data);
  return hasher.Finish();
}

Hash HashChildren(std::string_view left, std::string_view right) {
  Sha256Hasher& hasher = ThreadHasher();
  hasher.Update(std::string_view(&kNodePrefix, 1));
  hasher.Update(left);
  hasher.Update(right);
  return hasher.Finish();
}

Hash HashChildren(const Hash& left, const Hash& right) {
  return HashChildren(AsBytes(left), AsBytes(right));
}

Hash EmptyRoot() {
  return Sha256("");
}

std::uint64_t SplitPoint(std::uint64_t n) {
  return std::bit_floor(n - 1);
}

Hash RootOf(std::span<const Hash> leaf_hashes) {
  if (leaf_hashes.empty()) return EmptyRoot();
  if (leaf_hashes.size() == 1) return leaf_hashes[0];
  const std::size_t k = SplitPoint(leaf_hashes.size());
  return HashChildren(RootOf(leaf_hashes.first(k)), RootOf(leaf_hashes.subspan(k)));
}

}  // namespace pactum::merkle
