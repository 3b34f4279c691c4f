// `pactum eval run` end to end: the SOC example suites and pacts, the replay adapter, and a
// 5-judge jury on a real pactum-judge-server, with --dry-run and --evidence-out.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <sys/wait.h>

#include "pactum/base/json.h"
#include "pactum/trust/evidence.h"

#include "judge_process.h"

namespace pactum {
namespace {

using pactum::testing::JudgeProcess;

const std::string kSoc = std::string(PACTUM_SOURCE_DIR) + "/examples/soc/";

struct Outcome {
  int exit_code = -1;
  std::string out;  // stdout and stderr
};

Outcome Pactum(const std::string& args) {
  Outcome o;
  FILE* pipe = popen((std::string(PACTUM_BINARY) + " " + args + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return o;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr)
    o.out += buffer;
  const int status = pclose(pipe);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

class EvalCli : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = JudgeProcess::Start();
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
    dir_ = std::filesystem::path(::testing::TempDir()) / "eval-cli";
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "judges.yaml")
        << "judges:\n"
        << Judge("a", "judge") << Judge("b", "judge-noisy-a") << Judge("c", "judge-noisy-b")
        << Judge("d", "judge-noisy-c") << Judge("e", "judge-contrarian") << "concurrency: 8\n";
  }
  std::string Judge(const std::string& name, const std::string& model) {
    return "  - { name: " + name + ", base_url: \"" + server_->url() + "/v1\", model: " + model +
           " }\n";
  }
  std::string Run(const std::string& suite, const std::string& pact) {
    return "eval run --suite " + kSoc + "evals/" + suite + ".jsonl --agent demo-agent --pact " +
           kSoc + pact + ".yaml --adapter replay --recorded " + kSoc + "evals/" + suite +
           ".recorded.jsonl --judges " + (dir_ / "judges.yaml").string() + " --quiet";
  }
  std::unique_ptr<JudgeProcess> server_;
  std::filesystem::path dir_;
};

TEST_F(EvalCli, AlertTriageDryRunWritesEvidence) {
  const std::string evidence = (dir_ / "evidence.jsonl").string();
  const Outcome o =
      Pactum(Run("alert-triage", "alert-triage") + " --dry-run --evidence-out " + evidence);
  ASSERT_EQ(o.exit_code, 0) << o.out;
  EXPECT_NE(o.out.find("6 cases, 6 answered"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("check.classification_correct      5      1"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("jury.triage_rationale"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("dry run: 6 evidence items"), std::string::npos) << o.out;
  std::ifstream in(evidence);
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    auto item = ParseJson(line);
    ASSERT_TRUE(item.ok()) << line;
    EXPECT_EQ((*item)["kind"], "eval_case");
    EXPECT_EQ((*item)["agent"], "demo-agent");
    EXPECT_EQ((*item)["workflow"], "alert_triage");
    EXPECT_TRUE((*item)["checks"].contains("answer_shape"));
    // What the server's evidence reader accepts.
    auto read = trust::EvidenceFromJson(*item, 0);
    EXPECT_TRUE(read.ok()) << read.status().ToString() << "\n" << line;
    ++n;
  }
  EXPECT_EQ(n, 6u);
}

TEST_F(EvalCli, EveryExampleSuiteRunsAgainstItsPact) {
  for (const auto& [suite, pact] : std::vector<std::pair<std::string, std::string>>{
           {"threat-intel", "threat-intel-synthesis"},
           {"playbook-routing", "playbook-routing"},
           {"incident-escalation", "incident-escalation"}}) {
    const Outcome o = Pactum(Run(suite, pact) + " --dry-run");
    EXPECT_EQ(o.exit_code, 0) << suite << ": " << o.out;
    EXPECT_NE(o.out.find("jury."), std::string::npos) << o.out;
  }
}

TEST_F(EvalCli, RefusesWhatItCannotRun) {
  // A pact with jury conditions and no --judges.
  const Outcome no_judges = Pactum(
      "eval run --suite " + kSoc + "evals/alert-triage.jsonl --agent a --pact " + kSoc +
      "alert-triage.yaml --recorded " + kSoc + "evals/alert-triage.recorded.jsonl --dry-run");
  EXPECT_EQ(no_judges.exit_code, 1);
  EXPECT_NE(no_judges.out.find("--judges"), std::string::npos) << no_judges.out;
  // A pact measuring a check the suite does not define.
  const Outcome missing_check = Pactum(Run("alert-triage", "playbook-routing") + " --dry-run");
  EXPECT_EQ(missing_check.exit_code, 1);
  EXPECT_NE(missing_check.out.find("check.playbook_matches"), std::string::npos)
      << missing_check.out;
  // Posting to a server that is not there fails after the table, naming the problem.
  const Outcome no_server =
      Pactum(Run("alert-triage", "alert-triage") + " --server http://127.0.0.1:9 --key k");
  EXPECT_EQ(no_server.exit_code, 1);
  EXPECT_NE(no_server.out.find("127.0.0.1:9"), std::string::npos) << no_server.out;
  EXPECT_EQ(Pactum("eval run --suite x").exit_code, 2);
}

}  // namespace
}  // namespace pactum
