#include "pactum/base/periodic.h"

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

namespace pactum {
namespace {

using namespace std::chrono_literals;

TEST(Periodic, RunsEveryInterval) {
  std::atomic<int> runs{0};
  {
    Periodic p(5ms, [&] { ++runs; });
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_GE(runs.load(), 3);
}

TEST(Periodic, WakeRunsBeforeTheInterval) {
  std::atomic<int> runs{0};
  Periodic p(std::chrono::hours(1), [&] { ++runs; });
  p.Wake();
  for (int i = 0; i < 500 && runs.load() == 0; ++i)
    std::this_thread::sleep_for(2ms);
  EXPECT_EQ(runs.load(), 1);
}

TEST(Periodic, DestructionStopsTheTask) {
  std::atomic<int> runs{0};
  auto p = std::make_unique<Periodic>(1ms, [&] { ++runs; });
  std::this_thread::sleep_for(20ms);
  p.reset();
  const int after = runs.load();
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(runs.load(), after);
}

}  // namespace
}  // namespace pactum
