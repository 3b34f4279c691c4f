// Decide through the service (DESIGN §12: in process p50 ≤ 5 µs, p99 ≤ 20 µs; issue 6), on a
// real Service in a temp folder set up as the quickstart tour sets it up: the alert-triage pact
// of examples/quickstart (Cedar boundary and schema), its agent, and its 400 triage outcomes
// as evidence, so the agent has live trust. Requests cycle through what a triage agent asks:
// classify an alert (allow), close a Low alert (allow), close a High alert (denied: no proven
// capability), each with the agent's confidence. (The quickstart schema declares no context for
// these actions, so a request carries none: the schema rejects undeclared context attributes.)
//
// Queued/*: the in-process path of the budget, one call timed at a time: Service::Decide with a
// completion (the covering pact, the trust snapshot from the live book, control::Decide on the
// compiled boundary, the decision's leaf queued for the log's group commit), which returns once
// the leaf is queued; the receipts arrive later on the log's thread and every leaf is committed
// before the run ends. Calls come faster than the log commits (~3 µs against its group commit),
// so the backlog grows through the run (up to the log's queue limit, 16,384 leaves, beyond which
// a call waits for room): tens of thousands of decisions in memory at most, which
// the process touches for the first time (page faults) and which crowd the tail.
// Steady/*: the same calls, but the caller waits, untimed, while 4,096 decisions await their
// commit, as a server's clients waiting for their durable receipts hold the backlog to what the
// log absorbs: decide at a rate the log sustains.
// Durable/*: Service::Decide without a completion, which answers only once the leaf is
// committed (fsync).
// Counters: p50_us, p99_us, p999_us over every call of the run.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>
#include <unistd.h>

#include "pactum/base/json.h"
#include "pactum/control/control.h"
#include "pactum/pact/loader.h"
#include "pactum/pact/pact.h"
#include "pactum/service/service.h"

#include "percentiles.h"

namespace pactum {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void Die(const Status& s, const char* what) {
  std::fprintf(stderr, "decide_bench: %s: %s\n", what, s.message().c_str());
  std::exit(1);
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

control::DecideRequest Request(const char* action, const std::string& alert, const char* priority,
                               double confidence) {
  control::DecideRequest r;
  r.agent = "triage-gpt4o";
  r.workflow = "alert_triage";
  r.action = action;
  r.resource = {"Alert", alert, {{"priority", priority}}};
  r.confidence = confidence;
  return r;
}

struct Setup {
  fs::path dir;
  std::unique_ptr<service::Service> service;
  service::Principal caller;
  pact::Pact pact;
  std::vector<control::DecideRequest> requests;

  Setup() {
    dir = fs::temp_directory_path() / ("pactum-decide-bench-" + std::to_string(getpid()));
    fs::remove_all(dir);
    const fs::path quickstart = QUICKSTART_DIR;
    auto opened = service::Service::Open({.data_dir = dir / "service"});
    if (!opened.ok()) Die(opened.status(), "open");
    service = std::move(*opened);
    auto key = service->CreateOperatorKey("bench", "bench", {"admin"});
    if (!key.ok()) Die(key.status(), "key");
    auto principal = service->Authenticate(key->secret);
    if (!principal.ok()) Die(principal.status(), "authenticate");
    caller = *principal;
    auto agent = ParseJson(ReadFile(quickstart / "agent.json"));
    if (!agent.ok()) Die(agent.status(), "agent.json");
    if (auto r = service->RegisterAgent(caller, *agent); !r.ok()) Die(r.status(), "agent");
    auto loaded = pact::LoadPactFile(quickstart / "alert-triage.yaml");
    if (!loaded.ok()) Die(loaded.status(), "alert-triage.yaml");
    pact = std::move(*loaded);
    if (auto r = service->PublishPact(caller, pact::ToJson(pact)); !r.ok()) Die(r.status(), "pact");
    std::vector<service::EvidenceSubmission> outcomes;
    std::istringstream lines(ReadFile(quickstart / "outcomes.jsonl"));
    std::string line;
    for (int n = 1; std::getline(lines, line); ++n) {
      auto item = ParseJson(line);
      if (!item.ok()) Die(item.status(), "outcomes.jsonl");
      outcomes.push_back({std::move(*item), std::nullopt, "line " + std::to_string(n)});
    }
    if (auto r = service->SubmitEvidence(caller, std::move(outcomes)); !r.ok())
      Die(r.status(), "evidence");
    for (int i = 0; i < 64; ++i) {
      const std::string alert = "alert-" + std::to_string(9000 + i);
      switch (i % 3) {
        case 0:
          requests.push_back(Request("classify_alert", alert, "High", 0.92));
          break;
        case 1:
          requests.push_back(Request("close_alert", alert, "Low", 0.88));
          break;
        default:
          requests.push_back(Request("close_alert", alert, "High", 0.9));
      }
    }
  }

  ~Setup() {
    service.reset();
    fs::remove_all(dir);
  }
};

Setup& Get() {
  static Setup setup;
  return setup;
}

// Times `calls` decisions that return once queued; with max_pending, waits (untimed) before a
// call while that many await their commit.
void RunQueued(benchmark::State& state, std::size_t max_pending) {
  Setup& s = Get();
  const auto calls = static_cast<std::size_t>(state.range(0));
  std::vector<double> ns;
  ns.reserve(calls);
  std::atomic<std::size_t> answered{0};
  std::size_t queued = 0;
  auto done = [&answered](Result<std::vector<Result<service::DecisionRecord>>> answers) {
    if (!answers.ok()) Die(answers.status(), "decide");
    if (!answers->front().ok()) Die(answers->front().status(), "decide");
    if (!answers->front()->receipt) Die(Internal("no receipt"), "decide");
    answered.fetch_add(1, std::memory_order_release);
  };
  for (auto _ : state) {
    ns.clear();
    for (std::size_t i = 0; i < calls; ++i, ++queued) {
      while (max_pending > 0 && queued - answered.load(std::memory_order_acquire) >= max_pending)
        std::this_thread::sleep_for(std::chrono::microseconds(100));
      const auto t0 = std::chrono::steady_clock::now();
      s.service->Decide(s.caller, {s.requests[i % s.requests.size()]}, done);
      const auto t1 = std::chrono::steady_clock::now();
      ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
    }
    // Every leaf is committed before the run ends, so no run inherits another's backlog.
    while (answered.load(std::memory_order_acquire) < queued)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  bench::ReportPercentiles(state, ns);
}

void BM_Queued_Percentiles(benchmark::State& state) {
  RunQueued(state, 0);
}
BENCHMARK(BM_Queued_Percentiles)
    ->Arg(100'000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Steady_Percentiles(benchmark::State& state) {
  RunQueued(state, 4'096);
}
BENCHMARK(BM_Steady_Percentiles)
    ->Arg(100'000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Durable_Percentiles(benchmark::State& state) {
  Setup& s = Get();
  const auto calls = static_cast<std::size_t>(state.range(0));
  std::vector<double> ns;
  ns.reserve(calls);
  for (auto _ : state) {
    ns.clear();
    for (std::size_t i = 0; i < calls; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      auto answers = s.service->Decide(s.caller, {s.requests[i % s.requests.size()]});
      const auto t1 = std::chrono::steady_clock::now();
      if (!answers.ok()) Die(answers.status(), "decide");
      if (!answers->front().ok()) Die(answers->front().status(), "decide");
      ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
    }
  }
  bench::ReportPercentiles(state, ns);
}
BENCHMARK(BM_Durable_Percentiles)
    ->Arg(2'000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace pactum

BENCHMARK_MAIN();
