// The RFC 6962 / RFC 9162 proof vectors of transparency-dev/merkle (shared data, read in
// place): every valid proof must verify and every case marked wantErr must be rejected.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pactum/base/encoding.h"
#include "pactum/base/json.h"
#include "pactum/merkle/verify.h"

namespace pactum::merkle {
namespace {

namespace fs = std::filesystem;

const fs::path kVectors = fs::path(PACTUM_SHARED_DATA) / "vectors/merkle/testdata";

struct Case {
  fs::path path;
  Json json;
};

std::vector<Case> LoadCases(const fs::path& dir) {
  std::vector<Case> cases;
  if (!fs::is_directory(dir)) {
    ADD_FAILURE() << "missing vector folder " << dir;
    return cases;
  }
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto json = ParseJson(text.str());
    if (!json.ok()) {
      ADD_FAILURE() << entry.path() << ": " << json.status().ToString();
      continue;
    }
    cases.push_back({entry.path(), std::move(*json)});
  }
  return cases;
}

std::string Bytes(const Json& j, const char* field) {
  auto bytes = Base64Decode(j.at(field).get<std::string>());
  EXPECT_TRUE(bytes.ok()) << field << ": " << bytes.status().ToString();
  return bytes.ok() ? *bytes : std::string();
}

std::vector<std::string> ProofOf(const Json& j) {
  std::vector<std::string> proof;
  if (j.at("proof").is_null()) return proof;  // Go marshals an empty proof as null
  for (const Json& p : j.at("proof")) {
    auto bytes = Base64Decode(p.get<std::string>());
    EXPECT_TRUE(bytes.ok());
    proof.push_back(bytes.ok() ? *bytes : std::string());
  }
  return proof;
}

TEST(MerkleVectors, Inclusion) {
  const auto cases = LoadCases(kVectors / "inclusion");
  int valid = 0, rejected = 0;
  for (const Case& c : cases) {
    const Json& j = c.json;
    const Status status =
        VerifyInclusion(j.at("leafIdx").get<std::uint64_t>(), j.at("treeSize").get<std::uint64_t>(),
                        Bytes(j, "leafHash"), ProofOf(j), Bytes(j, "root"));
    const bool want_err = j.at("wantErr").get<bool>();
    EXPECT_EQ(!status.ok(), want_err)
        << c.path << " (" << j.at("desc") << "): " << status.ToString();
    (want_err ? rejected : valid)++;
  }
  EXPECT_EQ(valid, 6);
  EXPECT_EQ(rejected, 92);
}

TEST(MerkleVectors, Consistency) {
  const auto cases = LoadCases(kVectors / "consistency");
  int valid = 0, rejected = 0;
  for (const Case& c : cases) {
    const Json& j = c.json;
    const Status status =
        VerifyConsistency(j.at("size1").get<std::uint64_t>(), j.at("size2").get<std::uint64_t>(),
                          ProofOf(j), Bytes(j, "root1"), Bytes(j, "root2"));
    const bool want_err = j.at("wantErr").get<bool>();
    EXPECT_EQ(!status.ok(), want_err)
        << c.path << " (" << j.at("desc") << "): " << status.ToString();
    (want_err ? rejected : valid)++;
  }
  EXPECT_EQ(valid, 6);
  EXPECT_EQ(rejected, 92);
}

}  // namespace
}  // namespace pactum::merkle
