// The replay of the SOC triage runs, end to end in process (DESIGN §12 style; issue 7's bar:
// all 7 × 178 outcomes in under 1 s): reading the run files and the pact, opening a fresh data
// folder, registering the agents, publishing the pact, ingesting every answer as evidence
// (durable, each with its log leaf), scoring, breaches, drift and consequences (logged as
// events), reading the events back and explaining each agent's trust. What `pactum replay
// soc-triage` does, without printing.
//
//   replay_bench [--runs DIR] [--pact FILE] [--repetitions R]
//
// Prints each repetition's wall time and the median. Flags of Google Benchmark
// (--benchmark_*) are accepted and ignored.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include "pactum/pact/loader.h"
#include "pactum/service/replay.h"

namespace {

namespace fs = std::filesystem;
using namespace pactum;

[[noreturn]] void Die(const Status& s, const char* what) {
  std::fprintf(stderr, "replay_bench: %s: %s\n", what, s.message().c_str());
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  fs::path runs_dir = fs::path(PACTUM_SHARED_DATA) / "soc-triage";
  fs::path pact_file = fs::path(PACTUM_SOURCE_DIR) / "examples" / "soc" / "alert-triage.yaml";
  int repetitions = 3;
  for (int i = 1; i < argc; ++i) {
    auto value = [&](const char* flag) -> const char* {
      if (std::strcmp(argv[i], flag) != 0) return nullptr;
      if (i + 1 >= argc) {
        std::fprintf(stderr, "replay_bench: %s needs a value\n", flag);
        std::exit(2);
      }
      return argv[++i];
    };
    if (const char* v = value("--runs")) {
      runs_dir = v;
    } else if (const char* p = value("--pact")) {
      pact_file = p;
    } else if (const char* r = value("--repetitions")) {
      repetitions = std::max(1, std::atoi(r));
    } else if (std::strncmp(argv[i], "--benchmark_", 12) != 0) {
      std::fprintf(stderr, "replay_bench: unknown flag %s\n", argv[i]);
      return 2;
    }
  }

  std::vector<double> seconds;
  for (int r = 0; r < repetitions; ++r) {
    const fs::path dir =
        fs::temp_directory_path() /
        ("pactum-replay-bench-" + std::to_string(getpid()) + "-" + std::to_string(r));
    fs::remove_all(dir);
    const auto start = std::chrono::steady_clock::now();
    auto pact = pact::LoadPactFile(pact_file);
    if (!pact.ok()) Die(pact.status(), "pact");
    auto runs = service::ReadTriageRuns(runs_dir);
    if (!runs.ok()) Die(runs.status(), "runs");
    std::size_t answers = 0;
    for (const auto& run : *runs)
      answers += run.answers.size();
    const std::size_t agents = runs->size();
    auto report = service::ReplayTriageRuns(std::move(*runs), *pact, {.data_dir = dir});
    if (!report.ok()) Die(report.status(), "replay");
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::size_t events = 0;
    for (const auto& agent : report->agents)
      events += agent.events.size();
    std::printf(
        "  repetition %d: %zu agents, %zu answers, %zu breach/drift/consequence/tier "
        "events: %.3f s\n",
        r + 1, agents, answers, events, s);
    seconds.push_back(s);
    fs::remove_all(dir);
  }
  std::sort(seconds.begin(), seconds.end());
  std::printf("replay of the SOC triage runs: median %.3f s of %d\n", seconds[seconds.size() / 2],
              repetitions);
  return 0;
}
