// The jury against a real pactum-judge-server process on loopback.
#include "pactum/jury/jury.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "judge_process.h"

namespace pactum::jury {
namespace {

using pactum::testing::JudgeProcess;

constexpr char kRationaleRubric[] =
    "# Rationale\n"
    "Key terms: powershell, encoded, parent process, lateral\n"
    "- 1.0: names all four\n"
    "- 0.5: names two\n"
    "- 0: names none\n";

class JuryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = JudgeProcess::Start({"--slow-ms", "3000", "--retry-after", "1"});
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
    auto rubric = ParseRubric(kRationaleRubric, "rationale.md");
    ASSERT_TRUE(rubric.ok());
    rubric_ = std::move(*rubric);
  }

  JuryConfig Config(const std::vector<std::string>& models) {
    JuryConfig config;
    for (std::size_t i = 0; i < models.size(); ++i)
      config.judges.push_back({std::string("j").append(std::to_string(i)), server_->url() + "/v1",
                               models[i], "", 2000});
    config.concurrency = 4;
    config.retries = 2;
    config.backoff_ms = 10;
    return config;
  }

  Verdict One(JuryConfig config, const std::string& content) {
    auto jury = Jury::Create(std::move(config));
    EXPECT_TRUE(jury.ok()) << jury.status().ToString();
    auto verdicts = (*jury)->Evaluate({{"rationale", &rubric_, content, 0}});
    EXPECT_TRUE(verdicts.ok()) << verdicts.status().ToString();
    EXPECT_EQ(verdicts->size(), 1u);
    return verdicts->at(0);
  }

  std::unique_ptr<JudgeProcess> server_;
  Rubric rubric_;
};

TEST_F(JuryTest, ScoresDeterministicallyFromRubricAndContent) {
  const Verdict v = One(Config({"judge", "judge", "judge"}),
                        "Encoded PowerShell spawned by an unusual parent process.");
  EXPECT_EQ(v.aggregate.outcome, Outcome::kPass);
  EXPECT_NEAR(v.aggregate.score, 0.75, 1e-9);
  EXPECT_NEAR(v.aggregate.consensus, 1.0, 1e-9);
  ASSERT_EQ(v.votes.size(), 3u);
  EXPECT_NE(v.votes[0].answer->reason.find("missing: lateral"), std::string::npos);
  const Verdict low = One(Config({"judge", "judge", "judge"}), "benign");
  EXPECT_EQ(low.aggregate.outcome, Outcome::kFail);
  EXPECT_EQ(low.aggregate.score, 0.0);
}

TEST_F(JuryTest, ContrarianJudgeMakesThreeUncertainButFiveTrimIt) {
  const std::string content = "encoded powershell, parent process, lateral movement";
  const Verdict three = One(Config({"judge", "judge", "judge-contrarian"}), content);
  EXPECT_EQ(three.aggregate.outcome, Outcome::kUncertain);
  const Verdict five = One(
      Config({"judge", "judge", "judge-contrarian", "judge-noisy-a", "judge-noisy-b"}), content);
  EXPECT_NE(five.aggregate.outcome, Outcome::kUncertain);
  EXPECT_EQ(five.aggregate.kept, 3u);
  EXPECT_GT(five.aggregate.score, 0.85);
}

TEST_F(JuryTest, FailingOrGarbageJudgeIsUnscoredNeverFail) {
  for (const char* model : {"judge-fail", "judge-garbage"}) {
    const Verdict v = One(Config({"judge", "judge", model}), "powershell");
    EXPECT_EQ(v.aggregate.outcome, Outcome::kUnscored) << model;
    EXPECT_FALSE(v.votes[2].answer.has_value());
    EXPECT_FALSE(v.votes[2].error.empty());
  }
  JuryConfig retries = Config({"judge-fail"});
  const Verdict failed = One(retries, "x");
  EXPECT_EQ(failed.votes[0].attempts, 3);  // first try and two retries on 500
  // A quorum below the jury size scores with the judges that answered.
  JuryConfig quorum = Config({"judge", "judge", "judge-fail"});
  quorum.quorum = 2;
  const Verdict two = One(quorum, "powershell encoded");
  EXPECT_EQ(two.aggregate.outcome, Outcome::kPass);
  EXPECT_EQ(two.aggregate.kept, 2u);
}

