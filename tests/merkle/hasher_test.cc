#include "pactum/merkle/hasher.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pactum/base/encoding.h"

namespace pactum::merkle {
namespace {

std::string Hex(const Hash& h) {
  return HexEncode(AsBytes(h));
}

// The RFC 6962 hasher examples of transparency-dev/merkle (rfc6962_test.go).
TEST(MerkleHasher, Rfc6962KnownAnswers) {
  EXPECT_EQ(Hex(EmptyRoot()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(HashLeaf("")), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  EXPECT_EQ(Hex(HashLeaf("L123456")),
            "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");
  EXPECT_EQ(Hex(HashChildren(std::string_view("N123"), std::string_view("N456"))),
            "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb");
}

TEST(MerkleHasher, LeafAndNodeDomainsAreSeparate) {
  const Hash a = HashLeaf("Hello"), b = HashLeaf("World");
  EXPECT_NE(a, b);
  const Hash node = HashChildren(a, b);
  EXPECT_NE(node, HashLeaf(std::string(AsBytes(a)) + std::string(AsBytes(b))));
  EXPECT_NE(node, HashChildren(b, a));
}

// The eight leaves and the roots of their prefixes, from transparency-dev/merkle's tests.
const std::vector<std::string>& ReferenceLeaves() {
  static const auto* leaves = new std::vector<std::string>{"",
                                                           "00",
                                                           "10",
                                                           "2021",
                                                           "3031",
                                                           "40414243",
                                                           "5051525354555657",
                                                           "606162636465666768696a6b6c6d6e6f"};
  return *leaves;
}

TEST(MerkleHasher, RootOfReferenceTree) {
  const std::vector<std::string> roots = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  std::vector<Hash> leaf_hashes;
  for (std::size_t i = 0; i < ReferenceLeaves().size(); ++i) {
    auto data = HexDecode(ReferenceLeaves()[i]);
    ASSERT_TRUE(data.ok());
    leaf_hashes.push_back(HashLeaf(*data));
    EXPECT_EQ(Hex(RootOf(leaf_hashes)), roots[i]) << "size " << i + 1;
  }
  EXPECT_EQ(RootOf({}), EmptyRoot());
}

TEST(MerkleHasher, SplitPointIsLargestPowerOfTwoBelow) {
  EXPECT_EQ(SplitPoint(2), 1u);
  EXPECT_EQ(SplitPoint(3), 2u);
  EXPECT_EQ(SplitPoint(4), 2u);
  EXPECT_EQ(SplitPoint(5), 4u);
  EXPECT_EQ(SplitPoint(8), 4u);
  EXPECT_EQ(SplitPoint(9), 8u);
}

}  // namespace
}  // namespace pactum::merkle
