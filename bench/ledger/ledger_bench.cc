// The log's budgets (issue 4): durable appends/s with 1, 8 and 64 concurrent appenders;
// inclusion and consistency proof time at 1M leaves; stored bytes per leaf.
//
//   ledger_bench [--leaves N] [--seconds S] [--repetitions R] [--dir D] [--appenders A,B,...]
//
// Throughput runs use a fresh log each; the proof log of N leaves is built once in D (kept,
// so later runs reuse it) or in a temporary folder. Prints medians of R repetitions. Flags of
// Google Benchmark (--benchmark_*) are accepted and ignored, for bench/run-all.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "pactum/base/encoding.h"
#include "pactum/ledger/ledger.h"
#include "pactum/merkle/verify.h"

namespace {

namespace fs = std::filesystem;
using pactum::ledger::Ledger;
using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const pactum::Status& s, const char* what) {
  std::fprintf(stderr, "ledger_bench: %s: %s\n", what, s.message().c_str());
  std::exit(1);
}

struct Log {
  std::unique_ptr<pactum::store::Store> store;
  std::unique_ptr<Ledger> ledger;
};

Log OpenLog(const fs::path& dir) {
  Log log;
  auto store = pactum::store::Store::Open(dir);
  if (!store.ok()) Die(store.status(), "open store");
  log.store = std::move(*store);
  auto ledger = Ledger::Open(*log.store);
  if (!ledger.ok()) Die(ledger.status(), "open ledger");
  log.ledger = std::move(*ledger);
  return log;
}

// A leaf of realistic size: an evidence record with a digest and a few fields.
pactum::ledger::LeafEntry Entry(std::uint64_t n) {
  const std::string digest = pactum::HexEncode(pactum::AsBytes(pactum::Sha256(std::to_string(n))));
  return {"evidence.item", "tenant-" + std::to_string(n % 7), pactum::SystemClock().Now(),
          pactum::Json{{"agent", "triage-agent-" + std::to_string(n % 31)},
                       {"kind", "alert.closed"},
                       {"sha256", digest},
                       {"seq", n}}};
}

// Appends from `appenders` threads for `seconds`; returns durable appends per second.
double Throughput(const fs::path& dir, int appenders, double seconds) {
  fs::remove_all(dir);
  Log log = OpenLog(dir);
  std::atomic<bool> stop = false;
  std::atomic<std::uint64_t> done = 0;
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int t = 0; t < appenders; ++t) {
    threads.emplace_back([&, t] {
      for (std::uint64_t n = static_cast<std::uint64_t>(t); !stop;
           n += static_cast<std::uint64_t>(appenders)) {
        auto receipt = log.ledger->Append(Entry(n));
        if (!receipt.ok()) Die(receipt.status(), "append");
        done.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& th : threads)
    th.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  return static_cast<double>(done.load()) / elapsed;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::uint64_t FileSize(const fs::path& p) {
  std::error_code ec;
  auto size = fs::file_size(p, ec);
  return ec ? 0 : size;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t leaves = 1'000'000;
  double seconds = 3;
  int repetitions = 3;
  fs::path proof_dir;
  std::vector<int> appender_counts = {1, 8, 64};
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "ledger_bench: %s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--leaves") {
      leaves = std::stoull(value());
    } else if (arg == "--seconds") {
      seconds = std::stod(value());
    } else if (arg == "--repetitions") {
      repetitions = std::stoi(value());
    } else if (arg == "--dir") {
      proof_dir = value();
    } else if (arg == "--appenders") {
      appender_counts.clear();
      std::stringstream list(value());
      for (std::string n; std::getline(list, n, ',');)
        appender_counts.push_back(std::stoi(n));
    } else if (arg.rfind("--benchmark_", 0) != 0) {
      std::fprintf(stderr,
                   "usage: ledger_bench [--leaves N] [--seconds S] [--repetitions R] [--dir D] "
                   "[--appenders A,B,...]\n");
      return 2;
    }
  }
  const fs::path scratch =
      fs::temp_directory_path() / ("pactum-ledger-bench-" + std::to_string(::getpid()));
  const bool keep_proof_dir = !proof_dir.empty();
  if (proof_dir.empty()) proof_dir = scratch / "proofs";

  std::printf("durable appends/s (median of %d runs of %.1f s)\n", repetitions, seconds);
  for (int appenders : appender_counts) {
    std::vector<double> runs;
    for (int r = 0; r < repetitions; ++r)
      runs.push_back(Throughput(scratch / "throughput", appenders, seconds));
    std::printf("  %2d appenders: %10.0f appends/s\n", appenders, Median(runs));
    std::fflush(stdout);
  }

  Log log = OpenLog(proof_dir);
  if (log.ledger->Size() < leaves) {
    const auto start = Clock::now();
    std::atomic<std::uint64_t> next = log.ledger->Size();
    std::vector<std::thread> threads;
    for (int t = 0; t < 128; ++t) {
      threads.emplace_back([&] {
        for (std::uint64_t n; (n = next.fetch_add(1)) < leaves;) {
          auto receipt = log.ledger->Append(Entry(n));
          if (!receipt.ok()) Die(receipt.status(), "append");
        }
      });
    }
    for (auto& th : threads)
      th.join();
    std::printf("built a log of %llu leaves in %.1f s\n",
                static_cast<unsigned long long>(log.ledger->Size()),
                std::chrono::duration<double>(Clock::now() - start).count());
  }
  const std::uint64_t size = log.ledger->Size();

  std::mt19937_64 random(42);
  constexpr int kSamples = 20'000;
  auto time_us = [&](auto&& fn) {
    std::vector<double> samples;
    for (int s = 0; s < kSamples; ++s) {
      const auto start = Clock::now();
      fn();
      samples.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
    return Median(samples);
  };
  const double inclusion = time_us([&] {
    auto proof = log.ledger->InclusionPath(random() % size, size);
    if (!proof.ok()) Die(proof.status(), "inclusion proof");
  });
  const double consistency = time_us([&] {
    auto proof = log.ledger->ConsistencyPath(1 + random() % size, size);
    if (!proof.ok()) Die(proof.status(), "consistency proof");
  });
  const double bundle = time_us([&] {
    auto proof = log.ledger->ProveInclusion(random() % size, size);
    if (!proof.ok()) Die(proof.status(), "inclusion bundle");
  });
  std::printf("proofs at %llu leaves (median of %d random indices)\n",
              static_cast<unsigned long long>(size), kSamples);
  std::printf("  inclusion proof:          %8.1f us\n", inclusion);
  std::printf("  consistency proof:        %8.1f us\n", consistency);
  std::printf("  inclusion bundle (proof, leaf hash, cached signed checkpoint): %8.1f us\n",
              bundle);

  log.ledger.reset();
  log.store.reset();  // closing checkpoints the WAL into the database file
  const std::uint64_t bytes =
      FileSize(proof_dir / "pactum.db") + FileSize(proof_dir / "pactum.db-wal");
  std::string sample = *pactum::ledger::LeafData(Entry(7));
  std::printf("storage: %.0f bytes per leaf (leaf data itself: %zu bytes)\n",
              static_cast<double>(bytes) / static_cast<double>(size), sample.size());

  if (!keep_proof_dir)
    fs::remove_all(scratch);
  else
    fs::remove_all(scratch / "throughput");
  return 0;
}
