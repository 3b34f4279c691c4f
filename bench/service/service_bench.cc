// Evidence → score updates per second through the store (DESIGN §12: ≥ 100,000/s batched):
// Service::SubmitEvidence, the path POST /v1/evidence:bulk takes after parsing its lines —
// validation, idempotency lookups, one durable SQLite transaction per batch holding the
// evidence rows and their log leaves, the trust update, and the events it causes (logged).
//
//   service_bench [--items N] [--batch B] [--submitters S] [--repetitions R] [--dir D]
//                 [--keys guid|counter]
//
// Each repetition ingests N items into a fresh data folder (a folder named by --dir is kept
// afterwards), in batches of B sent by S concurrent submitters (as S clients posting to
// /v1/evidence:bulk would: one submission's commit overlaps the next one's validation), and
// prints items/s and the CPU time spent per item, in all and by thread (submitters, and the
// service's threads by name); the median of R repetitions closes. Items are production outcomes
// of an alert-triage agent (classification and priority, 10% misses) with idempotency keys,
// under a pact with four conditions. Keys are GUIDs, as SIEMs name alerts, in no order (--keys
// guid, the default), or "alert-<n>", which sort nearly in the order they come (--keys counter:
// the keys of the measurements before 2026-12-07). Each repetition also times a restart: opening
// the folder again replays every record to rebuild live trust. Flags of Google Benchmark
// (--benchmark_*) are accepted and ignored.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

#include "pactum/pact/pact.h"
#include "pactum/service/service.h"

