// RFC 6962 §2.1 / RFC 9162 §2.1.1 hashing with SHA-256.
//
// A leaf hash is SHA-256(0x00 || data), an interior node SHA-256(0x01 || left || right); the
// distinct prefixes keep a leaf from being passed off as a node (second-preimage resistance).
// The hash of the empty tree is SHA-256 of the empty string.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "pactum/base/digest.h"

namespace pactum::merkle {

using Hash = Sha256Digest;
inline constexpr std::size_t kHashSize = sizeof(Hash);

Hash HashLeaf(std::string_view data);
Hash HashChildren(const Hash& left, const Hash& right);
// The same over byte strings of any length, for verifiers that chain hashes they were sent
// before checking them.
Hash HashChildren(std::string_view left, std::string_view right);
Hash EmptyRoot();

// MTH(D[n]) of RFC 9162 §2.1.1, computed by its recursive definition from the leaf hashes.
// O(n); incremental callers use CompactRange.
Hash RootOf(std::span<const Hash> leaf_hashes);

// The largest power of two strictly less than n (the split point k of RFC 9162). Requires n > 1.
std::uint64_t SplitPoint(std::uint64_t n);

}  // namespace pactum::merkle