TEST_F(JuryTest, SlowJudgeTimesOut) {
  JuryConfig config = Config({"judge-slow"});
  config.judges[0].timeout_ms = 200;
  config.retries = 1;
  const auto start = std::chrono::steady_clock::now();
  const Verdict v = One(config, "x");
  EXPECT_EQ(v.aggregate.outcome, Outcome::kUnscored);
  EXPECT_EQ(v.votes[0].attempts, 2);
  EXPECT_NE(v.votes[0].error.find("imeout"), std::string::npos) << v.votes[0].error;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST_F(JuryTest, HonoursRetryAfter) {
  JuryConfig config = Config({"judge-429"});
  const auto start = std::chrono::steady_clock::now();
  const Verdict v = One(config, "powershell");
  EXPECT_EQ(v.aggregate.outcome, Outcome::kFail);  // 0.25: answered after one retry
  EXPECT_EQ(v.votes[0].attempts, 2);
  // backoff_ms is 10, so only Retry-After (1 s) explains the wait.
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(950));
}

TEST_F(JuryTest, CachesAnswersOnDisk) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "jury-cache-test";
  std::filesystem::remove_all(dir);
  JuryConfig config = Config({"judge", "judge-noisy-a", "judge-noisy-b"});
  config.cache_dir = dir.string();
  const Verdict first = One(config, "encoded powershell");
  auto after_first = server_->ChatRequests();
  ASSERT_TRUE(after_first.ok());
  const Verdict second = One(config, "encoded powershell");
  auto after_second = server_->ChatRequests();
  ASSERT_TRUE(after_second.ok());
  EXPECT_EQ(*after_second, *after_first);
  EXPECT_TRUE(second.votes[1].cached);
  EXPECT_EQ(second.aggregate.score, first.aggregate.score);
  One(config, "other content");
  EXPECT_EQ(*server_->ChatRequests(), *after_first + 3);
  std::filesystem::remove_all(dir);
}

TEST_F(JuryTest, ManyTasksWithBoundedConcurrency) {
  JuryConfig config = Config({"judge", "judge-noisy-a", "judge-noisy-b"});
  config.concurrency = 8;
  auto jury = Jury::Create(config);
  ASSERT_TRUE(jury.ok());
  std::vector<JuryTask> tasks;
  for (int i = 0; i < 40; ++i)
    tasks.push_back({"rationale", &rubric_, i % 2 ? "encoded powershell" : "nothing", 0});
  std::size_t last = 0;
  auto verdicts = (*jury)->Evaluate(tasks, [&](std::size_t done, std::size_t total) {
    EXPECT_EQ(done, last + 1);
    EXPECT_EQ(total, 120u);
    last = done;
  });
  ASSERT_TRUE(verdicts.ok());
  EXPECT_EQ(last, 120u);
  for (int i = 0; i < 40; ++i)
    EXPECT_EQ((*verdicts)[i].aggregate.outcome, i % 2 ? Outcome::kPass : Outcome::kFail) << i;
}

TEST_F(JuryTest, RejectsBadTasksAndMissingKeys) {
  auto jury = Jury::Create(Config({"judge"}));
  ASSERT_TRUE(jury.ok());
  EXPECT_FALSE((*jury)->Evaluate({{"c", nullptr, "x", 0}}).ok());
  EXPECT_FALSE((*jury)->Evaluate({{"c", &rubric_, "x", 3}}).ok());
  JuryConfig keyed = Config({"judge"});
  keyed.judges[0].api_key_env = "PACTUM_TEST_UNSET_JUDGE_KEY";
  unsetenv("PACTUM_TEST_UNSET_JUDGE_KEY");
  auto refused = Jury::Create(keyed);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("PACTUM_TEST_UNSET_JUDGE_KEY"), std::string::npos);
}

}  // namespace
}  // namespace pactum::jury
