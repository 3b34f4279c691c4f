#include "pactum/ledger/ledger.h"

#include <atomic>
#include <fstream>
#include <future>
#include <limits>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "pactum/merkle/verify.h"

namespace pactum::ledger {
namespace {

namespace fs = std::filesystem;

class LedgerTest : public ::testing::Test {
 protected:
  LedgerTest()
      : dir_(fs::temp_directory_path() /
             ("pactum-ledger-" + std::to_string(std::random_device{}()))) {}
  ~LedgerTest() override {
    ledger_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  void Open() {
    ledger_.reset();
    store_.reset();
    auto store = store::Store::Open(dir_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
    auto ledger = Ledger::Open(*store_);
    ASSERT_TRUE(ledger.ok()) << ledger.status().message();
    ledger_ = std::move(*ledger);
  }

  LeafEntry Entry(int n, std::string tenant = "acme") {
    return LeafEntry{"evidence.item", std::move(tenant), FromUnixMillis(1'700'000'000'000 + n),
                     Json{{"n", n}}};
  }

  std::vector<merkle::Hash> AppendMany(int count) {
    std::vector<merkle::Hash> hashes;
    for (int i = 0; i < count; ++i) {
      auto receipt = ledger_->Append(Entry(i));
      EXPECT_TRUE(receipt.ok()) << receipt.status().message();
      if (!receipt.ok()) break;
      hashes.push_back(receipt->leaf_hash);
    }
    return hashes;
  }

  // Runs `sql` on the store, as an attacker with file access would.
  void Tamper(const std::string& sql) {
    ASSERT_TRUE(store_->Write([&](store::Connection& db) { return db.Exec(sql); }).ok());
  }

  fs::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Ledger> ledger_;
};

std::string Bytes(const merkle::Hash& h) {
  return std::string(AsBytes(h));
}

TEST(LeafDataTest, IsCanonicalJsonOfTheFourFields) {
  auto data = LeafData(
      {"pact.version", "acme", FromUnixMillis(1'700'000'000'123), Json{{"z", 1}, {"a", "é"}}});
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(
      *data,
      R"({"body":{"a":"é","z":1},"tenant":"acme","time":"2023-11-14T22:13:20.123Z","type":"pact.version"})");
  EXPECT_FALSE(LeafData({"", "acme", {}, Json::object()}).ok());
  EXPECT_FALSE(LeafData({"t", "", {}, Json::object()}).ok());
}

TEST_F(LedgerTest, AppendsInOrderAndStoresTheLeaf) {
  Open();
  EXPECT_EQ(ledger_->Size(), 0u);
  auto first = ledger_->Append(Entry(0));
  auto second = ledger_->Append(Entry(1));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->index, 0u);
  EXPECT_EQ(second->index, 1u);
  EXPECT_EQ(ledger_->Size(), 2u);
  auto leaf = ledger_->Leaf(1);
  ASSERT_TRUE(leaf.ok());
  EXPECT_EQ(leaf->tenant, "acme");
  EXPECT_EQ(leaf->type, "evidence.item");
  EXPECT_EQ(leaf->data, *LeafData(Entry(1)));
  EXPECT_EQ(leaf->leaf_hash, merkle::HashLeaf(leaf->data));
  EXPECT_EQ(leaf->leaf_hash, second->leaf_hash);
  EXPECT_EQ(ledger_->Leaf(2).status().code(), Code::kNotFound);
  EXPECT_EQ(ledger_->Append({"", "acme", {}, Json::object()}).status().code(),
            Code::kInvalidArgument);
}

TEST_F(LedgerTest, ConcurrentAppendsGetDistinctIndicesAndAllVerify) {
  Open();
  constexpr int kThreads = 8, kEach = 150;
  std::vector<std::vector<std::uint64_t>> indices(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto receipt = ledger_->Append(Entry(t * kEach + i));
        if (receipt.ok()) indices[t].push_back(receipt->index);
      }
    });
  }
  for (auto& th : threads)
    th.join();
  std::set<std::uint64_t> all;
  for (const auto& v : indices) {
    EXPECT_EQ(v.size(), static_cast<std::size_t>(kEach));
    EXPECT_TRUE(std::is_sorted(v.begin(), v.end()));  // one appender's leaves stay in its order
    all.insert(v.begin(), v.end());
  }
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach));
  EXPECT_EQ(*all.rbegin(), static_cast<std::uint64_t>(kThreads * kEach - 1));
  auto report = ledger_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problem;
  EXPECT_EQ(report->size, static_cast<std::uint64_t>(kThreads * kEach));
}

