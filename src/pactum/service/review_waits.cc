#include "pactum/service/review_waits.h"

#include <algorithm>
#include <vector>

namespace pactum::service {

ReviewWaits::ReviewWaits() : thread_([this] { Run(); }) {}

ReviewWaits::~ReviewWaits() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void ReviewWaits::Wait(std::string review_id, Clock::time_point deadline, Settled settled,
                       Done done) {
  {
    std::lock_guard lock(mu_);
    waiters_.push_back({std::move(review_id), deadline, std::move(settled), std::move(done)});
    fresh_ = true;
  }
  cv_.notify_all();
}

void ReviewWaits::Resolved(const std::string& review_id) {
  {
    std::lock_guard lock(mu_);
    resolved_.insert(review_id);
  }
  cv_.notify_all();
}

void ReviewWaits::ReleaseAll() {
  {
    std::lock_guard lock(mu_);
    released_ = true;
  }
  cv_.notify_all();
}

void ReviewWaits::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    // Ask new waiters whether their review is already settled (outside the lock: it reads the
    // store). Only this thread removes waiters, so the iterators stay valid.
    if (fresh_) {
      fresh_ = false;
      std::vector<std::list<Waiter>::iterator> asking;
      for (auto it = waiters_.begin(); it != waiters_.end(); ++it)
        if (it->settled) asking.push_back(it);
      lock.unlock();
      std::vector<std::string> settled;
      for (auto it : asking) {
        if (it->settled()) settled.push_back(it->review_id);
      }
      lock.lock();
      for (auto it : asking)
        it->settled = nullptr;
      resolved_.insert(settled.begin(), settled.end());
    }
    std::vector<Done> due;
    const auto now = Clock::now();
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      if (stopping_ || released_ || it->deadline <= now || resolved_.count(it->review_id) > 0) {
        due.push_back(std::move(it->done));
        it = waiters_.erase(it);
      } else {
        ++it;
      }
    }
    resolved_.clear();
    if (!due.empty()) {
      lock.unlock();
      for (Done& done : due)
        done();
      lock.lock();
      continue;  // more may have arrived meanwhile
    }
    if (stopping_) return;
    auto woken = [this] {
      return stopping_ || fresh_ || !resolved_.empty() || (released_ && !waiters_.empty());
    };
    if (waiters_.empty()) {
      cv_.wait(lock, woken);
    } else {
      auto next = std::min_element(waiters_.begin(), waiters_.end(), [](auto& a, auto& b) {
                    return a.deadline < b.deadline;
                  })->deadline;
      cv_.wait_until(lock, next, woken);
    }
  }
}

}  // namespace pactum::service
