#include "pactum/eval/runner.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <optional>
#include <sstream>

#include "pactum/base/digest.h"
#include "pactum/base/encoding.h"
#include "pactum/jury/parallel.h"

namespace pactum::eval {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// What the judges of a criterion see: the output at the suite's pointer for it.
std::optional<std::string> JuryContent(const Suite& suite, const std::string& criterion,
                                       const Json& output) {
  const auto it = suite.jury_content.find(criterion);
  const std::string pointer = it == suite.jury_content.end() ? "" : it->second;
  try {
    const Json::json_pointer p(pointer);
    if (!output.contains(p)) return std::nullopt;
    const Json& value = output.at(p);
    if (value.is_null()) return std::nullopt;
    if (value.is_string()) return value.get<std::string>();
    return value.dump(2, ' ', false, Json::error_handler_t::replace);
  } catch (const Json::exception&) {
    return std::nullopt;
  }
}

}  // namespace

Result<Report> RunSuite(const Suite& suite, Adapter& adapter,
                        const std::vector<Criterion>& criteria, jury::Jury* jury,
                        std::size_t concurrency, const RunProgress& progress) {
  if (!criteria.empty() && jury == nullptr)
    return InvalidArgument("the pact has jury conditions (" + criteria.front().name +
                           "…) but no jury is configured");
  Report report;
  report.suite = suite.name;
  for (const Check& check : suite.checks)
    report.checks.push_back(check.name);
  for (const Criterion& c : criteria)
    report.criteria.push_back(c.name);
  report.cases.resize(suite.cases.size());

  const auto agent_start = Clock::now();
  std::mutex mu;
  std::size_t done = 0;
  jury::ParallelFor(suite.cases.size(), concurrency, [&](std::size_t worker, std::size_t i) {
    CaseResult& result = report.cases[i];
    result.test_case = &suite.cases[i];
    result.answer = adapter.Answer(worker, suite.cases[i]);
    const Observation observation{result.answer.output, suite.cases[i].expected,
                                  result.answer.latency_ms, result.answer.cost_usd};
    for (const Check& check : suite.checks)
      result.checks[check.name] = result.answer.error.empty() && RunCheck(check, observation);
    if (progress) {
      std::lock_guard<std::mutex> lock(mu);
      progress("agent", ++done, suite.cases.size());
    }
  });
  report.agent_seconds = SecondsSince(agent_start);

  if (criteria.empty()) return report;
  const auto jury_start = Clock::now();
  struct Slot {
    std::size_t case_index;
    const Criterion* criterion;
  };
  std::vector<jury::JuryTask> tasks;
  std::vector<Slot> slots;
  for (std::size_t i = 0; i < report.cases.size(); ++i) {
    CaseResult& result = report.cases[i];
    for (const Criterion& c : criteria) {
      std::optional<std::string> content;
      if (result.answer.error.empty()) content = JuryContent(suite, c.name, result.answer.output);
      if (!content) {
        result.verdicts[c.name] = jury::Verdict{};  // nothing to judge: unscored
        continue;
      }
      tasks.push_back({c.name, &c.rubric, std::move(*content), c.judges});
      slots.push_back({i, &c});
    }
  }
  auto verdicts = jury->Evaluate(tasks, [&](std::size_t d, std::size_t total) {
    if (progress) progress("jury", d, total);
  });
  if (!verdicts.ok()) return verdicts.status();
  for (std::size_t t = 0; t < slots.size(); ++t)
    report.cases[slots[t].case_index].verdicts[slots[t].criterion->name] =
        std::move((*verdicts)[t]);
  report.jury_seconds = SecondsSince(jury_start);
  return report;
}

Json EvalCaseEvidence(const Report& report, const CaseResult& result,
                      const EvidenceContext& context) {
  Json evidence = {{"kind", "eval_case"},
                   {"agent", context.agent},
                   {"workflow", context.workflow},
                   {"subject", result.test_case->id},
                   {"success", result.answer.error.empty()}};
  if (result.answer.latency_ms) evidence["latency_ms"] = *result.answer.latency_ms;
  if (result.answer.cost_usd) evidence["cost_usd"] = *result.answer.cost_usd;
  if (!result.checks.empty()) evidence["checks"] = result.checks;
  Json scores = Json::object();
  for (const auto& [criterion, verdict] : result.verdicts) {
    const jury::Outcome outcome = verdict.aggregate.outcome;
    if (outcome == jury::Outcome::kPass || outcome == jury::Outcome::kFail)
      scores[criterion] = verdict.aggregate.score;
  }
  if (!scores.empty()) evidence["scores"] = scores;
  const std::string observed = evidence.dump(-1, ' ', false, Json::error_handler_t::replace);
  evidence["idempotency_key"] = "eval:" + report.suite + ":" + result.test_case->id + ":" +
                                HexEncode(AsBytes(Sha256(observed))).substr(0, 16);
  return evidence;
}

std::string SummaryTable(const Report& report) {
  std::size_t errors = 0;
  for (const CaseResult& r : report.cases)
    if (!r.answer.error.empty()) ++errors;
  std::ostringstream out;
  char line[256];
  out << "suite " << report.suite << ": " << report.cases.size() << " cases, "
      << report.cases.size() - errors << " answered, " << errors << " agent errors (agent "
      << static_cast<int>(report.agent_seconds * 1000) << " ms, jury "
      << static_cast<int>(report.jury_seconds * 1000) << " ms)\n";
  std::size_t width = 10;
  for (const std::string& c : report.checks)
    width = std::max(width, c.size() + 6);
  for (const std::string& c : report.criteria)
    width = std::max(width, c.size() + 5);
  std::snprintf(line, sizeof line, "%-*s %6s %6s %10s %9s %6s\n", static_cast<int>(width), "",
                "pass", "fail", "uncertain", "unscored", "mean");
  out << line;
  for (const std::string& name : report.checks) {
    std::size_t pass = 0;
    for (const CaseResult& r : report.cases)
      pass += r.checks.at(name) ? 1 : 0;
    const std::size_t n = report.cases.size();
    std::snprintf(line, sizeof line, "%-*s %6zu %6zu %10s %9s %6.3f\n", static_cast<int>(width),
                  ("check." + name).c_str(), pass, n - pass, "-", "-",
                  n ? static_cast<double>(pass) / static_cast<double>(n) : 0.0);
    out << line;
  }
  for (const std::string& name : report.criteria) {
    std::size_t counts[4] = {0, 0, 0, 0};
    double sum = 0;
    for (const CaseResult& r : report.cases) {
      const jury::Aggregate& a = r.verdicts.at(name).aggregate;
      ++counts[static_cast<int>(a.outcome)];
      if (a.outcome == jury::Outcome::kPass || a.outcome == jury::Outcome::kFail) sum += a.score;
    }
    const std::size_t scored = counts[0] + counts[1];
    char mean[16] = "-";
    if (scored) std::snprintf(mean, sizeof mean, "%.3f", sum / static_cast<double>(scored));
    std::snprintf(line, sizeof line, "%-*s %6zu %6zu %10zu %9zu %6s\n", static_cast<int>(width),
                  ("jury." + name).c_str(), counts[0], counts[1], counts[2], counts[3], mean);
    out << line;
  }
  return out.str();
}

}  // namespace pactum::eval