TEST_F(LedgerTest, ProofsVerifyAgainstCheckpointsAtEverySize) {
  Open();
  std::vector<merkle::Hash> hashes = AppendMany(37);
  for (std::uint64_t size = 1; size <= hashes.size(); ++size) {
    auto checkpoint = ledger_->Checkpoint(size);
    ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().message();
    EXPECT_EQ(checkpoint->checkpoint.root, merkle::RootOf({hashes.data(), size}));
    auto opened = crypto::OpenCheckpoint(checkpoint->note, ledger_->origin(), ledger_->Verifiers());
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    EXPECT_EQ(*opened, checkpoint->checkpoint);
    for (std::uint64_t index = 0; index < size; ++index) {
      auto proof = ledger_->ProveInclusion(index, size);
      ASSERT_TRUE(proof.ok()) << proof.status().message();
      EXPECT_EQ(proof->leaf_hash, hashes[index]);
      EXPECT_TRUE(merkle::VerifyInclusion(index, size, Bytes(hashes[index]), proof->path,
                                          Bytes(checkpoint->checkpoint.root))
                      .ok());
    }
    for (std::uint64_t from = 1; from <= size; ++from) {
      auto proof = ledger_->ProveConsistency(from, size);
      ASSERT_TRUE(proof.ok()) << proof.status().message();
      EXPECT_TRUE(merkle::VerifyConsistency(from, size, proof->path,
                                            Bytes(proof->from.checkpoint.root),
                                            Bytes(proof->to.checkpoint.root))
                      .ok());
    }
  }
  EXPECT_EQ(ledger_->Checkpoint()->checkpoint.size, hashes.size());
  auto report = ledger_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problem;
  EXPECT_EQ(report->checkpoints_checked, hashes.size());
}

// Large enough for subtrees of 2^10 leaves, which proofs read from memory rather than the store.
TEST_F(LedgerTest, ProofsAcrossTheInMemoryLevelsVerifyBeforeAndAfterReopen) {
  Open();
  constexpr int kThreads = 8, kEach = 330;
  std::vector<merkle::Hash> hashes(kThreads * kEach);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto receipt = ledger_->Append(Entry(t * kEach + i));
        ASSERT_TRUE(receipt.ok());
        hashes[receipt->index] = receipt->leaf_hash;
      }
    });
  }
  for (auto& th : threads)
    th.join();
  for (int round = 0; round < 2; ++round) {
    for (std::uint64_t size : {std::uint64_t{1024}, std::uint64_t{2048}, std::uint64_t{2500},
                               std::uint64_t{hashes.size()}}) {
      auto checkpoint = ledger_->Checkpoint(size);
      ASSERT_TRUE(checkpoint.ok());
      ASSERT_EQ(checkpoint->checkpoint.root, merkle::RootOf({hashes.data(), size}));
      const std::string root = Bytes(checkpoint->checkpoint.root);
      for (std::uint64_t index :
           {std::uint64_t{0}, std::uint64_t{1023}, std::uint64_t{1024}, size / 2, size - 1}) {
        if (index >= size) continue;
        auto path = ledger_->InclusionPath(index, size);
        ASSERT_TRUE(path.ok());
        EXPECT_TRUE(merkle::VerifyInclusion(index, size, Bytes(hashes[index]), *path, root).ok())
            << index << " in " << size;
      }
      auto consistency = ledger_->ConsistencyPath(1000, size);
      ASSERT_TRUE(consistency.ok());
      EXPECT_TRUE(merkle::VerifyConsistency(1000, size, *consistency,
                                            Bytes(merkle::RootOf({hashes.data(), 1000})), root)
                      .ok());
    }
    Open();  // the in-memory levels are reloaded from the store
  }
}

