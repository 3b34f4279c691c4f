#include "pactum/store/store.h"

#include <chrono>
#include <system_error>

#include <spdlog/spdlog.h>

#include "pactum/base/clock.h"
#include "pactum/base/thread_name.h"

namespace pactum::store {
namespace {

constexpr std::size_t kMaxIdleReaders = 8;

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::filesystem::path& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return IoError("cannot create data folder " + data_dir.string() + ": " + ec.message());
  PACTUM_ASSIGN_OR_RETURN(auto writer, Connection::Open(data_dir / "pactum.db"));
  std::unique_ptr<Store> store(new Store(data_dir, std::move(writer)));
  PACTUM_TRY(store->Migrate());
  PACTUM_ASSIGN_OR_RETURN(auto checkpointer, Connection::Open(store->database_file()));
  store->StartCheckpoints(std::move(checkpointer));
  return store;
}

Store::~Store() {
  {
    std::lock_guard lock(checkpoint_mu_);
    stopping_ = true;
  }
  checkpoint_cv_.notify_one();
  if (checkpointer_.joinable()) checkpointer_.join();
  // The writer is closed last (members in reverse order), and SQLite checkpoints the rest of the
  // WAL then.
}

void Store::StartCheckpoints(std::unique_ptr<Connection> conn) {
  writer_->OnWalCommit([this](int frames) {
    if (frames >= kInlineCheckpointFrames) {
      // Best effort: a failure leaves the frames for the next checkpoint; the commit stands.
      (void)writer_->Checkpoint();
      return;
    }
    // Counted from the last request, not from the WAL's start: under steady writes a
    // checkpoint rarely catches up with the writer, so the WAL is not rewound and stays long,
    // and asking after every commit would checkpoint (and fsync) back to back.
    if (frames < checkpoint_asked_at_) checkpoint_asked_at_ = 0;  // the WAL was rewound
    if (frames - checkpoint_asked_at_ < kCheckpointFrames) return;
    checkpoint_asked_at_ = frames;
    {
      std::lock_guard lock(checkpoint_mu_);
      if (checkpoint_wanted_) return;
      checkpoint_wanted_ = true;
    }
    checkpoint_cv_.notify_one();
  });
  checkpointer_ =
      std::thread([this, c = std::move(conn)]() mutable { RunCheckpoints(std::move(c)); });
}

void Store::RunCheckpoints(std::unique_ptr<Connection> conn) {
  NameThisThread("pactum-ckpt");
  std::unique_lock lock(checkpoint_mu_);
  while (true) {
    checkpoint_cv_.wait(lock, [&] { return checkpoint_wanted_ || stopping_; });
    if (stopping_) return;
    checkpoint_wanted_ = false;
    lock.unlock();
    // A failure (the disk, another checkpoint) leaves the frames where they are: the next
    // kCheckpointFrames ask again, and the inline checkpoint bounds the WAL meanwhile.
    const bool done = conn->Checkpoint().ok();
    lock.lock();
    if (done) ++background_checkpoints_;
  }
}

std::uint64_t Store::background_checkpoints() const {
  std::lock_guard lock(checkpoint_mu_);
  return background_checkpoints_;
}

Status Store::Migrate() {
  std::lock_guard lock(write_mu_);
  PACTUM_TRY(writer_->Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"));
  int current = 0;
  {
    // Closed before the migrations run: an open read would keep one that drops a table from it.
    PACTUM_ASSIGN_OR_RETURN(
        auto max, writer_->Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    PACTUM_TRY(max.Step().status());
    current = static_cast<int>(max.ColumnInt(0));
  }
  const auto& all = Migrations();
  int known = all.empty() ? 0 : all.back().version;
  if (current > known)
    return FailedPrecondition("database schema version " + std::to_string(current) +
                              " is newer than this pactum knows (" + std::to_string(known) +
                              "); upgrade pactum");
  // Upgrading a database that holds data can take a while (some migrations rewrite a table),
  // and nothing is served meanwhile: say what is being done. A new database is not worth a line.
  const bool upgrade = current > 0;
  for (const Migration& m : all) {
    if (m.version <= current) continue;
    const auto started = std::chrono::steady_clock::now();
    if (upgrade) spdlog::info("store: applying migration {} ({})", m.version, m.name);
    PACTUM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*writer_));
    Status s = writer_->Exec(m.sql);
    if (!s.ok())
      return s.WithContext("migration " + std::to_string(m.version) + " (" + m.name + ")");
    PACTUM_ASSIGN_OR_RETURN(
        auto ins,
        writer_->Prepare(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)"));
    ins.Bind(1, std::int64_t{m.version}).Bind(2, m.name).Bind(3, UnixMillis(SystemClock().Now()));
    PACTUM_TRY(ins.Run());
    PACTUM_TRY(tx.Commit());
    if (upgrade) {
      spdlog::info(
          "store: migration {} applied in {:.1f} s", m.version,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
  }
  schema_version_ = std::max(current, known);
  return Status::Ok();
}

Status Store::Write(const std::function<Status(Connection&)>& fn) {
  std::lock_guard lock(write_mu_);
  PACTUM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*writer_));
  PACTUM_TRY(fn(*writer_));
  return tx.Commit();
}

Status Store::Read(const std::function<Status(Connection&)>& fn) {
  PACTUM_ASSIGN_OR_RETURN(auto conn, AcquireReader());
  Status s = conn->Exec("BEGIN");
  if (s.ok()) {
    s = fn(*conn);
    Status end = conn->Exec(s.ok() ? "COMMIT" : "ROLLBACK");
    if (s.ok()) s = end;
  }
  ReleaseReader(std::move(conn));
  return s;
}

Result<std::unique_ptr<Connection>> Store::AcquireReader() {
  {
    std::lock_guard lock(readers_mu_);
    if (!idle_readers_.empty()) {
      auto conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return conn;
    }
  }
  return Connection::Open(database_file());
}

void Store::ReleaseReader(std::unique_ptr<Connection> conn) {
  std::lock_guard lock(readers_mu_);
  if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(conn));
}

}  // namespace pactum::store
