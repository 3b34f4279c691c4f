// The principals of recently used API keys, so that authenticating a request does not read the
// store (a read transaction per request was the largest single cost of POST /v1/decide).
//
// Revocation stays immediate across processes: every revocation, by the server or by another
// process on the same data folder (`pactum keys revoke` while the server runs), bumps a counter
// in a small file of the folder that each process maps, after its commit; a changed counter
// empties every process's cache. Only a process that dies between its commit and the bump
// leaves others trusting the key, until the entry's age reaches kTtl. Unknown and revoked keys
// are never cached: every failing lookup reads the store.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "pactum/base/clock.h"
#include "pactum/service/auth.h"

namespace pactum::service {

class KeyCache {
 public:
  static constexpr auto kTtl = std::chrono::seconds(60);
  static constexpr std::size_t kMaxEntries = 10'000;

  // Maps <data_dir>/api-keys.epoch, creating it if needed. Without it (a read-only folder) the
  // cache holds nothing and every lookup reads the store.
  explicit KeyCache(const std::filesystem::path& data_dir);
  ~KeyCache();
  KeyCache(const KeyCache&) = delete;
  KeyCache& operator=(const KeyCache&) = delete;

  // The revocation counter; read it before reading the store, and give it to Put.
  std::uint64_t Epoch() const;
  // The principal of the key whose secret hashes to `secret_hash`, if cached, younger than kTtl
  // and no key was revoked since `epoch` was read.
  std::optional<Principal> Find(std::string_view secret_hash, std::uint64_t epoch, TimePoint now);
  // Remembers a live key read from the store after `epoch` was read; ignored if a key was
  // revoked since.
  void Put(std::string_view secret_hash, const Principal& principal, std::uint64_t epoch,
           TimePoint now);
  // After a revocation has committed: every process forgets its cached keys.
  void Revoked();

 private:
  struct Entry {
    Principal principal;
    TimePoint read_at;
  };
  std::uint64_t* counter_ = nullptr;  // in the shared mapping; null without one
  std::mutex mu_;
  std::uint64_t seen_ = 0;  // the counter the entries were read under
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace pactum::service