// A log stored before migration 6, its subtrees keyed by level and index, is carried over: it
// verifies, its proofs check, and it goes on growing.
TEST_F(LedgerTest, SubtreesStoredBeforeMigration6AreCarriedOver) {
  // A database at schema version 5, its log written as that version wrote it.
  fs::create_directories(dir_);
  std::vector<merkle::Hash> hashes;
  {
    auto db = store::Connection::Open(dir_ / "pactum.db");
    ASSERT_TRUE(db.ok()) << db.status().message();
    auto exec = [&](const std::string& sql) {
      Status s = (*db)->Exec(sql);
      ASSERT_TRUE(s.ok()) << s.message();
    };
    exec(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at INTEGER NOT NULL)");
    for (const store::Migration& m : store::Migrations()) {
      if (m.version > 5) break;
      exec(m.sql);
      exec("INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) + ", 'm', 0)");
    }
    auto leaf = (*db)->Prepare("INSERT INTO log_leaves VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    auto node = (*db)->Prepare("INSERT INTO log_subtrees (level, idx, hash) VALUES (?1, ?2, ?3)");
    ASSERT_TRUE(leaf.ok() && node.ok());
    exec("BEGIN");
    merkle::CompactRange range;
    for (int i = 0; i < 2100; ++i) {
      const LeafEntry entry = Entry(i);
      auto data = LeafData(entry);
      ASSERT_TRUE(data.ok());
      hashes.push_back(merkle::HashLeaf(*data));
      leaf->Reset();
      leaf->Bind(1, std::int64_t{i}).Bind(2, entry.tenant).Bind(3, entry.type);
      leaf->Bind(4, UnixMillis(entry.time)).BindBlob(5, *data).BindBlob(6, Bytes(hashes.back()));
      ASSERT_TRUE(leaf->Run().ok());
      range.Append(hashes.back(), [&](unsigned level, std::uint64_t index, const merkle::Hash& h) {
        if (level == 0) return;
        node->Reset();
        node->Bind(1, std::int64_t{level}).Bind(2, static_cast<std::int64_t>(index));
        node->BindBlob(3, Bytes(h));
        EXPECT_TRUE(node->Run().ok());
      });
    }
    exec("COMMIT");
  }
  Open();  // migrates
  auto report = ledger_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problem;
  EXPECT_EQ(report->size, hashes.size());
  const std::string root = Bytes(merkle::RootOf(hashes));
  for (std::uint64_t index : {0, 1023, 1024, 2047, 2048, 2099}) {
    auto path = ledger_->InclusionPath(index, hashes.size());
    ASSERT_TRUE(path.ok()) << path.status().message();
    EXPECT_TRUE(
        merkle::VerifyInclusion(index, hashes.size(), Bytes(hashes[index]), *path, root).ok())
        << index;
  }
  auto more = AppendMany(3);
  hashes.insert(hashes.end(), more.begin(), more.end());
  EXPECT_EQ(ledger_->Checkpoint()->checkpoint.root, merkle::RootOf(hashes));
  EXPECT_TRUE(ledger_->Verify()->ok());
}

TEST_F(LedgerTest, RejectsProofsOutsideTheTree) {
  Open();
  AppendMany(5);
  EXPECT_EQ(ledger_->ProveInclusion(5).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ledger_->ProveInclusion(0, 6).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ledger_->ProveInclusion(3, 3).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ledger_->ProveConsistency(0, 5).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ledger_->ProveConsistency(4, 3).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ledger_->ProveConsistency(1, 6).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ledger_->Checkpoint(6).status().code(), Code::kInvalidArgument);
}

TEST_F(LedgerTest, ResumesAfterReopenWithTheSameTree) {
  Open();
  std::vector<merkle::Hash> hashes = AppendMany(21);
  const std::string origin = ledger_->origin();
  Open();
  EXPECT_EQ(ledger_->origin(), origin);
  EXPECT_EQ(ledger_->Size(), 21u);
  EXPECT_EQ(ledger_->Checkpoint()->checkpoint.root, merkle::RootOf(hashes));
  auto more = AppendMany(12);
  hashes.insert(hashes.end(), more.begin(), more.end());
  EXPECT_EQ(ledger_->Checkpoint()->checkpoint.root, merkle::RootOf(hashes));
  EXPECT_TRUE(ledger_->Verify()->ok());
}

TEST_F(LedgerTest, KeyIsPrivateAndRotationKeepsOldCheckpointsVerifiable) {
  Open();
  AppendMany(3);
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "log-key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto old_checkpoint = ledger_->Checkpoint();
  ASSERT_TRUE(old_checkpoint.ok());
  ASSERT_TRUE(ledger_->RotateKey().ok());
  AppendMany(1);
  auto new_checkpoint = ledger_->Checkpoint();
  ASSERT_TRUE(new_checkpoint.ok());
  Open();  // the retired key is found again on disk
  ASSERT_EQ(ledger_->Verifiers().size(), 2u);
  EXPECT_TRUE(
      crypto::OpenCheckpoint(old_checkpoint->note, ledger_->origin(), ledger_->Verifiers()).ok());
  EXPECT_TRUE(
      crypto::OpenCheckpoint(new_checkpoint->note, ledger_->origin(), ledger_->Verifiers()).ok());
  // Only the current key signs: the old one alone does not verify the new checkpoint.
  std::vector<crypto::NoteVerifier> old_only = {ledger_->Verifiers()[1]};
  EXPECT_TRUE(crypto::OpenCheckpoint(old_checkpoint->note, ledger_->origin(), old_only).ok());
  EXPECT_FALSE(crypto::OpenCheckpoint(new_checkpoint->note, ledger_->origin(), old_only).ok());
  EXPECT_TRUE(ledger_->Verify()->ok());
}

TEST_F(LedgerTest, RefusesAKeyOthersCanRead) {
  Open();
  ledger_.reset();
  fs::permissions(dir_ / "log-key.pem", fs::perms::group_read, fs::perm_options::add);
  auto ledger = Ledger::Open(*store_);
  ASSERT_FALSE(ledger.ok());
  EXPECT_NE(ledger.status().message().find("chmod 600"), std::string::npos);
}

struct TamperCase {
  const char* name;
  const char* sql;
  std::uint64_t bad_index;
  const char* problem;
};

class LedgerTamperTest : public LedgerTest, public ::testing::WithParamInterface<TamperCase> {};

TEST_P(LedgerTamperTest, VerifyNamesTheFirstBadIndex) {
  Open();
  AppendMany(40);
  ASSERT_TRUE(ledger_->Checkpoint().ok());
  ASSERT_TRUE(ledger_->Verify()->ok());
  Tamper(GetParam().sql);
  auto report = ledger_->Verify();
  ASSERT_TRUE(report.ok()) << report.status().message();
  ASSERT_FALSE(report->ok());
  EXPECT_EQ(*report->first_bad_index, GetParam().bad_index) << report->problem;
  EXPECT_NE(report->problem.find(GetParam().problem), std::string::npos) << report->problem;
}

INSTANTIATE_TEST_SUITE_P(
    Tampering, LedgerTamperTest,
    ::testing::Values(
        // One byte of the leaf data: {"body":{"n":17}... becomes {"body":{"n":18}...
        TamperCase{"LeafByte",
                   "UPDATE log_leaves SET data = CAST(replace(CAST(data AS TEXT), '\"n\":17', "
                   "'\"n\":18') AS BLOB) WHERE idx = 17",
                   17, "does not match its data"},
        TamperCase{
            "LeafHashByte",
            "UPDATE log_leaves SET leaf_hash = zeroblob(1) || substr(leaf_hash, 2) WHERE idx = 23",
            23, "does not match its data"},
        TamperCase{"SubtreeHashByte",
                   "UPDATE log_subtrees SET hash = substr(hash, 1, 31) || x'00' WHERE level = 3 "
                   "AND idx = 2",
                   16, "level 3, index 2"},
        TamperCase{"MissingSubtree", "DELETE FROM log_subtrees WHERE level = 1 AND idx = 5", 10,
                   "level 1, index 5"},
        // A subtree moved to another's place, and one that no leaves complete (its level out
        // of any tree's range, so that naming its first leaf must not shift past 64 bits).
        TamperCase{"SwappedSubtree",
                   "UPDATE log_subtrees SET level = 2, idx = 3 WHERE level = 2 AND idx = 4", 16,
                   "level 2, index 4"},
        TamperCase{"ExtraSubtree", "INSERT INTO log_subtrees VALUES (1000000, 70, 1, zeroblob(32))",
                   40, "level 70, index 1"},
        TamperCase{"DeletedLeaf", "DELETE FROM log_leaves WHERE idx = 30", 30,
                   "leaf 30 is missing"},
        TamperCase{"TenantColumn", "UPDATE log_leaves SET tenant = 'other' WHERE idx = 4", 4,
                   "tenant"}),
    [](const ::testing::TestParamInfo<TamperCase>& tamper) {
      return std::string(tamper.param.name);
    });

TEST_F(LedgerTest, OpensADamagedLogSoThatVerifyCanReportIt) {
  Open();
  AppendMany(10);
  ledger_.reset();
  Tamper("DELETE FROM log_leaves WHERE idx = 4");
  auto ledger = Ledger::Open(*store_);
  ASSERT_TRUE(ledger.ok()) << ledger.status().message();
  ledger_ = std::move(*ledger);
  EXPECT_EQ(ledger_->Append(Entry(10)).status().code(), Code::kCorruption);
  EXPECT_EQ(ledger_->Checkpoint().status().code(), Code::kCorruption);
  EXPECT_EQ(ledger_->ProveInclusion(0).status().code(), Code::kCorruption);
  auto report = ledger_->Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_FALSE(report->ok());
  EXPECT_EQ(*report->first_bad_index, 4u) << report->problem;
}

TEST_F(LedgerTest, VerifyCatchesARewriteThatKeepsEveryStoredHashConsistent) {
  Open();
  AppendMany(8);
  ASSERT_TRUE(ledger_->Checkpoint().ok());
  // Replace the log by another log of the same size: every hash matches its data, but the
  // root is not the one that was signed.
  ledger_.reset();
  Tamper("DELETE FROM log_leaves; DELETE FROM log_subtrees;");
  auto ledger = Ledger::Open(*store_);
  ASSERT_TRUE(ledger.ok());
  ledger_ = std::move(*ledger);
  for (int i = 0; i < 8; ++i)
    ASSERT_TRUE(ledger_->Append(Entry(100 + i)).ok());
  auto report = ledger_->Verify();
  ASSERT_TRUE(report.ok());
  ASSERT_FALSE(report->ok());
  EXPECT_EQ(*report->first_bad_index, 0u);
  EXPECT_NE(report->problem.find("differs from the signed checkpoint"), std::string::npos)
      << report->problem;
}

TEST_F(LedgerTest, EnqueueAnswersEachBatchOnceDurableWithConsecutiveIndices) {
  Open();
  constexpr int kBatches = 200, kEach = 3;
  // Runs inside each leaf's commit: a leaf's record is written before its batch is answered.
  std::mutex committed_mu;
  std::set<std::uint64_t> committed;
  std::vector<std::future<Result<std::vector<Receipt>>>> answers;
  for (int b = 0; b < kBatches; ++b) {
    std::vector<LeafEntry> batch;
    for (int i = 0; i < kEach; ++i) {
      LeafEntry entry = Entry(b * kEach + i);
      entry.with_leaf = [&](store::Connection&, std::uint64_t index) {
        std::lock_guard lock(committed_mu);
        committed.insert(index);
        return Status::Ok();
      };
      batch.push_back(std::move(entry));
    }
    answers.push_back(ledger_->Enqueue(std::move(batch)));
  }
  std::set<std::uint64_t> all;
  for (int b = 0; b < kBatches; ++b) {
    auto receipts = answers[b].get();
    ASSERT_TRUE(receipts.ok()) << receipts.status().message();
    ASSERT_EQ(receipts->size(), static_cast<std::size_t>(kEach));
    // One caller's batches keep the order it queued them in.
    EXPECT_EQ((*receipts)[0].index, static_cast<std::uint64_t>(b * kEach));
    for (int i = 0; i < kEach; ++i) {
      const Receipt& r = (*receipts)[i];
      EXPECT_EQ(r.index, (*receipts)[0].index + i);  // no other batch's leaf between them
      EXPECT_GE(ledger_->Size(), r.index + 1);
      auto leaf = ledger_->Leaf(r.index);
      ASSERT_TRUE(leaf.ok()) << leaf.status().message();
      EXPECT_EQ(leaf->data, *LeafData(Entry(b * kEach + i)));
      EXPECT_EQ(leaf->leaf_hash, r.leaf_hash);
      std::lock_guard lock(committed_mu);
      EXPECT_EQ(committed.count(r.index), 1u);
      all.insert(r.index);
    }
  }
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kBatches * kEach));
  auto report = ledger_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problem;
}

