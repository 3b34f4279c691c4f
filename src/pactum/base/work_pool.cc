#include "pactum/base/work_pool.h"

#include <algorithm>

#include "pactum/base/thread_name.h"

namespace pactum {

// A caller's work, on its stack. Every field is read and written under the pool's mu_ except
// fn, which is immutable; a helper touches the job last under mu_, when it counts its chunk
// finished, so the caller (which waits under mu_ for that count) may then return.
struct WorkPool::Job {
  std::size_t count = 0;
  std::size_t chunk = 1;
  const std::function<void(std::size_t, std::size_t)>* fn = nullptr;
  std::size_t next = 0;      // the first index not yet taken
  std::size_t chunks = 0;    // in all
  std::size_t finished = 0;  // chunks run to the end
};

WorkPool::WorkPool(std::size_t helpers) {
  helpers_.reserve(helpers);
  for (std::size_t i = 0; i < helpers; ++i)
    helpers_.emplace_back([this] { Help(); });
}

WorkPool::~WorkPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_.notify_all();
  for (std::thread& t : helpers_)
    t.join();
}

std::size_t WorkPool::DefaultHelpers() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores > 1 ? cores - 1 : 0;
}

bool WorkPool::Claim(Job& job, std::size_t* begin, std::size_t* end) {
  if (job.next >= job.count) return false;
  *begin = job.next;
  *end = std::min(job.count, job.next + job.chunk);
  job.next = *end;
  return true;
}

void WorkPool::ForEachChunk(std::size_t count, std::size_t chunk,
                            const std::function<void(std::size_t, std::size_t)>& fn) {
  if (count == 0) return;
  chunk = std::max<std::size_t>(chunk, 1);
  if (helpers_.empty() || count <= chunk) return fn(0, count);
  Job job;
  job.count = count;
  job.chunk = chunk;
  job.fn = &fn;
  job.chunks = (count + chunk - 1) / chunk;
  std::unique_lock lock(mu_);
  jobs_.push_back(&job);
  work_.notify_all();
  std::size_t begin = 0, end = 0;
  while (Claim(job, &begin, &end)) {
    lock.unlock();
    fn(begin, end);
    lock.lock();
    ++job.finished;
  }
  // Every chunk is taken: the job leaves the queue (a helper may have removed it already), and
  // the caller waits for the chunks helpers are still running.
  if (auto it = std::find(jobs_.begin(), jobs_.end(), &job); it != jobs_.end()) jobs_.erase(it);
  done_.wait(lock, [&] { return job.finished == job.chunks; });
}

void WorkPool::Help() {
  NameThisThread("pactum-helper");
  std::unique_lock lock(mu_);
  for (;;) {
    work_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (stopping_) return;
    Job& job = *jobs_.front();
    std::size_t begin = 0, end = 0;
    if (!Claim(job, &begin, &end)) {
      jobs_.pop_front();
      continue;
    }
    lock.unlock();
    (*job.fn)(begin, end);
    lock.lock();
    if (++job.finished == job.chunks) done_.notify_all();
  }
}

}  // namespace pactum
