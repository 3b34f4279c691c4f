// Adapters against recorded soc-triage answers and a real pactum-judge-server process.
#include "pactum/eval/adapters.h"

#include <fstream>

#include <gtest/gtest.h>

#include "judge_process.h"

namespace pactum::eval {
namespace {

using pactum::testing::JudgeProcess;

const std::string kRun = std::string(PACTUM_SHARED_DATA) + "/soc-triage/run-gpt-4o.jsonl";

TEST(ReplayAdapter, AnswersRecordedSocTriageRuns) {
  auto adapter = MakeReplayAdapter({kRun, "id", "chatgpt_response"});
  ASSERT_TRUE(adapter.ok()) << adapter.status().ToString();
  const Case known{"gEcv1pcBxOat6Tbb37uH", Json(), Json(), {}};
  const AgentAnswer answer = (*adapter)->Answer(0, known);
  EXPECT_TRUE(answer.error.empty());
  EXPECT_EQ(answer.output["classification"], "FP");
  EXPECT_EQ(answer.output["priority"], "Low");
  const AgentAnswer missing = (*adapter)->Answer(0, {"no-such-alert", Json(), Json(), {}});
  EXPECT_NE(missing.error.find("no recorded answer"), std::string::npos);
}

TEST(ReplayAdapter, RejectsBadRecordings) {
  const std::string file = ::testing::TempDir() + "/replay-bad.jsonl";
  std::ofstream(file) << "{\"id\": \"a\", \"output\": 1}\n{\"id\": \"a\", \"output\": 2}\n";
  auto repeated = MakeReplayAdapter({file, "id", "output"});
  ASSERT_FALSE(repeated.ok());
  EXPECT_NE(repeated.status().message().find(":2: id: repeats a"), std::string::npos);
  EXPECT_FALSE(MakeReplayAdapter({kRun, "id", "no_such_field"}).ok());
  EXPECT_FALSE(MakeReplayAdapter({file + ".missing", "id", "output"}).ok());
}

class ServedAdapterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = JudgeProcess::Start();
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
  }
  std::unique_ptr<JudgeProcess> server_;
};

TEST_F(ServedAdapterTest, HttpPostsInputAndReadsJson) {
  auto adapter = MakeHttpAdapter({server_->url() + "/v1/agent", 5000, 2});
  ASSERT_TRUE(adapter.ok());
  const AgentAnswer answer = (*adapter)->Answer(1, {"c", Json{{"alert", 7}}, Json(), {}});
  ASSERT_TRUE(answer.error.empty()) << answer.error;
  EXPECT_EQ(answer.output["echo"]["alert"], 7);
  ASSERT_TRUE(answer.latency_ms.has_value());
  EXPECT_GT(*answer.latency_ms, 0);
  auto wrong = MakeHttpAdapter({server_->url() + "/nowhere", 5000, 1});
  ASSERT_TRUE(wrong.ok());
  EXPECT_NE((*wrong)->Answer(0, {"c", 1, Json(), {}}).error.find("no such route"),
            std::string::npos);
}

TEST_F(ServedAdapterTest, OpenAiFillsTheTemplateAndPricesUsage) {
  OpenAiAdapterOptions options;
  options.base_url = server_->url() + "/v1";
  options.model = "agent-echo";
  options.prompt_template = "{\"case\": \"{{id}}\", \"alert\": {{input}}}";
  options.usd_per_1k_prompt_tokens = 1;
  auto adapter = MakeOpenAiAdapter(options);
  ASSERT_TRUE(adapter.ok());
  const AgentAnswer answer = (*adapter)->Answer(0, {"c-9", Json{{"rule", 5}}, Json(), {}});
  ASSERT_TRUE(answer.error.empty()) << answer.error;
  // The echo agent answers the user message: the filled template, which is JSON.
  EXPECT_EQ(answer.output["case"], "c-9");
  EXPECT_EQ(answer.output["alert"]["rule"], 5);
  ASSERT_TRUE(answer.cost_usd.has_value());
  EXPECT_GT(*answer.cost_usd, 0);
  options.prompt_template = "classify: {{input}}";
  auto text = MakeOpenAiAdapter(options);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ((*text)->Answer(0, {"c", "an alert", Json(), {}}).output, "classify: an alert");
  options.model = "judge-fail";
  auto failing = MakeOpenAiAdapter(options);
  ASSERT_TRUE(failing.ok());
  EXPECT_FALSE((*failing)->Answer(0, {"c", "x", Json(), {}}).error.empty());
  options.api_key_env = "PACTUM_TEST_UNSET_AGENT_KEY";
  EXPECT_FALSE(MakeOpenAiAdapter(options).ok());
}

}  // namespace
}  // namespace pactum::eval