namespace {

namespace fs = std::filesystem;
using namespace pactum;

[[noreturn]] void Die(const Status& s, const char* what) {
  std::fprintf(stderr, "service_bench: %s: %s\n", what, s.message().c_str());
  std::exit(1);
}

pact::Pact TriagePact() {
  pact::Pact p;
  p.name = "alert-triage";
  p.version = 1;
  p.workflow = "alert_triage";
  p.agents = {"triage-*"};
  p.owner = "soc-l2";
  auto condition = [](const char* id, const char* metric, pact::Op op, double threshold,
                      pact::Severity severity) {
    pact::Condition c;
    c.id = id;
    c.metric = metric;
    c.op = op;
    c.threshold = threshold;
    c.window_seconds = 7 * 86400;
    c.min_samples = 30;
    c.severity = severity;
    c.dimension = "accuracy";
    return c;
  };
  p.conditions = {
      condition("tp-recall", "classification.tpr", pact::Op::kGte, 0.85, pact::Severity::kCritical),
      condition("fp-rate", "classification.fpr", pact::Op::kLte, 0.25, pact::Severity::kMajor),
      condition("priority", "priority.accuracy", pact::Op::kGte, 0.6, pact::Severity::kMinor),
      condition("f1", "classification.f1", pact::Op::kGte, 0.8, pact::Severity::kMajor)};
  return p;
}

// A GUID-shaped key drawn from i (SplitMix64), the same in every run.
std::string GuidKey(std::size_t i) {
  auto mix = [](std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  };
  const std::uint64_t hi = mix(2 * i + 1), lo = mix(2 * i + 2);
  char text[37];
  std::snprintf(text, sizeof(text), "%08llx-%04llx-4%03llx-%04llx-%012llx",
                static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>((hi >> 16) & 0xFFFF),
                static_cast<unsigned long long>(hi & 0xFFF),
                static_cast<unsigned long long>(0x8000 | (lo >> 52 & 0x3FFF)),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return text;
}

Json Outcome(std::size_t i, bool guid_keys) {
  static const char* kPriorities[] = {"Low", "Medium", "High", "Critical"};
  const bool threat = i % 5 < 3;
  const bool miss = i % 10 == 7;
  const char* actual = threat ? "TP" : "FP";
  const char* predicted = miss ? (threat ? "FP" : "TP") : actual;
  return {
      {"kind", "production_outcome"},
      {"agent", "triage-" + std::to_string(i % 4)},
      {"workflow", "alert_triage"},
      {"time",
       FormatRfc3339(FromUnixMillis(1'790'000'000'000 + static_cast<std::int64_t>(i) * 1000))},
      {"classification", {{"predicted", predicted}, {"actual", actual}}},
      {"priority", {{"predicted", kPriorities[i % 4]}, {"actual", kPriorities[(i + i / 7) % 4]}}},
      {"idempotency_key", guid_keys ? GuidKey(i) : "alert-" + std::to_string(i)}};
}

// CPU seconds each thread name of this process has used (user and system), from
// /proc/self/task: how the work splits between the log's sequencer, the helpers, the
// checkpointer and the submitters.
std::map<std::string, double> CpuByThread() {
  std::map<std::string, double> out;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  std::error_code ec;
  for (const auto& task : fs::directory_iterator("/proc/self/task", ec)) {
    std::ifstream comm(task.path() / "comm"), stat(task.path() / "stat");
    std::string name, line;
    if (!std::getline(comm, name) || !std::getline(stat, line)) continue;
    // Fields after the parenthesised name: state is the 3rd, utime and stime the 14th, 15th.
    std::istringstream rest(line.substr(line.rfind(')') + 2));
    std::vector<std::string> fields(std::istream_iterator<std::string>(rest), {});
    if (fields.size() < 13) continue;
    out[name] += (std::stod(fields[11]) + std::stod(fields[12])) / tick;
  }
  return out;
}

// CPU seconds this process (or this thread) has used, user and system.
double CpuSeconds(int who = RUSAGE_SELF) {
  rusage usage{};
  getrusage(who, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double Run(const fs::path& dir, std::size_t items, std::size_t batch, std::size_t submitters,
           bool guid_keys) {
  fs::remove_all(dir);
  auto service = service::Service::Open({.data_dir = dir});
  if (!service.ok()) Die(service.status(), "open");
  auto key = (*service)->CreateOperatorKey("bench", "bench", {"admin"});
  if (!key.ok()) Die(key.status(), "key");
  auto caller = (*service)->Authenticate(key->secret);
  if (!caller.ok()) Die(caller.status(), "authenticate");
  for (int a = 0; a < 4; ++a) {
    Json agent = {{"id", "triage-" + std::to_string(a)},
                  {"owner", "soc-l2"},
                  {"assets", {{"system_prompt", "triage " + std::to_string(a)}}}};
    if (auto r = (*service)->RegisterAgent(*caller, agent); !r.ok()) Die(r.status(), "agent");
  }
  if (auto r = (*service)->PublishPact(*caller, pact::ToJson(TriagePact())); !r.ok())
    Die(r.status(), "pact");
  // Submissions are built before the clock starts: the HTTP layer's line parsing is not
  // what this measures.
  std::vector<std::vector<service::EvidenceSubmission>> batches;
  for (std::size_t i = 0; i < items; i += batch) {
    std::vector<service::EvidenceSubmission> b;
    for (std::size_t j = i; j < std::min(items, i + batch); ++j)
      b.push_back({Outcome(j, guid_keys), std::nullopt, "line " + std::to_string(j - i + 1)});
    batches.push_back(std::move(b));
  }
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = CpuSeconds();
  const auto threads_start = CpuByThread();
  std::atomic<std::size_t> next{0};
  std::mutex submitters_mu;
  double submitters_cpu = 0;  // seconds, summed as each submitter ends
  auto submit = [&] {
    const double own_start = CpuSeconds(RUSAGE_THREAD);
    for (std::size_t b = next++; b < batches.size(); b = next++) {
      auto receipts = (*service)->SubmitEvidence(*caller, std::move(batches[b]));
      if (!receipts.ok()) Die(receipts.status(), "submit");
    }
    std::lock_guard lock(submitters_mu);
    submitters_cpu += CpuSeconds(RUSAGE_THREAD) - own_start;
  };
  std::vector<std::thread> others;
  for (std::size_t t = 1; t < submitters; ++t)
    others.emplace_back(submit);
  submit();
  for (std::thread& t : others)
    t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // What the machine spent, which the wall-clock rate hides when neighbours take the cores.
  const double cpu = CpuSeconds() - cpu_start;
  std::printf("  cpu: %.1f µs per item on all threads (%.2f cores busy): submitters %.1f",
              cpu * 1e6 / static_cast<double>(items), cpu / seconds,
              submitters_cpu * 1e6 / static_cast<double>(items));
  // The service's threads, by name (they outlive the window); clock ticks round each.
  auto threads_start_at = [&](const std::string& name) {
    auto it = threads_start.find(name);
    return it == threads_start.end() ? 0.0 : it->second;
  };
  for (const auto& [name, spent] : CpuByThread()) {
    if (name.rfind("pactum-", 0) != 0) continue;
    const double us = (spent - threads_start_at(name)) * 1e6 / static_cast<double>(items);
    if (us >= 0.05) std::printf(" %s %.1f", name.c_str(), us);
  }
  std::printf("\n");
  // How the log grouped the batches: commits that take several are fewer and share an fsync.
  const auto log = (*service)->LogCommitStats();
  std::printf("  log: %llu commits, %.0f leaves and %.2f ms each\n",
              static_cast<unsigned long long>(log.commits),
              static_cast<double>(log.leaves) /
                  static_cast<double>(std::max<std::uint64_t>(1, log.commits)),
              log.seconds * 1e3 / static_cast<double>(std::max<std::uint64_t>(1, log.commits)));
  // A restart rebuilds trust by replaying every stored record.
  service->reset();
  const auto reopen = std::chrono::steady_clock::now();
  auto replayed = service::Service::Open({.data_dir = dir});
  if (!replayed.ok()) Die(replayed.status(), "reopen");
  const double replay =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - reopen).count();
  std::printf("  restart (replay of %zu items): %.2f s, %.0f items/s\n", items, replay,
              static_cast<double>(items) / replay);
  replayed->reset();  // checkpoints the WAL into the database file
  std::uintmax_t bytes = 0;
  for (const auto& f : fs::directory_iterator(dir)) {
    if (f.is_regular_file() && f.path().filename().string().rfind("pactum.db", 0) == 0)
      bytes += f.file_size();
  }
  std::printf("  stored: %.0f bytes per item (database and WAL, with the log and events)\n",
              static_cast<double>(bytes) / static_cast<double>(items));
  return static_cast<double>(items) / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t items = 200'000, batch = 1'000, submitters = 1;
  bool keep = false;  // a folder named with --dir is left for inspection
  bool guid_keys = true;
  int repetitions = 3;
  fs::path dir = fs::temp_directory_path() / ("pactum-service-bench-" + std::to_string(getpid()));
  for (int i = 1; i < argc; ++i) {
    auto value = [&](const char* flag) -> const char* {
      if (std::strcmp(argv[i], flag) != 0) return nullptr;
      if (i + 1 >= argc) {
        std::fprintf(stderr, "service_bench: %s needs a value\n", flag);
        std::exit(2);
      }
      return argv[++i];
    };
    if (const char* n = value("--items")) {
      items = std::stoul(n);
    } else if (const char* b = value("--batch")) {
      batch = std::max<std::size_t>(1, std::stoul(b));
    } else if (const char* s = value("--submitters")) {
      submitters = std::max<std::size_t>(1, std::stoul(s));
    } else if (const char* r = value("--repetitions")) {
      repetitions = std::max(1, std::stoi(r));
    } else if (const char* d = value("--dir")) {
      dir = d;
      keep = true;
    } else if (const char* k = value("--keys")) {
      if (std::strcmp(k, "guid") != 0 && std::strcmp(k, "counter") != 0) {
        std::fprintf(stderr, "service_bench: --keys is guid or counter, not %s\n", k);
        return 2;
      }
      guid_keys = std::strcmp(k, "guid") == 0;
    } else if (std::strncmp(argv[i], "--benchmark_", 12) != 0) {
      std::fprintf(
          stderr,
          "usage: service_bench [--items N] [--batch B] [--submitters S] [--repetitions R] "
          "[--dir D] [--keys guid|counter]\n");
      return 2;
    }
  }
  std::vector<double> rates;
  for (int r = 0; r < repetitions; ++r) {
    rates.push_back(Run(dir, items, batch, submitters, guid_keys));
    std::printf(
        "repetition %d: %zu items in batches of %zu from %zu submitters, %s keys: %.0f "
        "evidence/s\n",
        r + 1, items, batch, submitters, guid_keys ? "guid" : "counter", rates.back());
    std::fflush(stdout);
  }
  if (!keep) fs::remove_all(dir);
  std::sort(rates.begin(), rates.end());
  std::printf("median: %.0f evidence → score updates/s through the store\n",
              rates[rates.size() / 2]);
  return 0;
}
