#include "pactum/base/work_pool.h"

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace pactum {
namespace {

// Counts how often each index ran, and on which threads.
struct Tally {
  explicit Tally(std::size_t count) : runs(count) {}
  std::vector<std::atomic<int>> runs;
  std::mutex mu;
  std::set<std::thread::id> threads;
  std::function<void(std::size_t, std::size_t)> Fn() {
    return [this](std::size_t begin, std::size_t end) {
      {
        std::lock_guard lock(mu);
        threads.insert(std::this_thread::get_id());
      }
      for (std::size_t i = begin; i < end; ++i)
        runs[i].fetch_add(1);
      // Long enough that a free helper gets a chunk before the caller has taken them all.
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    };
  }
  void ExpectEachRanOnce() {
    for (std::size_t i = 0; i < runs.size(); ++i)
      ASSERT_EQ(runs[i].load(), 1) << "index " << i;
  }
};

TEST(WorkPool, RunsEveryIndexOnceAndLendsHelpers) {
  WorkPool pool(3);
  Tally tally(1000);
  const std::thread::id caller = std::this_thread::get_id();
  std::atomic<bool> helped{false};
  const auto count = tally.Fn();
  // The caller's first chunk waits (up to 10 s, for a loaded machine) until a helper has run
  // one, so that the test does not depend on how fast helpers wake.
  pool.ForEachChunk(1000, 7, [&](std::size_t begin, std::size_t end) {
    if (std::this_thread::get_id() != caller) {
      helped = true;
    } else {
      for (int i = 0; i < 10'000 && !helped; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    count(begin, end);
  });  // the last chunk is short (1000 = 142 * 7 + 6)
  tally.ExpectEachRanOnce();
  EXPECT_TRUE(helped);
  EXPECT_GT(tally.threads.size(), 1u);
  EXPECT_TRUE(tally.threads.count(caller));
}

// Without helpers, or with no more than a chunk of work, the caller runs it alone.
TEST(WorkPool, SmallWorkAndNoHelpersRunOnTheCaller) {
  WorkPool none(0);
  Tally alone(100);
  none.ForEachChunk(100, 10, alone.Fn());
  alone.ExpectEachRanOnce();
  EXPECT_EQ(alone.threads, std::set{std::this_thread::get_id()});

  WorkPool pool(2);
  Tally small(10);
  pool.ForEachChunk(10, 10, small.Fn());
  small.ExpectEachRanOnce();
  EXPECT_EQ(small.threads, std::set{std::this_thread::get_id()});
  pool.ForEachChunk(0, 10, [](std::size_t, std::size_t) { FAIL() << "nothing to run"; });
}

// Callers on several threads share the helpers; each call returns only once its own chunks
// have all run, and none runs twice.
TEST(WorkPool, ConcurrentCallersEachGetEveryChunkRunOnce) {
  WorkPool pool(2);
  constexpr int kCallers = 4;
  std::vector<std::unique_ptr<Tally>> tallies;
  for (int c = 0; c < kCallers; ++c)
    tallies.push_back(std::make_unique<Tally>(500 + 37 * c));
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&, c] {
      Tally& t = *tallies[c];
      for (int round = 0; round < 3; ++round) {
        for (auto& r : t.runs)
          r.store(0);
        pool.ForEachChunk(t.runs.size(), 16, t.Fn());
        for (std::size_t i = 0; i < t.runs.size(); ++i)
          ASSERT_EQ(t.runs[i].load(), 1) << "caller " << c << " round " << round << " index " << i;
      }
    });
  }
  for (std::thread& t : callers)
    t.join();
}

}  // namespace
}  // namespace pactum
