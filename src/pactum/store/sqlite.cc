#include "pactum/store/sqlite.h"

#include <sqlite3.h>

#include "pactum/store/vfs.h"

namespace pactum::store {
namespace {

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int primary = rc & 0xFF;
  if (primary == SQLITE_CONSTRAINT) return Conflict(std::move(msg));
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Unavailable(std::move(msg));
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) return Corruption(std::move(msg));
  if (primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_CANTOPEN ||
      primary == SQLITE_READONLY || primary == SQLITE_PERM)
    return IoError(std::move(msg));
  return Internal(std::move(msg));
}

}  // namespace

Statement::Statement(Statement&& other) noexcept
    : stmt_(other.stmt_),
      db_(other.db_),
      owner_(other.owner_),
      sql_(std::move(other.sql_)),
      bind_error_(std::move(other.bind_error_)) {
  other.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    Release();
    stmt_ = other.stmt_;
    db_ = other.db_;
    owner_ = other.owner_;
    sql_ = std::move(other.sql_);
    bind_error_ = std::move(other.bind_error_);
    other.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() {
  Release();
}

void Statement::Release() {
  if (stmt_ == nullptr) return;
  if (owner_ != nullptr) {
    owner_->Recycle(std::move(sql_), stmt_);
  } else {
    sqlite3_finalize(stmt_);
  }
  stmt_ = nullptr;
}

#define PACTUM_SQLITE_BIND(call)                                             \
  do {                                                                       \
    int rc_ = (call);                                                        \
    if (rc_ != SQLITE_OK && bind_error_.ok())                                \
      bind_error_ = SqliteError(db_, rc_, "bind ?" + std::to_string(index)); \
    return *this;                                                            \
  } while (0)

Statement& Statement::Bind(int index, std::int64_t value) {
  PACTUM_SQLITE_BIND(sqlite3_bind_int64(stmt_, index, value));
}
Statement& Statement::Bind(int index, std::string_view text, Bytes bytes) {
  PACTUM_SQLITE_BIND(sqlite3_bind_text64(
      stmt_, index, text.data(), text.size(),
      bytes == Bytes::kBorrowed ? SQLITE_STATIC : SQLITE_TRANSIENT, SQLITE_UTF8));
}
Statement& Statement::BindBlob(int index, std::string_view blob, Bytes bytes) {
  PACTUM_SQLITE_BIND(
      sqlite3_bind_blob64(stmt_, index, blob.data(), blob.size(),
                          bytes == Bytes::kBorrowed ? SQLITE_STATIC : SQLITE_TRANSIENT));
}
Statement& Statement::BindNull(int index) {
  PACTUM_SQLITE_BIND(sqlite3_bind_null(stmt_, index));
}
Statement& Statement::Bind(int index, const std::optional<std::int64_t>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}
#undef PACTUM_SQLITE_BIND

Result<bool> Statement::Step() {
  if (!bind_error_.ok()) return bind_error_;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_, rc, "step");
}

Status Statement::Run() {
  for (;;) {
    PACTUM_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::Ok();
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = Status::Ok();
}

std::int64_t Statement::ColumnInt(int c) const {
  return sqlite3_column_int64(stmt_, c);
}

std::string Statement::ColumnText(int c) const {
  const auto* p = sqlite3_column_text(stmt_, c);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c)))
           : std::string();
}

std::string Statement::ColumnBlob(int c) const {
  const void* p = sqlite3_column_blob(stmt_, c);
  return p ? std::string(static_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c)))
           : std::string();
}

bool Statement::ColumnIsNull(int c) const {
  return sqlite3_column_type(stmt_, c) == SQLITE_NULL;
}