TEST_F(LedgerTest, EnqueueRejectsABadLeafAtOnceAndQueuesNothingOfItsBatch) {
  Open();
  std::vector<LeafEntry> batch = {Entry(0), LeafEntry{"evidence.item", "", {}, Json::object()}};
  bool answered = false;
  ledger_->Enqueue(std::move(batch), [&](Result<std::vector<Receipt>> receipts) {
    answered = true;
    EXPECT_EQ(receipts.status().code(), Code::kInvalidArgument);
  });
  EXPECT_TRUE(answered);  // on the caller's thread, before Enqueue returned
  auto empty = ledger_->Enqueue(std::vector<LeafEntry>{}).get();
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  ASSERT_TRUE(ledger_->Append(Entry(1)).ok());
  EXPECT_EQ(ledger_->Size(), 1u);
}

TEST_F(LedgerTest, EnqueueFailsTheWholeBatchWhenACommitFails) {
  Open();
  LeafEntry failing = Entry(1);
  failing.with_leaf = [](store::Connection&, std::uint64_t) {
    return Internal("the record could not be written");
  };
  auto answer = ledger_->Enqueue({Entry(0), failing}).get();
  EXPECT_EQ(answer.status().code(), Code::kInternal);
  EXPECT_EQ(ledger_->Size(), 0u);  // rolled back, nothing half-written
  auto next = ledger_->Enqueue({Entry(2)}).get();
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->front().index, 0u);
  const Ledger::CommitStats stats = ledger_->Stats();
  EXPECT_EQ(stats.commits, 2u);
  EXPECT_EQ(stats.failed, 1u);
  EXPECT_EQ(stats.leaves, 1u);  // the rolled-back leaves are not counted
}

