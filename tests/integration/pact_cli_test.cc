// `pactum pact lint|diff|hash` through the real binary, on the pact module's fixture files.
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness.h"

namespace pactum::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path kFixtures = fs::path(PACTUM_SOURCE_DIR) / "tests/pact/testdata";

TEST(PactCliTest, LintOkPrintsNameVersionAndHash) {
  std::string out, err;
  std::string file = (kFixtures / "alert-triage.yaml").string();
  ASSERT_EQ(RunPactum({"pact", "lint", file, (kFixtures / "minimal.yaml").string()}, &out, &err), 0)
      << out << err;
  EXPECT_THAT(out, HasSubstr(file + ": ok (pact alert-triage v4, hash "));
  EXPECT_THAT(out, HasSubstr("minimal.yaml: ok (pact minimal v1, hash "));

  std::string hash_out;
  ASSERT_EQ(RunPactum({"pact", "hash", file}, &hash_out, &err), 0) << err;
  ASSERT_EQ(hash_out.size(), 65u);  // 64 hex digits and a newline
  EXPECT_THAT(out, HasSubstr("hash " + hash_out.substr(0, 64) + ")"));
}

TEST(PactCliTest, LintReportsEveryProblemAndExitsOne) {
  TempDir dir;
  fs::path bad = dir.path() / "bad.yaml";
  WriteAll(bad,
           "pact: bad\nversion: 0\nworkflow: w\nagents: [a]\nowner: o\n"
           "conditions:\n  - id: c\n    metric: classification.tpr\n    op: gte\n"
           "    threshold: 1.5\n    windw: 7d\n");
  std::string out, err;
  EXPECT_EQ(
      RunPactum({"pact", "lint", (kFixtures / "minimal.yaml").string(), bad.string()}, &out, &err),
      1);
  EXPECT_THAT(out, HasSubstr("minimal.yaml: ok"));
  EXPECT_THAT(out, HasSubstr(bad.string() + ":2:10: version: must be between 1"));
  EXPECT_THAT(out, HasSubstr(bad.string() + ":10:16: conditions[0].threshold:"));
  EXPECT_THAT(out, HasSubstr(bad.string() +
                             ":11:5: conditions[0].windw: unknown key \"windw\" (did you mean "
                             "\"window\"?)"));
  EXPECT_EQ(RunPactum({"pact", "hash", bad.string()}, &out, &err), 1);
  EXPECT_THAT(err, HasSubstr("version: must be between 1"));
}

TEST(PactCliTest, Diff) {
  TempDir dir;
  for (const auto& entry : fs::recursive_directory_iterator(kFixtures)) {
    fs::path target = dir.path() / fs::relative(entry.path(), kFixtures);
    if (entry.is_directory()) {
      fs::create_directories(target);
    } else {
      fs::copy_file(entry.path(), target);
    }
  }
  std::ifstream in(kFixtures / "alert-triage.yaml");
  std::string yaml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  yaml.replace(yaml.find("threshold: 0.95"), 15, "threshold: 0.9");
  yaml.replace(yaml.find("version: 4"), 10, "version: 5");
  WriteAll(dir.path() / "v5.yaml", yaml);
  std::string old_file = (dir.path() / "alert-triage.yaml").string();
  std::string new_file = (dir.path() / "v5.yaml").string();

  std::string out, err;
  ASSERT_EQ(RunPactum({"pact", "diff", old_file, new_file}, &out, &err), 0) << err;
  EXPECT_THAT(out, HasSubstr("~ version: 4 -> 5\n"));
  EXPECT_THAT(out, HasSubstr("~ conditions[tp-recall].threshold: 0.95 -> 0.9\n"));

  ASSERT_EQ(RunPactum({"pact", "diff", "--json", old_file, new_file}, &out, &err), 0) << err;
  Json j = Json::parse(out);
  EXPECT_EQ(j["changes"].size(), 2u);
  EXPECT_NE(j["old_hash"], j["new_hash"]);

  ASSERT_EQ(RunPactum({"pact", "diff", old_file, old_file}, &out, &err), 0) << err;
  EXPECT_THAT(out, HasSubstr("no changes"));
  EXPECT_EQ(
      RunPactum({"pact", "diff", old_file, (dir.path() / "absent.yaml").string()}, &out, &err), 1);
  EXPECT_THAT(err, HasSubstr("absent.yaml"));
}

}  // namespace
}  // namespace pactum::testing
