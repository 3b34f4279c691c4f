// Helpers that lend a hand with CPU-bound work a caller has split into chunks: the caller runs
// chunks itself and every helper that is free takes others, so a large request uses the cores
// that would otherwise idle, and under load (every helper busy) it runs on its own thread as it
// would without the pool. Not for blocking calls: a helper waiting on I/O helps no one (see
// jury::ParallelFor for those).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace pactum {

class WorkPool {
 public:
  // `helpers` threads (none: every call runs on its caller alone).
  explicit WorkPool(std::size_t helpers);
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  // Runs fn(begin, end) over [0, count) in chunks of `chunk` (the last may be shorter), each
  // exactly once, on this thread and on free helpers, in no set order; returns when every chunk
  // has run. fn must not throw, and must not call ForEachChunk itself.
  void ForEachChunk(std::size_t count, std::size_t chunk,
                    const std::function<void(std::size_t begin, std::size_t end)>& fn);

  // A count of helpers that suits this machine: one core fewer than it has, the caller's.
  static std::size_t DefaultHelpers();

 private:
  struct Job;
  void Help();
  // Takes the job's next chunk, under mu_: false when every chunk is taken.
  static bool Claim(Job& job, std::size_t* begin, std::size_t* end);

  std::mutex mu_;
  std::condition_variable work_;  // a job was queued, or the pool stops
  std::condition_variable done_;  // a job's last chunk finished
  std::deque<Job*> jobs_;         // jobs with chunks not yet taken, oldest first
  bool stopping_ = false;
  std::vector<std::thread> helpers_;  // last: they start after the state above exists
};

}  // namespace pactum
