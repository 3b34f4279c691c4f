#include "pactum/merkle/verify.h"

#include <algorithm>
#include <vector>

#include "pactum/merkle/hasher.h"

namespace pactum::merkle {
namespace {

Status CheckHashSizes(std::span<const std::string> proof) {
  for (std::size_t i = 0; i < proof.size(); ++i) {
    if (proof[i].size() != kHashSize) {
      return InvalidArgument("proof element " + std::to_string(i) + " is " +
                             std::to_string(proof[i].size()) + " bytes, not 32");
    }
  }
  return Status::Ok();
}

bool Lsb(std::uint64_t x) {
  return (x & 1) != 0;
}

}  // namespace

Status VerifyInclusion(std::uint64_t index, std::uint64_t size, std::string_view leaf_hash,
                       std::span<const std::string> proof, std::string_view root) {
  if (index >= size) {
    return InvalidArgument("leaf index " + std::to_string(index) + " is not below tree size " +
                           std::to_string(size));
  }
  if (leaf_hash.size() != kHashSize) {
    return InvalidArgument("leaf hash is " + std::to_string(leaf_hash.size()) + " bytes, not 32");
  }
  PACTUM_TRY(CheckHashSizes(proof));
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  Hash r;
  std::copy(leaf_hash.begin(), leaf_hash.end(), r.begin());
  for (const std::string& p : proof) {
    if (sn == 0) return InvalidArgument("inclusion proof is longer than the tree is high");
    if (Lsb(fn) || fn == sn) {
      r = HashChildren(p, AsBytes(r));
      // On the right border, levels where the node has no right sibling are skipped.
      while (!Lsb(fn) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = HashChildren(AsBytes(r), p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return InvalidArgument("inclusion proof is shorter than the tree is high");
  if (AsBytes(r) != root) return InvalidArgument("inclusion proof does not lead to the root");
  return Status::Ok();
}

Status VerifyConsistency(std::uint64_t size1, std::uint64_t size2,
                         std::span<const std::string> proof, std::string_view root1,
                         std::string_view root2) {
  if (size1 > size2) {
    return InvalidArgument("size1 " + std::to_string(size1) + " is greater than size2 " +
                           std::to_string(size2));
  }
  if (size1 == 0) return InvalidArgument("consistency with the empty tree proves nothing");
  if (size1 == size2) {
    if (!proof.empty()) return InvalidArgument("equal sizes need an empty consistency proof");
    if (root1 != root2) return InvalidArgument("equal sizes but the roots differ");
    return Status::Ok();
  }
  if (proof.empty()) return InvalidArgument("consistency proof is empty");
  PACTUM_TRY(CheckHashSizes(proof));

  // When size1 is a power of two the old tree is a subtree of the new one, and its root is
  // the proof's implicit first element.
  std::vector<std::string_view> path;
  path.reserve(proof.size() + 1);
  if ((size1 & (size1 - 1)) == 0) path.push_back(root1);
  for (const std::string& p : proof)
    path.push_back(p);

  std::uint64_t fn = size1 - 1;
  std::uint64_t sn = size2 - 1;
  while (Lsb(fn)) {
    fn >>= 1;
    sn >>= 1;
  }
  // path[0] may be root1, whose length is the caller's business, so hashes stay byte strings.
  std::string fr(path[0]);
  std::string sr(path[0]);
  for (std::size_t i = 1; i < path.size(); ++i) {
    const std::string_view c = path[i];
    if (sn == 0) return InvalidArgument("consistency proof is longer than the tree is high");
    if (Lsb(fn) || fn == sn) {
      fr.assign(AsBytes(HashChildren(c, fr)));
      sr.assign(AsBytes(HashChildren(c, sr)));
      while (!Lsb(fn) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr.assign(AsBytes(HashChildren(sr, c)));
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return InvalidArgument("consistency proof is shorter than the tree is high");
  if (fr != root1) return InvalidArgument("consistency proof does not lead to root1");
  if (sr != root2) return InvalidArgument("consistency proof does not lead to root2");
  return Status::Ok();
}

}  // namespace pactum::merkle
