// A compact range over leaves [0, size): the hashes of the perfect subtrees that the binary
// representation of `size` decomposes it into, leftmost (largest) first — one per set bit,
// so at most 64 hashes. It is all a log needs to keep in memory to append leaves in amortised
// O(1) and to produce the root of everything appended so far.
//
// Appending reports every complete subtree it creates (the leaf itself, then each node that
// the append completes), so a ledger can store them and later serve proofs from them. A range
// can be resumed from its stored hashes after a restart.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/merkle/hasher.h"

namespace pactum::merkle {

// Where the subtree over leaves [index << level, (index + 1) << level) comes in the order that
// appending leaves 0, 1, 2, ... completes subtrees, the leaves themselves included and counting
// from 0 (a post-order numbering). A store keyed by it appends every subtree at its end. Defined
// for subtrees within the first 2^62 leaves, which keeps it below 2^63.
std::uint64_t CompletionOrder(unsigned level, std::uint64_t index);

class CompactRange {
 public:
  // Receives each complete subtree created: it covers leaves [index << level, (index + 1) <<
  // level).
  using NodeVisitor = std::function<void(unsigned level, std::uint64_t index, const Hash& hash)>;

  CompactRange() = default;

  // Resumes a range of `size` leaves from its subtree hashes, leftmost first. Fails unless
  // there is exactly one hash per set bit of `size`, or if the range is already full
  // (size 2^64 - 1, so no leaf could be appended).
  static Result<CompactRange> FromHashes(std::uint64_t size, std::vector<Hash> hashes);

  void Append(const Hash& leaf_hash, const NodeVisitor& visit = nullptr);

  std::uint64_t size() const { return size_; }
  const std::vector<Hash>& hashes() const { return hashes_; }

  // MTH of the leaves appended so far (EmptyRoot() when there are none).
  Hash Root() const;

 private:
  CompactRange(std::uint64_t size, std::vector<Hash> hashes)
      : size_(size), hashes_(std::move(hashes)) {}

  std::uint64_t size_ = 0;
  std::vector<Hash> hashes_;
};

}  // namespace pactum::merkle