std::optional<std::int64_t> Statement::ColumnOptionalInt(int c) const {
  if (ColumnIsNull(c)) return std::nullopt;
  return ColumnInt(c);
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::filesystem::path& file) {
  // Before SQLite's first use in the process: no memory statistics. Keeping them costs a
  // global mutex and bookkeeping on every allocation, ~7% of a commit's instructions. (If
  // something else in the process initialised SQLite first, this fails and changes nothing.)
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(file.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           ShapedVfs());
  if (rc != SQLITE_OK) {
    Status s = SqliteError(db, rc, "open " + file.string());
    sqlite3_close(db);
    return s;
  }
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_busy_timeout(db, 10'000);
  // FULL: a commit is durable when it returns, which is also what the store's VFS needs.
  // 8 KiB pages for a new database (an existing one keeps its own): a log leaf with its
  // evidence row is ~1 KB, and twice the default page halves the page splits, the WAL frames
  // and the checkpoint's copies per item; ingestion gained 5-8% (docs/PERFORMANCE.md).
  PACTUM_TRY(
      conn->Exec("PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                 "PRAGMA foreign_keys=ON;"));
  return conn;
}

namespace {

int WalHook(void* self, sqlite3*, const char*, int frames) {
  (*static_cast<std::function<void(int)>*>(self))(frames);
  return SQLITE_OK;
}

}  // namespace

void Connection::OnWalCommit(std::function<void(int frames)> on_commit) {
  on_wal_commit_ = std::move(on_commit);
  if (on_wal_commit_) {
    sqlite3_wal_hook(db_, &WalHook, &on_wal_commit_);
  } else {
    sqlite3_wal_autocheckpoint(db_, 1000);  // SQLite's default
  }
}

Status Connection::Checkpoint() {
  int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "checkpoint");
  return Status::Ok();
}

Connection::~Connection() {
  for (auto& [sql, statements] : idle_statements_) {
    for (sqlite3_stmt* stmt : statements)
      sqlite3_finalize(stmt);
  }
  sqlite3_close_v2(db_);
}

void Connection::Recycle(std::string sql, sqlite3_stmt* stmt) {
  // A few idle copies per SQL text are enough: statements are rarely open twice at once.
  constexpr std::size_t kIdlePerSql = 4;
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  auto& idle = idle_statements_[std::move(sql)];
  if (idle.size() >= kIdlePerSql) {
    sqlite3_finalize(stmt);
  } else {
    idle.push_back(stmt);
  }
}

Status Connection::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return SqliteError(nullptr, rc, "exec: " + msg).WithContext("sqlite");
  }
  return Status::Ok();
}

Result<Statement> Connection::Prepare(std::string_view sql) {
  std::string text(sql);
  if (auto it = idle_statements_.find(text); it != idle_statements_.end() && !it->second.empty()) {
    sqlite3_stmt* stmt = it->second.back();
    it->second.pop_back();
    return Statement(stmt, db_, this, std::move(text));
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
  return Statement(stmt, db_, this, std::move(text));
}

std::int64_t Connection::Changes() const {
  return sqlite3_changes64(db_);
}
std::int64_t Connection::LastInsertRowId() const {
  return sqlite3_last_insert_rowid(db_);
}

Status InsertRows(Connection& db, std::string_view target, int columns, std::size_t rows,
                  const RowBinder& bind) {
  std::size_t done = 0;
  while (done < rows) {
    // Full statements while they fit, then the rest in halves (16, 8, ... 1 rows): a few
    // statement shapes a table, each prepared once and kept by the connection.
    std::size_t n = kRowsPerInsert;
    while (n > rows - done)
      n /= 2;
    std::string sql = "INSERT OR FAIL INTO " + std::string(target) + " VALUES";
    for (std::size_t r = 0; r < n; ++r) {
      sql += r == 0 ? " (" : ", (";
      for (int c = 0; c < columns; ++c)
        sql += c == 0 ? "?" : ", ?";
      sql += ")";
    }
    PACTUM_ASSIGN_OR_RETURN(auto st, db.Prepare(sql));
    for (std::size_t r = 0; r < n; ++r)
      bind(st, static_cast<int>(r) * columns + 1, done + r);
    PACTUM_TRY(st.Run());
    done += n;
  }
  return Status::Ok();
}

Result<Transaction> Transaction::Begin(Connection& conn) {
  PACTUM_TRY(conn.Exec("BEGIN IMMEDIATE"));
  return Transaction(&conn);
}

Transaction::Transaction(Transaction&& other) noexcept : conn_(other.conn_) {
  other.conn_ = nullptr;
}

Transaction::~Transaction() {
  if (conn_) conn_->Exec("ROLLBACK").IgnoreError();
}

Status Transaction::Commit() {
  if (!conn_) return FailedPrecondition("transaction already finished");
  Status s = conn_->Exec("COMMIT");
  if (s.ok()) conn_ = nullptr;
  return s;
}

}  // namespace pactum::store
