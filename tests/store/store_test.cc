#include "pactum/store/store.h"

#include <chrono>
#include <future>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "pactum/store/tenants.h"

namespace pactum::store {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  StoreTest()
      : dir_(std::filesystem::temp_directory_path() /
             ("pactum-store-" + std::to_string(std::random_device{}()))) {}
  ~StoreTest() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(StoreTest, AppliesMigrationsOnceAndUsesWal) {
  auto store = Store::Open(dir_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->schema_version(), Migrations().back().version);
  std::string mode;
  std::int64_t sync = -1, applied = 0;
  ASSERT_TRUE((*store)
                  ->Read([&](Connection& db) -> Status {
                    PACTUM_ASSIGN_OR_RETURN(auto st, db.Prepare("PRAGMA journal_mode"));
                    PACTUM_TRY(st.Step().status());
                    mode = st.ColumnText(0);
                    PACTUM_ASSIGN_OR_RETURN(auto st2, db.Prepare("PRAGMA synchronous"));
                    PACTUM_TRY(st2.Step().status());
                    sync = st2.ColumnInt(0);
                    PACTUM_ASSIGN_OR_RETURN(auto st3,
                                            db.Prepare("SELECT COUNT(*) FROM schema_migrations"));
                    PACTUM_TRY(st3.Step().status());
                    applied = st3.ColumnInt(0);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(mode, "wal");
  EXPECT_EQ(sync, 2);  // FULL
  EXPECT_EQ(applied, static_cast<std::int64_t>(Migrations().size()));
  store->reset();
  // Reopening applies nothing twice.
  auto again = Store::Open(dir_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->schema_version(), Migrations().back().version);
}

TEST_F(StoreTest, RefusesNewerSchema) {
  {
    auto store = Store::Open(dir_);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)
                    ->Write([](Connection& db) {
                      return db.Exec("INSERT INTO schema_migrations VALUES (9999, 'future', 0)");
                    })
                    .ok());
  }
  auto store = Store::Open(dir_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("9999"), std::string::npos);
}

TEST_F(StoreTest, WriteRollsBackOnError) {
  auto store = Store::Open(dir_);
  ASSERT_TRUE(store.ok());
  Status s = (*store)->Write([](Connection& db) -> Status {
    PACTUM_TRY(InsertTenant(db, {"t1", "one", 1}));
    return InvalidArgument("changed my mind");
  });
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  std::vector<TenantRow> tenants;
  ASSERT_TRUE((*store)
                  ->Read([&](Connection& db) -> Status {
                    PACTUM_ASSIGN_OR_RETURN(tenants, ListTenants(db));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_TRUE(tenants.empty());
}

// The table the InsertRows tests fill: rows_t (a INTEGER PRIMARY KEY, b TEXT NOT NULL).
void CreateRowsTable(Store& store) {
  ASSERT_TRUE(store
                  .Write([](Connection& db) {
                    return db.Exec("CREATE TABLE rows_t (a INTEGER PRIMARY KEY, b TEXT NOT NULL)");
                  })
                  .ok());
}

std::int64_t CountRows(Connection& db) {
  auto count = db.Prepare("SELECT COUNT(*) FROM rows_t");
  if (!count.ok() || !count->Step().ok()) return -1;
  return count->ColumnInt(0);
}

// Any number of rows lands whole and in order, whatever mix of statement shapes (32, 16, ... 1
// rows) carries them; the rows' text is borrowed, as the log's inserts borrow theirs.
TEST_F(StoreTest, InsertRowsWritesEveryRowAcrossStatementShapes) {
  auto store = Store::Open(dir_);
  ASSERT_TRUE(store.ok());
  CreateRowsTable(**store);
  std::int64_t next = 0;
  for (std::size_t count : {0, 1, 5, 31, 32, 33, 100}) {
    std::vector<std::string> texts;
    for (std::size_t i = 0; i < count; ++i)
      texts.push_back("row " + std::to_string(next + static_cast<std::int64_t>(i)));
    ASSERT_TRUE((*store)
                    ->Write([&](Connection& db) {
                      return InsertRows(db, "rows_t (a, b)", 2, count,
                                        [&](Statement& st, int c, std::size_t i) {
                                          st.Bind(c, next + static_cast<std::int64_t>(i))
                                              .Bind(c + 1, texts[i], Statement::Bytes::kBorrowed);
                                        });
                    })
                    .ok())
        << count << " rows";
    next += static_cast<std::int64_t>(count);
  }
  std::int64_t seen = 0;
  ASSERT_TRUE((*store)
                  ->Read([&](Connection& db) -> Status {
                    PACTUM_ASSIGN_OR_RETURN(auto st,
                                            db.Prepare("SELECT a, b FROM rows_t ORDER BY a"));
                    for (;;) {
                      PACTUM_ASSIGN_OR_RETURN(bool row, st.Step());
                      if (!row) return Status::Ok();
                      EXPECT_EQ(st.ColumnInt(0), seen);
                      EXPECT_EQ(st.ColumnText(1), "row " + std::to_string(seen));
                      ++seen;
                    }
                  })
                  .ok());
  EXPECT_EQ(seen, next);
  EXPECT_EQ(next, 202);
}

// A row that breaks a constraint fails the call with SQLite's reason. The statements are OR FAIL
// (which spares SQLite a statement journal): the rows before the bad one stay until the
// transaction is rolled back, as the store's Write does on the error, leaving none.
TEST_F(StoreTest, InsertRowsFailsOnAConstraintAndTheWriteLeavesNothing) {
  auto store = Store::Open(dir_);
  ASSERT_TRUE(store.ok());
  CreateRowsTable(**store);
  std::int64_t before_failure = -1;
  Status s = (*store)->Write([&](Connection& db) -> Status {
    // 40 rows: 32 in the first statement, and the 36th repeats the 4th's key.
    Status inserted =
        InsertRows(db, "rows_t (a, b)", 2, 40, [](Statement& st, int c, std::size_t i) {
          st.Bind(c, static_cast<std::int64_t>(i == 35 ? 3 : i)).Bind(c + 1, "x");
        });
    before_failure = CountRows(db);
    return inserted;
  });
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("UNIQUE constraint failed"), std::string::npos) << s.message();
  EXPECT_EQ(before_failure, 35);  // the first statement's 32 and the next 3
  std::int64_t after = -1;
  ASSERT_TRUE((*store)
                  ->Read([&](Connection& db) -> Status {
                    after = CountRows(db);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(after, 0);
}

// `commits` commits of four 3,000-byte rows into table b (a few 4 KiB pages each), then waits
// (up to 30 s) for the store's first background checkpoint.
void WriteRowsAndAwaitACheckpoint(Store& store, int commits) {
  const std::string row(3000, 'x');
  for (int i = 0; i < commits; ++i) {
    ASSERT_TRUE(store
                    .Write([&](Connection& db) -> Status {
                      for (int j = 0; j < 4; ++j) {
                        PACTUM_ASSIGN_OR_RETURN(auto st, db.Prepare("INSERT INTO b VALUES (?1)"));
                        PACTUM_TRY(st.BindBlob(1, row).Run());
                      }
                      return Status::Ok();
                    })
                    .ok());
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (store.background_checkpoints() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

// The WAL is checkpointed by the store's own thread, not by the commit that fills it: once a
// commit leaves kCheckpointFrames there, the pages reach the database file while the store is
// still open, and every write stays readable.
TEST_F(StoreTest, CheckpointsTheWalInTheBackground) {
  auto store = Store::Open(dir_);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(
      (*store)->Write([](Connection& db) { return db.Exec("CREATE TABLE b (x BLOB)"); }).ok());
  const auto db_size = [&] { return std::filesystem::file_size((*store)->database_file()); };
  const std::uintmax_t before = db_size();
  EXPECT_EQ((*store)->background_checkpoints(), 0u);
  // Each commit writes a few pages; together well over kCheckpointFrames of 4 KiB.
  constexpr int kCommits = 600;
  WriteRowsAndAwaitACheckpoint(**store, kCommits);
  EXPECT_GE((*store)->background_checkpoints(), 1u);
  // The database file holds the checkpointed pages now, not only after close.
  EXPECT_GT(db_size(), before + Store::kCheckpointFrames * 3000u);
  std::int64_t rows = 0;
  ASSERT_TRUE((*store)
                  ->Read([&](Connection& db) -> Status {
                    PACTUM_ASSIGN_OR_RETURN(auto st, db.Prepare("SELECT COUNT(*) FROM b"));
                    PACTUM_TRY(st.Step().status());
                    rows = st.ColumnInt(0);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(rows, 4 * kCommits);
}

// While a reader holds an old snapshot the WAL cannot be rewound, so it stays over the
// threshold commit after commit; a checkpoint is still asked for once per kCheckpointFrames new
// frames, not after every commit (which would checkpoint and fsync back to back).
TEST_F(StoreTest, AsksForACheckpointOncePerThresholdOfNewFrames) {
  auto store = Store::Open(dir_);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(
      (*store)->Write([](Connection& db) { return db.Exec("CREATE TABLE b (x BLOB)"); }).ok());
  std::promise<void> reading, release;
  std::thread reader([&] {
    Status s = (*store)->Read([&](Connection& db) -> Status {
      PACTUM_ASSIGN_OR_RETURN(auto st, db.Prepare("SELECT COUNT(*) FROM b"));
      PACTUM_TRY(st.Step().status());  // the snapshot starts here
      reading.set_value();
      release.get_future().wait();
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
  });
  reading.get_future().wait();
  constexpr int kCommits = 600;  // ~5 frames each: ~3,000 frames, all kept by the reader
  WriteRowsAndAwaitACheckpoint(**store, kCommits);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // any request still queued
  EXPECT_GE((*store)->background_checkpoints(), 1u);
  EXPECT_LE((*store)->background_checkpoints(), 5u);
  release.set_value();
  reader.join();
}

TEST_F(StoreTest, KeysAreScopedToTheirTenant) {
  auto store = Store::Open(dir_);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(
      (*store)
          ->Write([](Connection& db) -> Status {
            PACTUM_TRY(InsertTenant(db, {"ta", "a", 1}));
            PACTUM_TRY(InsertTenant(db, {"tb", "b", 1}));
            PACTUM_TRY(InsertApiKey(
                db, {"ka", "ta", "", "key a", "pk_a", std::string(32, 'a'), {"read"}, 2, {}}));
            PACTUM_TRY(InsertApiKey(
                db,
                {"kb", "tb", "", "key b", "pk_b", std::string(32, 'b'), {"admin", "read"}, 3, {}}));
            return Status::Ok();
          })
          .ok());
  EXPECT_EQ((*store)
                ->Write([](Connection& db) {
                  return InsertTenant(db, {"tc", "a", 1});
                })
                .code(),
            Code::kAlreadyExists);
  ASSERT_TRUE(
      (*store)
          ->Write([](Connection& db) -> Status {
            PACTUM_ASSIGN_OR_RETURN(auto a_keys, ListApiKeys(db, std::string("ta")));
            EXPECT_EQ(a_keys.size(), 1u);
            EXPECT_EQ(a_keys[0].id, "ka");
            EXPECT_EQ(a_keys[0].tenant_name, "a");
            PACTUM_ASSIGN_OR_RETURN(auto all, ListApiKeys(db, std::nullopt));
            EXPECT_EQ(all.size(), 2u);
            // Tenant a cannot revoke tenant b's key.
            PACTUM_ASSIGN_OR_RETURN(bool revoked, RevokeApiKey(db, std::string("ta"), "kb", 5));
            EXPECT_FALSE(revoked);
            PACTUM_ASSIGN_OR_RETURN(revoked, RevokeApiKey(db, std::string("tb"), "kb", 5));
            EXPECT_TRUE(revoked);
            PACTUM_ASSIGN_OR_RETURN(auto kb, FindApiKeyBySecretHash(db, std::string(32, 'b')));
            EXPECT_TRUE(kb.has_value());
            EXPECT_EQ(kb->revoked_at, 5);
            EXPECT_EQ(kb->scopes, (std::vector<std::string>{"admin", "read"}));
            return Status::Ok();
          })
          .ok());
}

TEST_F(StoreTest, ErrorsCarrySqliteText) {
  auto store = Store::Open(dir_);
  ASSERT_TRUE(store.ok());
  Status s = (*store)->Read([](Connection& db) { return db.Prepare("SELEC 1").status(); });
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("syntax error"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace pactum::store
