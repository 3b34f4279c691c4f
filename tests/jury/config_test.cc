#include "pactum/jury/config.h"

#include <gtest/gtest.h>

namespace pactum::jury {
namespace {

TEST(JuryConfig, ReadsJudgesAndKnobs) {
  auto config = ParseJuryConfig(R"(
judges:
  - { name: a, base_url: "http://127.0.0.1:1/v1", model: m1, api_key_env: KEY_A }
  - { name: b, base_url: "http://127.0.0.1:1/v1", model: m2, timeout_ms: 500 }
concurrency: 16
retries: 2
min_consensus: 0.5
cache_dir: cache
)",
                                "judges.yaml", "/etc/pactum");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  ASSERT_EQ(config->judges.size(), 2u);
  EXPECT_EQ(config->judges[0].api_key_env, "KEY_A");
  EXPECT_EQ(config->judges[1].timeout_ms, 500);
  EXPECT_EQ(config->concurrency, 16u);
  EXPECT_EQ(config->retries, 2);
  EXPECT_EQ(config->min_consensus, 0.5);
  EXPECT_EQ(config->cache_dir, "/etc/pactum/cache");
}

TEST(JuryConfig, NamesTheFieldAtFault) {
  auto missing = ParseJuryConfig("judges:\n  - { name: a, model: m }\n", "j.yaml", ".");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("judges[0].base_url: is required"), std::string::npos);
  auto range = ParseJuryConfig("judges:\n  - { name: a, base_url: u, model: m }\nconcurrency: 0\n",
                               "j.yaml", ".");
  ASSERT_FALSE(range.ok());
  EXPECT_NE(range.status().message().find("j.yaml:3: concurrency"), std::string::npos);
  EXPECT_FALSE(ParseJuryConfig("judges:\n  - { name: a, base_url: u, model: m }\nretries: 1.5\n",
                               "j.yaml", ".")
                   .ok());
  EXPECT_FALSE(
      ParseJuryConfig("judges:\n  - { name: a, base_url: u, model: m }\ntypo: 1\n", "j.yaml", ".")
          .ok());
  EXPECT_FALSE(ParseJuryConfig("judges: []\n", "j.yaml", ".").ok());
  EXPECT_FALSE(ParseJuryConfig("judges: [ {\n", "j.yaml", ".").ok());
  EXPECT_FALSE(ParseJuryConfig(
                   "judges:\n  - { name: a, base_url: u, model: m }\n  - { name: a, base_url: u, "
                   "model: m }\n",
                   "j.yaml", ".")
                   .ok());
}

}  // namespace
}  // namespace pactum::jury
