// A bounded worker pool for blocking calls (judge and agent requests): `workers` threads take
// indices 0..count-1 in order until none are left. `fn(worker, index)` runs on worker
// `worker` (0-based, < workers), so callers can keep one HTTP client per worker. Returns when
// every index is done.
#pragma once

#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace pactum::jury {

template <typename Fn>
void ParallelFor(std::size_t count, std::size_t workers, Fn&& fn) {
  if (count == 0) return;
  if (workers < 1) workers = 1;
  if (workers > count) workers = count;
  std::atomic<std::size_t> next{0};
  auto run = [&](std::size_t worker) {
    for (std::size_t i = next++; i < count; i = next++)
      fn(worker, i);
  };
  std::vector<std::thread> threads;
  threads.reserve(workers - 1);
  for (std::size_t w = 1; w < workers; ++w)
    threads.emplace_back(run, w);
  run(0);
  for (std::thread& t : threads)
    t.join();
}

}  // namespace pactum::jury