// Callers faster than the disk are held back: with the sequencer held inside a commit, a
// caller whose batch would take the queue beyond its limit waits until the sequencer takes the
// queue, and then everything commits, in order. A batch larger than the limit is taken alone.
TEST_F(LedgerTest, ACallerBeyondTheQueueLimitWaitsForRoom) {
  Open();
  ledger_.reset();
  Ledger::Options options;
  options.max_queued_leaves = 4;
  auto opened = Ledger::Open(*store_, options);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  ledger_ = std::move(*opened);

  std::promise<void> inside, release;
  std::shared_future<void> released = release.get_future().share();
  LeafEntry holding = Entry(0);
  holding.with_leaf = [&inside, released](store::Connection&, std::uint64_t) {
    inside.set_value();
    released.wait();
    return Status::Ok();
  };
  auto first = ledger_->Enqueue({holding});
  inside.get_future().wait();  // the sequencer is inside the first commit
  auto second = ledger_->Enqueue({Entry(1), Entry(2), Entry(3), Entry(4)});  // fills the queue
  EXPECT_EQ(ledger_->Stats().queued, 4u);
  std::atomic<bool> returned{false};
  std::future<Result<std::vector<Receipt>>> third;
  std::thread caller([&] {
    third = ledger_->Enqueue({Entry(5)});
    returned = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(returned) << "a caller beyond the limit must wait for room";
  release.set_value();
  caller.join();
  EXPECT_TRUE(returned);
  auto a = first.get(), b = second.get(), c = third.get();
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->front().index, 0u);
  EXPECT_EQ(b->front().index, 1u);
  EXPECT_EQ(b->back().index, 4u);
  EXPECT_EQ(c->front().index, 5u);

  std::vector<LeafEntry> large;
  for (int i = 6; i < 16; ++i)
    large.push_back(Entry(i));
  auto taken = ledger_->Enqueue(std::move(large)).get();
  ASSERT_TRUE(taken.ok()) << taken.status().message();
  EXPECT_EQ(taken->size(), 10u);
  EXPECT_EQ(ledger_->Size(), 16u);
}

TEST_F(LedgerTest, StatsCountEveryCommitItsLeavesAndItsTime) {
  Open();
  EXPECT_EQ(ledger_->Stats().commits, 0u);
  AppendMany(3);  // one commit each: every Append waits for its own
  ASSERT_TRUE(ledger_->AppendBatch({Entry(3), Entry(4), Entry(5), Entry(6)}).ok());
  const Ledger::CommitStats stats = ledger_->Stats();
  EXPECT_EQ(stats.commits, 4u);
  EXPECT_EQ(stats.failed, 0u);
  EXPECT_EQ(stats.leaves, 7u);
  EXPECT_EQ(stats.queued, 0u);
  std::uint64_t timed = 0;
  for (std::uint64_t n : stats.within)
    timed += n;
  EXPECT_EQ(timed, stats.commits);  // none took over 5 s, the last bucket
  EXPECT_GT(stats.seconds, 0.0);
  // Counted since the log opened, not stored.
  Open();
  EXPECT_EQ(ledger_->Stats().commits, 0u);
  EXPECT_EQ(ledger_->Size(), 7u);
}

TEST_F(LedgerTest, ALeafWithNoCanonicalFormFailsOnlyItsOwnBatch) {
  Open();
  // Found by the sequencer (which writes the leaf data), not by Enqueue: the batch queued
  // beside it still commits.
  LeafEntry bad = Entry(1);
  bad.body = Json{{"score", std::numeric_limits<double>::quiet_NaN()}};
  auto first = ledger_->Enqueue({Entry(0)});
  auto failed = ledger_->Enqueue({Entry(2), bad});
  auto last = ledger_->Enqueue({Entry(3)});
  ASSERT_TRUE(first.get().ok());
  EXPECT_EQ(failed.get().status().code(), Code::kInvalidArgument);
  auto receipts = last.get();
  ASSERT_TRUE(receipts.ok()) << receipts.status().message();
  EXPECT_EQ(receipts->front().index, 1u);
  EXPECT_EQ(ledger_->Size(), 2u);
  EXPECT_EQ(ledger_->Leaf(1)->data, *LeafData(Entry(3)));
}

TEST_F(LedgerTest, ABodyRenderedOnTheSequencerIsTheLeafsBodyAndItsFailureFailsItsBatch) {
  Open();
  LeafEntry rendered{"decision", "acme", FromUnixMillis(1'700'000'000'123)};
  std::atomic<int> renders{0};
  rendered.body = Json{{"ignored", true}};  // render_body wins over body and canonical_body
  rendered.render_body = [&renders]() -> Result<std::string> {
    ++renders;
    return std::string(R"({"a":"é","z":1})");
  };
  EXPECT_EQ(
      *LeafData(rendered),
      R"({"body":{"a":"é","z":1},"tenant":"acme","time":"2023-11-14T22:13:20.123Z","type":"decision"})");
  renders = 0;
  LeafEntry refused = Entry(1);
  refused.render_body = []() -> Result<std::string> {
    return InvalidArgument("no canonical form");
  };
  auto good = ledger_->Enqueue({rendered});
  auto failed = ledger_->Enqueue({Entry(2), refused});
  auto receipts = good.get();
  ASSERT_TRUE(receipts.ok()) << receipts.status().message();
  EXPECT_EQ(renders.load(), 1);  // once, by the sequencer
  EXPECT_EQ(failed.get().status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ledger_->Size(), 1u);
  EXPECT_EQ(ledger_->Leaf(0)->data, *LeafData(rendered));
}

TEST_F(LedgerTest, APreparedLeafCommitsAsIfTheSequencerHadWrittenIt) {
  Open();
  LeafEntry prepared = Entry(7);
  auto leaf = PrepareLeaf(prepared);
  ASSERT_TRUE(leaf.ok()) << leaf.status().message();
  EXPECT_EQ(leaf->data, *LeafData(Entry(7)));
  EXPECT_EQ(leaf->leaf_hash, merkle::HashLeaf(leaf->data));
  prepared.body = Json{{"ignored", true}};  // the prepared data wins over the body
  prepared.prepared = *leaf;
  EXPECT_EQ(*LeafData(prepared), leaf->data);
  EXPECT_FALSE(PrepareLeaf({"", "acme", {}, Json::object()}).ok());

  // Prepared and unprepared leaves mix in one batch, and in one commit with another caller's.
  auto mixed = ledger_->Enqueue({Entry(6), prepared, Entry(8)});
  auto other = ledger_->AppendBatch({prepared});
  auto receipts = mixed.get();
  ASSERT_TRUE(receipts.ok()) << receipts.status().message();
  ASSERT_TRUE(other.ok()) << other.status().message();
  EXPECT_EQ((*receipts)[1].leaf_hash, leaf->leaf_hash);
  EXPECT_EQ(other->front().leaf_hash, leaf->leaf_hash);
  for (std::uint64_t i = 0; i < ledger_->Size(); ++i) {
    auto stored = ledger_->Leaf(i);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(stored->leaf_hash, merkle::HashLeaf(stored->data));
  }
  EXPECT_EQ(ledger_->Leaf((*receipts)[1].index)->data, leaf->data);
  auto report = ledger_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problem;
}

TEST_F(LedgerTest, ClosingTheLedgerCommitsAndAnswersEveryQueuedBatch) {
  Open();
  constexpr int kBatches = 100;
  std::atomic<int> ok{0}, failed{0};
  for (int b = 0; b < kBatches; ++b) {
    ledger_->Enqueue({Entry(b)}, [&](Result<std::vector<Receipt>> receipts) {
      (receipts.ok() ? ok : failed)++;
    });
  }
  ledger_.reset();
  EXPECT_EQ(ok.load(), kBatches);
  EXPECT_EQ(failed.load(), 0);
  Open();
  EXPECT_EQ(ledger_->Size(), static_cast<std::uint64_t>(kBatches));
}

}  // namespace
}  // namespace pactum::ledger
