// A background thread that runs a task every `interval`, or sooner when woken, until the
// object is destroyed. The destructor wakes the thread and joins it, so the task never runs
// after the objects it uses are gone as long as the Periodic is destroyed before them.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace pactum {

class Periodic {
 public:
  Periodic(std::chrono::milliseconds interval, std::function<void()> task);
  ~Periodic();
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  // Runs the task soon without waiting for the interval (coalesced while it runs).
  void Wake();

 private:
  void Run();

  const std::chrono::milliseconds interval_;
  const std::function<void()> task_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after the state above exists
};

}  // namespace pactum
