// The store's VFS on real files: what a commit returns from is in the file, whatever the process
// does next; transactions larger than the cache (frames spilled and read back) and than what
// the VFS gathers, a checkpoint that copies megabytes into the database file (starting its
// writeback as it goes), and a WAL restarted after it, read back the same from other
// connections, with and without the VFS, and after a reopen.
#include "pactum/store/vfs.h"

#include <filesystem>
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pactum::store {
namespace {

class VfsTest : public ::testing::Test {
 protected:
  VfsTest()
      : dir_(std::filesystem::temp_directory_path() /
             ("pactum-vfs-" + std::to_string(std::random_device{}()))) {
    std::filesystem::create_directories(dir_);
  }
  ~VfsTest() override { std::filesystem::remove_all(dir_); }

  // A connection to the test database, through the store's VFS unless `vfs` says otherwise.
  sqlite3* Open(const char* vfs = ShapedVfs()) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2((dir_ / "t.db").c_str(), &db,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs);
    EXPECT_EQ(rc, SQLITE_OK) << sqlite3_errmsg(db);
    Exec(db,
         "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=8;"
         "CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v BLOB NOT NULL)");
    return db;
  }
  static void Exec(sqlite3* db, const std::string& sql) {
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (error ? error : "");
    sqlite3_free(error);
  }
  static std::string One(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(st, 0);
      out = text ? reinterpret_cast<const char*>(text) : "";
    }
    sqlite3_finalize(st);
    return out;
  }
  // `rows` rows of 2,000 pseudo-random bytes from key `first` on, in the current transaction.
  static void Insert(sqlite3* db, int first, int rows) {
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(
        sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?1, randomblob(2000))", -1, &st, nullptr),
        SQLITE_OK);
    for (int k = first; k < first + rows; ++k) {
      sqlite3_bind_int(st, 1, k);
      ASSERT_EQ(sqlite3_step(st), SQLITE_DONE) << sqlite3_errmsg(db);
      sqlite3_reset(st);
    }
    sqlite3_finalize(st);
  }
  // What a reader sees: the row count, the bytes stored and a sum over one byte of every row.
  static std::string Contents(sqlite3* db) {
    return One(db,
               "SELECT count(*) || ':' || total(length(v)) || ':' || "
               "total(unicode(substr(v, 7, 1)) * k) FROM t");
  }

  std::filesystem::path dir_;
};

TEST_F(VfsTest, LargeTransactionsAndARestartedWalReadBackTheSame) {
  sqlite3* writer = Open();
  // ~6 MB in one transaction: far more than the 8-page cache (frames spill to the WAL and are
  // read back) and than the VFS gathers at once.
  Exec(writer, "BEGIN");
  Insert(writer, 0, 3000);
  const std::string inside = Contents(writer);
  Exec(writer, "COMMIT");
  EXPECT_EQ(inside.substr(0, 5), "3000:");

  // Read by others before the writer reads again (a read by the writer hands its bytes on).
  sqlite3* reader = Open();
  sqlite3* plain = Open(nullptr);  // the default VFS reads what this one wrote
  EXPECT_EQ(Contents(reader), inside);
  EXPECT_EQ(Contents(plain), inside);
  EXPECT_EQ(Contents(writer), inside);

  // A checkpoint that empties the WAL: the next frames are written from its start again.
  EXPECT_EQ(One(writer, "PRAGMA wal_checkpoint(TRUNCATE)").substr(0, 1), "0");
  Exec(writer, "BEGIN");
  Insert(writer, 3000, 500);
  Exec(writer, "UPDATE t SET v = randomblob(2000) WHERE k % 7 = 0");
  Exec(writer, "COMMIT");
  const std::string after = Contents(plain);
  EXPECT_NE(after, inside);
  EXPECT_EQ(Contents(reader), after);
  EXPECT_EQ(Contents(writer), after);
  EXPECT_EQ(One(writer, "PRAGMA integrity_check"), "ok");
  sqlite3_close(plain);
  sqlite3_close(reader);
  sqlite3_close(writer);

  sqlite3* reopened = Open();
  EXPECT_EQ(Contents(reopened), after);
  EXPECT_EQ(One(reopened, "PRAGMA integrity_check"), "ok");
  sqlite3_close(reopened);
}

TEST_F(VfsTest, ACommitThatReturnedSurvivesTheProcessAndNothingElseDoes) {
  {
    sqlite3* db = Open();
    Exec(db, "BEGIN");
    Insert(db, 0, 10);
    Exec(db, "COMMIT");
    sqlite3_close(db);
  }
  // A child commits and dies at once, without closing anything: what the commit returned from
  // must be in the file, though nothing wrote to the WAL after it.
  auto in_child = [](auto&& work) {
    const pid_t child = fork();
    if (child == 0) {
      work();
      _exit(::testing::Test::HasFailure() ? 1 : 0);
    }
    int status = 0;
    return child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) &&
           WEXITSTATUS(status) == 0;
  };
  ASSERT_TRUE(in_child([&] {
    sqlite3* db = Open();
    Exec(db, "BEGIN");
    Insert(db, 10, 200);
    Exec(db, "COMMIT");
  }));
  // Another dies inside a transaction larger than the cache: its frames, some spilled to the
  // WAL and some still gathered, must not count.
  ASSERT_TRUE(in_child([&] {
    sqlite3* db = Open();
    Exec(db, "BEGIN");
    Insert(db, 210, 3000);
  }));
  sqlite3* db = Open();
  EXPECT_EQ(One(db, "SELECT count(*) || ' ' || max(k) FROM t"), "210 209");
  EXPECT_EQ(One(db, "PRAGMA integrity_check"), "ok");
  sqlite3_close(db);
}

}  // namespace
}  // namespace pactum::store
