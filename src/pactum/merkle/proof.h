// Inclusion and consistency proofs of RFC 9162 §2.1.3.1 and §2.1.4.1, generated from the
// hashes of complete subtrees.
//
// The tree itself is not needed: `SubtreeHashFn` returns the hash of any complete (perfect)
// subtree, which a ledger stores as CompactRange reports them. A proof costs O(log n) calls:
// one per proof element, plus O(log n) for the one element that covers an incomplete subtree
// on the right border of the tree. Errors from the function are returned unchanged.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/merkle/hasher.h"

namespace pactum::merkle {

// The hash of the perfect subtree over leaves [index << level, (index + 1) << level).
using SubtreeHashFn = std::function<Result<Hash>(unsigned level, std::uint64_t index)>;

// Proof elements are raw 32-byte hashes, ordered from the leaf (or the old root) upwards.
using Proof = std::vector<std::string>;

// PATH(index, D[size]). Requires index < size.
Result<Proof> InclusionProof(std::uint64_t index, std::uint64_t size, const SubtreeHashFn& subtree);

// PROOF(size1, D[size2]). Requires 0 < size1 <= size2; the proof is empty when they are equal.
Result<Proof> ConsistencyProof(std::uint64_t size1, std::uint64_t size2,
                               const SubtreeHashFn& subtree);

// MTH of the whole tree of `size` leaves (EmptyRoot() for size 0).
Result<Hash> TreeRoot(std::uint64_t size, const SubtreeHashFn& subtree);

}  // namespace pactum::merkle
