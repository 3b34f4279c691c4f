// jury_bench: the eval runner over the 178 soc-triage alerts, replaying one recorded agent,
// with a 5-judge jury (triage-rationale rubric) on a pactum-judge-server it starts itself.
// Each run asks every judge anew (no cache). Prints each run and the median.
//
//   jury_bench [--runs 3] [--concurrency 16] [--judges 5] [--run-file run-gpt-4o.jsonl]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "pactum/base/json.h"
#include "pactum/eval/runner.h"

#include "judge_process.h"

namespace {

using namespace pactum;

int Fail(const std::string& what) {
  std::cerr << "jury_bench: " << what << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 3;
  std::size_t concurrency = 16, judges = 5;
  std::string run_file = "run-gpt-4o.jsonl";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--runs")
      runs = std::atoi(argv[i + 1]);
    else if (flag == "--concurrency")
      concurrency = std::strtoul(argv[i + 1], nullptr, 10);
    else if (flag == "--judges")
      judges = std::strtoul(argv[i + 1], nullptr, 10);
    else if (flag == "--run-file")
      run_file = argv[i + 1];
    else
      return Fail("unknown flag " + flag);
  }
  if (runs < 1 || concurrency < 1 || judges < 1) return Fail("--runs, --concurrency, --judges ≥ 1");
  const std::string data = std::string(PACTUM_SHARED_DATA) + "/soc-triage/";

  // The suite: every alert, read in place, with its labels as the expected answer.
  std::string suite_text =
      R"({"suite": "soc-triage", "checks": {)"
      R"("classification_correct": {"type": "equals", "actual": "/classification", "expected": "/label"},)"
      R"("priority_correct": {"type": "equals", "actual": "/priority", "expected": "/priority"}},)"
      R"("jury": {"triage_rationale": {"content": "/justification"}}})"
      "\n";
  std::ifstream alerts(data + "alerts.jsonl");
  if (!alerts) return Fail(data + "alerts.jsonl: cannot read");
  std::string line;
  while (std::getline(alerts, line)) {
    auto alert = ParseJson(line);
    if (!alert.ok()) return Fail(alert.status().message());
    suite_text +=
        Json{{"id", (*alert)["id"]},
             {"input", (*alert)["alert"]},
             {"expected", {{"label", (*alert)["label"]}, {"priority", (*alert)["rule_priority"]}}}}
            .dump() +
        "\n";
  }
  auto suite = eval::ParseSuite(suite_text, "soc-triage");
  if (!suite.ok()) return Fail(suite.status().message());
  auto adapter = eval::MakeReplayAdapter({data + run_file, "id", "chatgpt_response"});
  if (!adapter.ok()) return Fail(adapter.status().message());
  auto rubric = jury::LoadRubric(std::string(PACTUM_SOURCE_DIR) +
                                 "/examples/soc/rubrics/triage-rationale.md");
  if (!rubric.ok()) return Fail(rubric.status().message());
  auto server = testing::JudgeProcess::Start();
  if (!server.ok()) return Fail(server.status().message());

  const char* models[] = {"judge",         "judge-noisy-a",    "judge-noisy-b",
                          "judge-noisy-c", "judge-contrarian", "judge-noisy-d",
                          "judge-noisy-e"};
  jury::JuryConfig config;
  for (std::size_t j = 0; j < judges; ++j) {
    const std::string model = models[j % 7];
    config.judges.push_back(
        {model + "-" + std::to_string(j), (*server)->url() + "/v1", model, "", 30'000});
  }
  config.concurrency = concurrency;
  auto jury = jury::Jury::Create(config);
  if (!jury.ok()) return Fail(jury.status().message());
  const std::vector<eval::Criterion> criteria = {{"triage_rationale", *rubric, judges}};

  std::printf("%zu cases, %zu judges, concurrency %zu, replaying %s\n", suite->cases.size(), judges,
              concurrency, run_file.c_str());
  std::vector<double> seconds;
  for (int r = 0; r < runs; ++r) {
    const auto start = std::chrono::steady_clock::now();
    auto report = eval::RunSuite(*suite, **adapter, criteria, jury->get(), concurrency);
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!report.ok()) return Fail(report.status().message());
    std::size_t unscored = 0;
    for (const eval::CaseResult& c : report->cases)
      unscored += c.verdicts.at("triage_rationale").aggregate.outcome == jury::Outcome::kUnscored;
    if (unscored) return Fail(std::to_string(unscored) + " cases unscored: the run is not valid");
    std::printf("run %d: %.3f s (%zu judge requests, %.0f/s)\n", r + 1, s,
                suite->cases.size() * judges,
                static_cast<double>(suite->cases.size() * judges) / s);
    if (r == 0) std::printf("%s", eval::SummaryTable(*report).c_str());
    seconds.push_back(s);
  }
  std::sort(seconds.begin(), seconds.end());
  std::printf("median: %.3f s over %d runs (bar: under 10 s)\n", seconds[seconds.size() / 2], runs);
  return 0;
}
