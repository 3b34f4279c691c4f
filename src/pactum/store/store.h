// The embedded store: one SQLite database file under the data folder, with numbered
// migrations applied at open.
//
// Writes are serialised through a single writer connection (SQLite allows one writer at a
// time anyway); a Write commits before it returns, with synchronous=FULL, so anything the
// server acknowledges after a Write is on disk. Reads run on a pool of reader connections,
// each inside a read transaction, so they see one consistent snapshot and never block the
// writer (WAL).
//
// Checkpoints (copying committed pages from the WAL into the database file, and fsyncing it)
// run off the commit path: every kCheckpointFrames frames written to the WAL wake a background
// thread, which checkpoints on its own connection without waiting for the writer.
// A commit that finds kInlineCheckpointFrames there (the thread far behind) checkpoints
// itself, so the WAL stays bounded.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/store/sqlite.h"

namespace pactum::store {

// One schema change. Versions start at 1 and never change once released.
struct Migration {
  int version;
  const char* name;
  const char* sql;
};

// Every migration pactum knows, in version order (migrations.cc).
const std::vector<Migration>& Migrations();

class Store {
 public:
  static constexpr int kCheckpointFrames = 1000;  // SQLite's own automatic threshold
  static constexpr int kInlineCheckpointFrames = 16'000;

  // Creates `data_dir` if needed and opens `data_dir/pactum.db`, applying any migrations
  // it has not seen. A database written by a newer pactum (unknown versions) is refused.
  static Result<std::unique_ptr<Store>> Open(const std::filesystem::path& data_dir);
  ~Store();

  // Runs `fn` inside one write transaction; commits (durably) if it returns OK, rolls back
  // otherwise, and returns its status or the commit's.
  Status Write(const std::function<Status(Connection&)>& fn);
  // Runs `fn` inside a read transaction on a pooled connection.
  Status Read(const std::function<Status(Connection&)>& fn);

  // The highest migration version applied.
  int schema_version() const { return schema_version_; }
  // Checkpoints completed by the background thread (for tests and diagnostics).
  std::uint64_t background_checkpoints() const;
  const std::filesystem::path& data_dir() const { return data_dir_; }
  std::filesystem::path database_file() const { return data_dir_ / "pactum.db"; }

 private:
  Store(std::filesystem::path dir, std::unique_ptr<Connection> writer)
      : data_dir_(std::move(dir)), writer_(std::move(writer)) {}
  Status Migrate();
  void StartCheckpoints(std::unique_ptr<Connection> conn);
  void RunCheckpoints(std::unique_ptr<Connection> conn);
  Result<std::unique_ptr<Connection>> AcquireReader();
  void ReleaseReader(std::unique_ptr<Connection> conn);

  std::filesystem::path data_dir_;
  std::mutex write_mu_;
  std::unique_ptr<Connection> writer_;
  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
  int schema_version_ = 0;

  int checkpoint_asked_at_ = 0;  // the WAL's frames at the last request; the writer's own
  mutable std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_wanted_ = false;
  bool stopping_ = false;
  std::uint64_t background_checkpoints_ = 0;
  std::thread checkpointer_;
};

}  // namespace pactum::store
