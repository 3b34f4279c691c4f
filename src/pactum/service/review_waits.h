// Callers waiting for a review to be resolved (POST /v1/decide?wait=): each waiter is called
// exactly once, when its review is resolved or its deadline passes, on this object's own
// thread, so that no caller's thread is held while a human decides, and registering a waiter
// is quick enough for the log's thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <list>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace pactum::service {

class ReviewWaits {
 public:
  using Clock = std::chrono::steady_clock;
  using Done = std::function<void()>;
  // Whether the review is already settled; asked once, on the waits thread, after the waiter
  // is registered, so a resolution just before registration is not missed.
  using Settled = std::function<bool()>;

  ReviewWaits();
  // Calls every waiter still waiting, then joins the thread.
  ~ReviewWaits();
  ReviewWaits(const ReviewWaits&) = delete;
  ReviewWaits& operator=(const ReviewWaits&) = delete;

  void Wait(std::string review_id, Clock::time_point deadline, Settled settled, Done done);
  // Calls the waiters of the review (soon, on the waits thread).
  void Resolved(const std::string& review_id);
  // Calls every waiter now, as if its deadline had passed, and from then on answers new waiters
  // at once: a stopping server must not hold a decision whose waiter registers after the drain
  // began (its review row commits before the waiter is registered).
  void ReleaseAll();

 private:
  struct Waiter {
    std::string review_id;
    Clock::time_point deadline;
    Settled settled;  // null once asked
    Done done;
  };
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::list<Waiter> waiters_;
  std::set<std::string> resolved_;  // resolved since the thread last looked
  bool fresh_ = false;              // waiters not yet asked whether they are settled
  bool released_ = false;           // sticky: set once the server drains
  bool stopping_ = false;
  std::thread thread_;  // last: starts after the state above exists
};

}  // namespace pactum::service
