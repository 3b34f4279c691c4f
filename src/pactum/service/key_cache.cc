#include "pactum/service/key_cache.h"

#include <atomic>

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pactum::service {
namespace {

// The counter lives in memory shared by every process that maps the file: atomic_ref over the
// mapped word (lock-free for 64 bits here, so it is coherent across processes).
std::atomic_ref<std::uint64_t> Counter(std::uint64_t* word) {
  return std::atomic_ref<std::uint64_t>(*word);
}

}  // namespace

KeyCache::KeyCache(const std::filesystem::path& data_dir) {
  static_assert(std::atomic_ref<std::uint64_t>::is_always_lock_free);
  const std::string path = (data_dir / "api-keys.epoch").string();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  struct stat st {};
  if (fd >= 0 && ::fstat(fd, &st) == 0 &&
      (st.st_size >= static_cast<off_t>(sizeof(std::uint64_t)) ||
       ::ftruncate(fd, sizeof(std::uint64_t)) == 0)) {
    void* mapped =
        ::mmap(nullptr, sizeof(std::uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (mapped != MAP_FAILED) counter_ = static_cast<std::uint64_t*>(mapped);
  }
  if (fd >= 0) ::close(fd);
  if (counter_ == nullptr) {
    spdlog::warn(
        "{}: cannot map the key revocation counter; API keys are looked up in the store "
        "on every request",
        path);
  } else {
    seen_ = Epoch();
  }
}

KeyCache::~KeyCache() {
  if (counter_ != nullptr) ::munmap(counter_, sizeof(std::uint64_t));
}

std::uint64_t KeyCache::Epoch() const {
  return counter_ == nullptr ? 0 : Counter(counter_).load(std::memory_order_acquire);
}

std::optional<Principal> KeyCache::Find(std::string_view secret_hash, std::uint64_t epoch,
                                        TimePoint now) {
  if (counter_ == nullptr) return std::nullopt;
  std::lock_guard lock(mu_);
  if (epoch != seen_) {  // a key was revoked somewhere: start over
    entries_.clear();
    seen_ = epoch;
    return std::nullopt;
  }
  auto it = entries_.find(std::string(secret_hash));
  if (it == entries_.end()) return std::nullopt;
  // Too old, or the clock went back: read the store again.
  if (now < it->second.read_at || now - it->second.read_at >= kTtl) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.principal;
}

void KeyCache::Put(std::string_view secret_hash, const Principal& principal, std::uint64_t epoch,
                   TimePoint now) {
  if (counter_ == nullptr) return;
  std::lock_guard lock(mu_);
  // A revocation may have committed after the store was read: then the read may be stale.
  if (epoch != seen_ || Epoch() != epoch) return;
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_.insert_or_assign(std::string(secret_hash), Entry{principal, now});
}

void KeyCache::Revoked() {
  if (counter_ != nullptr) Counter(counter_).fetch_add(1, std::memory_order_acq_rel);
  std::lock_guard lock(mu_);
  entries_.clear();  // this process's own, at once, even without a mapping
}

}  // namespace pactum::service
