#include "pactum/merkle/proof.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "pactum/base/encoding.h"
#include "pactum/merkle/compact_range.h"
#include "pactum/merkle/verify.h"

namespace pactum::merkle {
namespace {

// A tree whose complete subtrees are stored as CompactRange reports them, as a ledger would.
// Proofs for a smaller size may only read subtrees inside that size: anything else fails.
class StoredTree {
 public:
  explicit StoredTree(const std::vector<Hash>& leaves) : leaves_(leaves) {
    CompactRange range;
    roots_.emplace_back(AsBytes(range.Root()));
    for (const Hash& leaf : leaves) {
      range.Append(leaf, [&](unsigned level, std::uint64_t index, const Hash& hash) {
        nodes_[{level, index}] = hash;
      });
      roots_.emplace_back(AsBytes(range.Root()));
    }
  }

  SubtreeHashFn At(std::uint64_t size) {
    return [this, size](unsigned level, std::uint64_t index) -> Result<Hash> {
      ++reads_;
      auto it = nodes_.find({level, index});
      if (it == nodes_.end() || ((index + 1) << level) > size) {
        return NotFound("no complete subtree " + std::to_string(level) + "/" +
                        std::to_string(index) + " in size " + std::to_string(size));
      }
      return it->second;
    };
  }

  const std::string& Root(std::uint64_t size) const { return roots_[size]; }
  std::string Leaf(std::uint64_t index) const { return std::string(AsBytes(leaves_[index])); }
  int reads() const { return reads_; }

