// A thin, safe layer over one SQLite connection: prepared statements with typed binds and
// columns, and transactions that roll back unless committed. Every call returns a Status
// whose message carries SQLite's own text.
//
// A Connection is not thread-safe; the Store (store.h) hands them out. Prepared statements are
// kept by the connection and reused when the same SQL is prepared again (preparing costs more
// than running a small statement), so a Statement must not outlive its Connection.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pactum/base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace pactum::store {

class Connection;

class Statement {
 public:
  Statement() = default;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // How a text or blob is bound: copied, or borrowed, which saves a copy of every such column and
  // needs its bytes alive and unchanged until the statement is reset or destroyed (the log's
  // inserts, where the copies were a measurable part of each commit).
  enum class Bytes { kCopied, kBorrowed };

  // Parameters are 1-based, as in SQL text ("?1").
  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, std::string_view text, Bytes bytes = Bytes::kCopied);
  Statement& BindBlob(int index, std::string_view blob, Bytes bytes = Bytes::kCopied);
  Statement& BindNull(int index);
  Statement& Bind(int index, const std::optional<std::int64_t>& value);

  // Advances to the next row: true if a row is available, false when done.
  Result<bool> Step();
  // Steps to completion, for statements that return no rows.
  Status Run();
  // Clears bindings and rewinds, so the statement can run again.
  void Reset();

  // Columns of the current row, 0-based.
  std::int64_t ColumnInt(int column) const;
  std::string ColumnText(int column) const;
  std::string ColumnBlob(int column) const;
  bool ColumnIsNull(int column) const;
  std::optional<std::int64_t> ColumnOptionalInt(int column) const;

 private:
  friend class Connection;
  Statement(sqlite3_stmt* stmt, sqlite3* db, Connection* owner, std::string sql)
      : stmt_(stmt), db_(db), owner_(owner), sql_(std::move(sql)) {}
  void Release();
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
  Connection* owner_ = nullptr;  // takes the statement back for reuse
  std::string sql_;
  Status bind_error_;  // the first failed Bind, reported by Step
};

class Connection {
 public:
  // Opens (creating if needed) the database file with WAL, synchronous=FULL (a committed
  // transaction survives power loss: we acknowledge nothing that is not on disk), foreign
  // keys on, and a busy timeout so concurrent writers wait rather than fail.
  static Result<std::unique_ptr<Connection>> Open(const std::filesystem::path& file);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements that return no rows.
  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);
  // Rows changed by the last INSERT/UPDATE/DELETE.
  std::int64_t Changes() const;
  std::int64_t LastInsertRowId() const;

  // Calls `on_commit` with the number of frames in the WAL after each transaction this
  // connection commits, instead of SQLite's automatic checkpoint: the caller decides when and on
  // which connection the WAL is checkpointed. Null restores the automatic checkpoint.
  void OnWalCommit(std::function<void(int frames)> on_commit);
  // Copies into the database file every WAL frame that no reader still needs, without waiting
  // for the writer or readers (SQLite's PASSIVE checkpoint); with synchronous=FULL, fsyncs both.
  Status Checkpoint();

 private:
  friend class Statement;
  explicit Connection(sqlite3* db) : db_(db) {}
  void Recycle(std::string sql, sqlite3_stmt* stmt);
  sqlite3* db_;
  std::function<void(int)> on_wal_commit_;  // the WAL hook's target; its address is registered
  std::unordered_map<std::string, std::vector<sqlite3_stmt*>> idle_statements_;
};

// Inserts `rows` rows into `target` ("t (a, b)") with INSERTs of many rows each
// ("INSERT OR FAIL INTO t (a, b) VALUES (?, ?), (?, ?), ..."), up to kRowsPerInsert a statement:
// SQLite's work per statement (its program started and halted, a cursor opened and closed for
// the table and each index) cost about as much as the row itself on the log's sequencer, which
// inserts a leaf, its evidence row and its subtrees per item. `columns` is the number of values
// a row has, and bind(st, first, row) binds row `row`'s values to the parameters first, first +
// 1, ..., first + columns - 1; borrowed bytes must stay alive until InsertRows returns.
//
// OR FAIL: a row that breaks a constraint ends its statement with the rows before it inserted.
// The default (ABORT) would undo the statement alone, for which SQLite copies every page it
// touches into a statement journal first: that cost a write per page. Call it in a transaction
// that is rolled back on any error.
inline constexpr std::size_t kRowsPerInsert = 32;
using RowBinder = std::function<void(Statement& st, int first, std::size_t row)>;
Status InsertRows(Connection& db, std::string_view target, int columns, std::size_t rows,
                  const RowBinder& bind);

// Rolls back on destruction unless Commit() succeeded. BEGIN IMMEDIATE takes the write lock
// up front, so a transaction never fails half-way for lack of it.
class Transaction {
 public:
  static Result<Transaction> Begin(Connection& conn);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Connection* conn) : conn_(conn) {}
  Connection* conn_;
};

}  // namespace pactum::store
