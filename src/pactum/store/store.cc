#include "pactum/store/store.h"

#include <system_error>

#include "pactum/base/clock.h"

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
  return store;
}

Store::~Store() = default;

Status Store::Migrate() {
  std::lock_guard lock(write_mu_);
  PACTUM_TRY(writer_->Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"));
  PACTUM_ASSIGN_OR_RETURN(
      auto max, writer_->Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  PACTUM_TRY(max.Step().status());
  int current = static_cast<int>(max.ColumnInt(0));
  const auto& all = Migrations();
  int known = all.empty() ? 0 : all.back().version;
  if (current > known)
    return FailedPrecondition("database schema version " + std::to_string(current) +
                              " is newer than this pactum knows (" + std::to_string(known) +
                              "); upgrade pactum");
  for (const Migration& m : all) {
    if (m.version <= current) continue;
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