 private:
  std::vector<Hash> leaves_;
  std::map<std::pair<unsigned, std::uint64_t>, Hash> nodes_;
  std::vector<std::string> roots_;  // by size; CompactRange's agree with RootOf (its tests)
  int reads_ = 0;
};

std::vector<Hash> NumberedLeaves(std::size_t n) {
  std::vector<Hash> leaves;
  for (std::size_t i = 0; i < n; ++i)
    leaves.push_back(HashLeaf("entry " + std::to_string(i)));
  return leaves;
}

std::vector<std::string> HexAll(const Proof& proof) {
  std::vector<std::string> hex;
  for (const auto& p : proof)
    hex.push_back(HexEncode(p));
  return hex;
}

// The proofs of transparency-dev/merkle's reference tree (verify_test.go).
class ReferenceTree : public ::testing::Test {
 protected:
  ReferenceTree() : tree_(Leaves()) {}
  static std::vector<Hash> Leaves() {
    std::vector<Hash> leaves;
    for (const char* hex : {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                            "606162636465666768696a6b6c6d6e6f"}) {
      leaves.push_back(HashLeaf(*HexDecode(hex)));
    }
    return leaves;
  }
  StoredTree tree_;
};

TEST_F(ReferenceTree, InclusionProofs) {
  auto p = InclusionProof(0, 8, tree_.At(8));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(HexAll(*p), (std::vector<std::string>{
                            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}));
  p = InclusionProof(5, 8, tree_.At(8));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(HexAll(*p), (std::vector<std::string>{
                            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}));
  p = InclusionProof(2, 3, tree_.At(3));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(HexAll(*p), (std::vector<std::string>{
                            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}));
  p = InclusionProof(1, 5, tree_.At(5));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(HexAll(*p), (std::vector<std::string>{
                            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}));
}

TEST_F(ReferenceTree, ConsistencyProofs) {
  struct Want {
    std::uint64_t size1, size2;
    std::vector<std::string> proof;
  };
  const std::vector<Want> wants = {
      {1, 1, {}},
      {1,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {6,
       8,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2,
       5,
       {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
      {6,
       7,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
  };
  for (const Want& w : wants) {
    auto p = ConsistencyProof(w.size1, w.size2, tree_.At(w.size2));
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    EXPECT_EQ(HexAll(*p), w.proof) << w.size1 << " -> " << w.size2;
  }
}

TEST(MerkleProof, GenerationRejectsBadSizes) {
  StoredTree tree(NumberedLeaves(4));
  EXPECT_FALSE(InclusionProof(4, 4, tree.At(4)).ok());
  EXPECT_FALSE(InclusionProof(0, 0, tree.At(0)).ok());
  EXPECT_FALSE(ConsistencyProof(0, 4, tree.At(4)).ok());
  EXPECT_FALSE(ConsistencyProof(3, 2, tree.At(3)).ok());
  // A subtree the store cannot serve surfaces as the store's error.
  auto missing = InclusionProof(0, 8, tree.At(8));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
}

TEST(MerkleProof, ReadsAreLogarithmic) {
  const std::uint64_t n = 1000;
  StoredTree tree(NumberedLeaves(n));
  for (std::uint64_t i : {0u, 1u, 511u, 512u, 999u}) {
    const int before = tree.reads();
    ASSERT_TRUE(InclusionProof(i, n, tree.At(n)).ok());
    EXPECT_LE(tree.reads() - before, 2 * 10) << "index " << i;
  }
  const int before = tree.reads();
  ASSERT_TRUE(ConsistencyProof(333, n, tree.At(n)).ok());
  EXPECT_LE(tree.reads() - before, 2 * 10);
  auto root = TreeRoot(n, tree.At(n));
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(std::string(AsBytes(*root)), tree.Root(n));
}

constexpr std::uint64_t kMaxSize = 64;

// Flips one bit in each byte of each element (which bit varies with the position), and
// every bit of every element for small trees, expecting each corruption to be rejected.
template <typename VerifyFn>
void ExpectEveryFlipRejected(const Proof& proof, std::uint64_t size, VerifyFn verify) {
  for (std::size_t e = 0; e < proof.size(); ++e) {
    for (std::size_t byte = 0; byte < kHashSize; ++byte) {
      for (unsigned bit = 0; bit < 8; ++bit) {
        if (size > 8 && bit != (e + byte) % 8) continue;
        Proof bad = proof;
        bad[e][byte] = static_cast<char>(bad[e][byte] ^ (1u << bit));
        ASSERT_FALSE(verify(bad).ok()) << "element " << e << " byte " << byte << " bit " << bit;
      }
    }
  }
}

TEST(MerkleProofProperty, InclusionForAllSizesUpTo64) {
  StoredTree tree(NumberedLeaves(kMaxSize));
  for (std::uint64_t n = 1; n <= kMaxSize; ++n) {
    const std::string root = tree.Root(n);
    for (std::uint64_t i = 0; i < n; ++i) {
      SCOPED_TRACE("index " + std::to_string(i) + " size " + std::to_string(n));
      auto proof = InclusionProof(i, n, tree.At(n));
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      ASSERT_TRUE(VerifyInclusion(i, n, tree.Leaf(i), *proof, root).ok());
      ExpectEveryFlipRejected(*proof, n, [&](const Proof& bad) {
        return VerifyInclusion(i, n, tree.Leaf(i), bad, root);
      });
      for (std::uint64_t j = 0; j < n; ++j) {
        if (j != i) {
          ASSERT_FALSE(VerifyInclusion(j, n, tree.Leaf(i), *proof, root).ok()) << j;
        }
      }
      // A verifier takes size and root together from one checkpoint, so a wrong size comes
      // with that size's root; past the end of the tree no size may verify at all.
      for (std::uint64_t m = 1; m <= kMaxSize + 1; ++m) {
        if (m == n) continue;
        const std::string other_root = m <= kMaxSize ? tree.Root(m) : root;
        ASSERT_FALSE(VerifyInclusion(i, m, tree.Leaf(i), *proof, other_root).ok()) << m;
      }
    }
  }
}

TEST(MerkleProofProperty, ConsistencyForAllSizesUpTo64) {
  StoredTree tree(NumberedLeaves(kMaxSize));
  for (std::uint64_t n = 1; n <= kMaxSize; ++n) {
    for (std::uint64_t m = 1; m <= n; ++m) {
      SCOPED_TRACE("size1 " + std::to_string(m) + " size2 " + std::to_string(n));
      auto proof = ConsistencyProof(m, n, tree.At(n));
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      ASSERT_TRUE(VerifyConsistency(m, n, *proof, tree.Root(m), tree.Root(n)).ok());
      ExpectEveryFlipRejected(*proof, n, [&](const Proof& bad) {
        return VerifyConsistency(m, n, bad, tree.Root(m), tree.Root(n));
      });
      for (std::uint64_t other = 1; other <= kMaxSize; ++other) {
        if (other != m && other <= n) {
          ASSERT_FALSE(VerifyConsistency(other, n, *proof, tree.Root(other), tree.Root(n)).ok())
              << "size1 " << other;
        }
        if (other != n && other >= m) {
          ASSERT_FALSE(VerifyConsistency(m, other, *proof, tree.Root(m), tree.Root(other)).ok())
              << "size2 " << other;
        }
      }
      if (m < n) {
        ASSERT_FALSE(VerifyConsistency(m, n, *proof, tree.Root(n), tree.Root(m)).ok());
      }
    }
  }
}

}  // namespace
}  // namespace pactum::merkle
