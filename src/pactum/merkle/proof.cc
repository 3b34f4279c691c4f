#include "pactum/merkle/proof.h"

#include <bit>
#include <string>

namespace pactum::merkle {
namespace {

// MTH(D[begin:end]) for a range that the RFC's recursion produces: `begin` is a multiple of
// a power of two at least end - begin, so the range splits into perfect subtrees of strictly
// decreasing size, which fold from the right.
Result<Hash> RangeRoot(std::uint64_t begin, std::uint64_t end, const SubtreeHashFn& subtree) {
  const auto level = static_cast<unsigned>(std::bit_width(end - begin) - 1);
  PACTUM_ASSIGN_OR_RETURN(Hash left, subtree(level, begin >> level));
  begin += std::uint64_t{1} << level;
  if (begin == end) return left;
  PACTUM_ASSIGN_OR_RETURN(Hash right, RangeRoot(begin, end, subtree));
  return HashChildren(left, right);
}

// The hash of a perfect subtree of `width` leaves starting at `begin`.
Result<Hash> Perfect(std::uint64_t begin, std::uint64_t width, const SubtreeHashFn& subtree) {
  const auto level = static_cast<unsigned>(std::countr_zero(width));
  return subtree(level, begin >> level);
}

void Push(Proof& proof, const Hash& hash) {
  proof.emplace_back(AsBytes(hash));
}

// PATH(m, D[begin:begin+n]), appending to `proof` from the bottom up.
Status Path(std::uint64_t m, std::uint64_t begin, std::uint64_t n, const SubtreeHashFn& subtree,
            Proof& proof) {
  if (n == 1) return Status::Ok();
  const std::uint64_t k = SplitPoint(n);
  if (m < k) {
    PACTUM_TRY(Path(m, begin, k, subtree, proof));
    PACTUM_ASSIGN_OR_RETURN(Hash right, RangeRoot(begin + k, begin + n, subtree));
    Push(proof, right);
  } else {
    PACTUM_TRY(Path(m - k, begin + k, n - k, subtree, proof));
    PACTUM_ASSIGN_OR_RETURN(Hash left, Perfect(begin, k, subtree));
    Push(proof, left);
  }
  return Status::Ok();
}

// SUBPROOF(m, D[begin:begin+n], whole), where `whole` says D[begin:begin+m] is the entire
// old tree, whose root the verifier already has.
Status SubProof(std::uint64_t m, std::uint64_t begin, std::uint64_t n, bool whole,
                const SubtreeHashFn& subtree, Proof& proof) {
  if (m == n) {
    if (whole) return Status::Ok();
    // Only reached after descending into a left half, which is perfect.
    PACTUM_ASSIGN_OR_RETURN(Hash old_root, Perfect(begin, m, subtree));
    Push(proof, old_root);
    return Status::Ok();
  }
  const std::uint64_t k = SplitPoint(n);
  if (m <= k) {
    PACTUM_TRY(SubProof(m, begin, k, whole, subtree, proof));
    PACTUM_ASSIGN_OR_RETURN(Hash right, RangeRoot(begin + k, begin + n, subtree));
    Push(proof, right);
  } else {
    PACTUM_TRY(SubProof(m - k, begin + k, n - k, false, subtree, proof));
    PACTUM_ASSIGN_OR_RETURN(Hash left, Perfect(begin, k, subtree));
    Push(proof, left);
  }
  return Status::Ok();
}

}  // namespace

Result<Proof> InclusionProof(std::uint64_t index, std::uint64_t size,
                             const SubtreeHashFn& subtree) {
  if (index >= size) {
    return InvalidArgument("leaf index " + std::to_string(index) + " is not below tree size " +
                           std::to_string(size));
  }
  Proof proof;
  PACTUM_TRY(Path(index, 0, size, subtree, proof));
  return proof;
}

Result<Proof> ConsistencyProof(std::uint64_t size1, std::uint64_t size2,
                               const SubtreeHashFn& subtree) {
  if (size1 == 0 || size1 > size2) {
    return InvalidArgument("consistency proof needs 0 < size1 <= size2, got size1 " +
                           std::to_string(size1) + " and size2 " + std::to_string(size2));
  }
  Proof proof;
  PACTUM_TRY(SubProof(size1, 0, size2, true, subtree, proof));
  return proof;
}

Result<Hash> TreeRoot(std::uint64_t size, const SubtreeHashFn& subtree) {
  if (size == 0) return EmptyRoot();
  return RangeRoot(0, size, subtree);
}

}  // namespace pactum::merkle
