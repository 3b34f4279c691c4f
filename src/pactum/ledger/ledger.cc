#include "pactum/ledger/ledger.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <memory>

#include "pactum/base/canonical_json.h"
#include "pactum/base/id.h"
#include "pactum/base/json.h"
#include "pactum/base/thread_name.h"

namespace pactum::ledger {

using merkle::Hash;

namespace {

// Leaves taken into one transaction at most (a larger batch commits alone); bounds a commit's
// memory and latency.
constexpr std::size_t kMaxBatch = 8192;
// Batches (callers) answered on the sequencer itself when the answerer is idle; more go to the
// answerer. Waking one caller costs about as much as handing it to another thread.
constexpr std::size_t kAnswerInline = 2;

// `what()` names the hash for an error, and is called only then: a proof reads a dozen hashes,
// none of which needs its name spelled out unless it is damaged.
template <typename Describe>
Result<Hash> HashFromBlob(std::string_view blob, const Describe& what) {
  Hash hash{};
  if (blob.size() != hash.size())
    return Corruption(what() + " has " + std::to_string(blob.size()) + " bytes, not 32");
  std::memcpy(hash.data(), blob.data(), hash.size());
  return hash;
}

std::int64_t ToSql(std::uint64_t value) {
  return static_cast<std::int64_t>(value);
}

// Reads stored subtree hashes inside one transaction: level 0 from the leaves, higher levels
// from log_subtrees, by the position where the log completed them.
class SubtreeReader {
 public:
  static Result<SubtreeReader> Prepare(store::Connection& db) {
    SubtreeReader reader;
    PACTUM_ASSIGN_OR_RETURN(reader.leaf_,
                            db.Prepare("SELECT leaf_hash FROM log_leaves WHERE idx = ?1"));
    PACTUM_ASSIGN_OR_RETURN(reader.node_,
                            db.Prepare("SELECT hash, level, idx FROM log_subtrees WHERE pos = ?1"));
    return reader;
  }

  Result<Hash> Get(unsigned level, std::uint64_t index) {
    store::Statement& stmt = level == 0 ? leaf_ : node_;
    stmt.Reset();
    stmt.Bind(1, ToSql(level == 0 ? index : merkle::CompletionOrder(level, index)));
    PACTUM_ASSIGN_OR_RETURN(bool found, stmt.Step());
    auto what = [&] {
      return "stored hash of subtree (level " + std::to_string(level) + ", index " +
             std::to_string(index) + ")";
    };
    if (!found) return Corruption(what() + " is missing");
    if (level != 0 && (stmt.ColumnInt(1) != level || ToSql(index) != stmt.ColumnInt(2)))
      return Corruption(what() + " is missing: its place holds level " +
                        std::to_string(stmt.ColumnInt(1)) + ", index " +
                        std::to_string(stmt.ColumnInt(2)));
    return HashFromBlob(stmt.ColumnBlob(0), what);
  }

  // Looks in `upper` (the ledger's in-memory copy of the highest levels) before the store.
  merkle::SubtreeHashFn Fn(const Ledger::UpperLevels* upper = nullptr) {
    return [this, upper](unsigned level, std::uint64_t index) -> Result<Hash> {
      if (upper != nullptr) {
        if (auto hash = upper->Find(level, index)) return *hash;
      }
      return Get(level, index);
    };
  }

 private:
  store::Statement leaf_;
  store::Statement node_;
};

Result<std::string> LoadOrCreateOrigin(store::Store& store, const Clock& clock) {
  std::string origin;
  PACTUM_TRY(store.Write([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(
        auto insert,
        db.Prepare("INSERT OR IGNORE INTO log_meta (name, value) VALUES ('origin', ?1)"));
    PACTUM_TRY(insert.Bind(1, "pactum.local/" + NewUuidV7(clock)).Run());
    PACTUM_ASSIGN_OR_RETURN(auto select,
                            db.Prepare("SELECT value FROM log_meta WHERE name = 'origin'"));
    PACTUM_ASSIGN_OR_RETURN(bool found, select.Step());
    if (!found) return Internal("log origin vanished");
    origin = select.ColumnText(0);
    return Status::Ok();
  }));
  return origin;
}

Result<merkle::CompactRange> LoadRange(store::Store& store) {
  std::uint64_t size = 0;
  std::vector<Hash> hashes;
  PACTUM_TRY(store.Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(
        auto count, db.Prepare("SELECT COALESCE(MAX(idx) + 1, 0), COUNT(*) FROM log_leaves"));
    PACTUM_ASSIGN_OR_RETURN(bool row, count.Step());
    if (!row) return Internal("no row from COUNT");
    size = static_cast<std::uint64_t>(count.ColumnInt(0));
    if (count.ColumnInt(1) != count.ColumnInt(0))
      return Corruption("the log has " + std::to_string(count.ColumnInt(1)) +
                        " leaves but its last index is " + std::to_string(count.ColumnInt(0) - 1) +
                        "; run pactum log verify");
    PACTUM_ASSIGN_OR_RETURN(auto reader, SubtreeReader::Prepare(db));
    std::uint64_t start = 0;
    for (int level = 63; level >= 0; --level) {
      const std::uint64_t width = std::uint64_t{1} << level;
      if ((size & width) == 0) continue;
      PACTUM_ASSIGN_OR_RETURN(Hash h, reader.Get(static_cast<unsigned>(level), start >> level));
      hashes.push_back(h);
      start += width;
    }
    return Status::Ok();
  }));
  return merkle::CompactRange::FromHashes(size, std::move(hashes));
}

}  // namespace

namespace {

Status CheckLeaf(const LeafEntry& entry) {
  if (entry.type.empty()) return InvalidArgument("a log leaf needs a type", {{"field", "type"}});
  if (entry.tenant.empty())
    return InvalidArgument("a log leaf needs a tenant", {{"field", "tenant"}});
  return Status::Ok();
}

}  // namespace

Result<std::string> LeafData(const LeafEntry& entry) {
  PACTUM_TRY(CheckLeaf(entry));
  if (entry.prepared) return entry.prepared->data;
  // Written member by member, in RFC 8785's key order, rather than by canonicalising a copy of
  // the leaf: the body (a decision, an evidence item) is most of it and is not copied.
  std::string canonicalised;
  const std::string* body = &entry.canonical_body;
  if (entry.render_body) {
    PACTUM_ASSIGN_OR_RETURN(canonicalised, entry.render_body());
    body = &canonicalised;
  } else if (body->empty()) {
    PACTUM_ASSIGN_OR_RETURN(canonicalised, CanonicalJson(entry.body));
    body = &canonicalised;
  }
  CanonicalWriter leaf(body->size() + entry.tenant.size() + entry.type.size() + 72);
  leaf.BeginObject().Name("body").Canonical(*body).Name("tenant").String(entry.tenant);
  leaf.Name("time").String(FormatRfc3339(entry.time)).Name("type").String(entry.type);
  return std::move(leaf.EndObject()).Finish();
}

Result<PreparedLeaf> PrepareLeaf(const LeafEntry& entry) {
  PreparedLeaf leaf;
  PACTUM_ASSIGN_OR_RETURN(leaf.data, LeafData(entry));
  leaf.leaf_hash = merkle::HashLeaf(leaf.data);
  return leaf;
}

struct Ledger::PendingAppend {
  const LeafEntry* entry = nullptr;
  PreparedLeaf rendered;    // when the sequencer prepared the leaf
  std::uint64_t index = 0;  // set by the commit

  // What the caller prepared, or else what the sequencer did.
  const PreparedLeaf& leaf() const { return entry->prepared ? *entry->prepared : rendered; }
};

// One caller's leaves, queued, committed and answered together. The sequencer turns them into
// leaf data (canonical JSON and hash), so that queueing costs the caller next to nothing, unless
// the caller prepared them.
struct Ledger::PendingBatch {
  std::vector<LeafEntry> owned;  // Enqueue's own copy; AppendBatch's caller keeps its entries
  const std::vector<LeafEntry>* entries = nullptr;
  std::vector<PendingAppend> appends;
  Status status;
  OnDurable on_durable;
  WithLeaves with_leaves;

  Status Prepare() {
    appends.resize(entries->size());
    for (std::size_t i = 0; i < entries->size(); ++i) {
      PendingAppend& p = appends[i];
      p.entry = &(*entries)[i];
      if (!p.entry->prepared) {
        PACTUM_ASSIGN_OR_RETURN(p.rendered, PrepareLeaf(*p.entry));
      }
    }
    return Status::Ok();
  }

  void Answer() {
    if (!status.ok()) return on_durable(status);
    std::vector<Receipt> receipts;
    receipts.reserve(appends.size());
    for (const PendingAppend& p : appends)
      receipts.push_back(Receipt{p.index, p.leaf().leaf_hash});
    on_durable(std::move(receipts));
  }
};

Ledger::Ledger(store::Store& store, Options options, std::string origin, LogKeys keys,
               merkle::CompactRange range, Status damaged)
    : store_(store),
      options_(options),
      origin_(std::move(origin)),
      damaged_(std::move(damaged)),
      keys_(std::move(keys)),
      range_(std::move(range)) {
  answerer_ = std::thread([this] { RunAnswerer(); });
  sequencer_ = std::thread([this] { RunSequencer(); });
}

Ledger::~Ledger() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_.notify_all();
  room_.notify_all();
  sequencer_.join();  // commits what is queued, then tells the answerer it is done
  answerer_.join();
}

Result<std::unique_ptr<Ledger>> Ledger::Open(store::Store& store, Options options) {
  PACTUM_ASSIGN_OR_RETURN(std::string origin, LoadOrCreateOrigin(store, *options.clock));
  PACTUM_ASSIGN_OR_RETURN(auto keys, LogKeys::Open(store.data_dir(), origin));
  auto range = LoadRange(store);
  Status damaged;
  if (!range.ok()) {
    if (range.status().code() != Code::kCorruption) return range.status();
    damaged = Corruption("the stored log is damaged (" + range.status().message() +
                         "); run pactum log verify");
    range = merkle::CompactRange();
  }
  auto ledger = std::unique_ptr<Ledger>(
      new Ledger(store, options, std::move(origin), std::move(keys), std::move(*range), damaged));
  if (damaged.ok()) {
    // Few hashes (n / 2^(kFirstLevel-1)), each read by its place.
    const std::uint64_t size = ledger->Size();
    PACTUM_TRY(store.Read([&](store::Connection& db) -> Status {
      PACTUM_ASSIGN_OR_RETURN(auto reader, SubtreeReader::Prepare(db));
      for (unsigned level = UpperLevels::kFirstLevel; level < 64 && (size >> level) != 0; ++level) {
        for (std::uint64_t index = 0; index < (size >> level); ++index) {
          auto hash = reader.Get(level, index);
          // A missing or damaged hash leaves the rest of its level to the store, where Verify
          // finds it.
          if (!hash.ok() && hash.status().code() != Code::kCorruption) return hash.status();
          if (!hash.ok()) break;
          ledger->upper_.Add(level, index, *hash);
        }
      }
      return Status::Ok();
    }));
  }
  return ledger;
}

Result<Receipt> Ledger::Append(const LeafEntry& entry) {
  PACTUM_ASSIGN_OR_RETURN(std::vector<Receipt> receipts, AppendBatch({entry}));
  return receipts.front();
}

Result<std::vector<Receipt>> Ledger::AppendBatch(const std::vector<LeafEntry>& entries) {
  // The caller's entries outlive the wait, so the batch can point to them: nothing is copied.
  // The promise is shared so that it outlives set_value even once get() has returned.
  auto answer = std::make_shared<std::promise<Result<std::vector<Receipt>>>>();
  auto future = answer->get_future();
  auto batch = std::make_unique<PendingBatch>();
  batch->entries = &entries;
  batch->on_durable = [answer](Result<std::vector<Receipt>> receipts) {
    answer->set_value(std::move(receipts));
  };
  Queue(std::move(batch));
  return future.get();
}

void Ledger::Enqueue(std::vector<LeafEntry> entries, OnDurable on_durable, WithLeaves with_leaves) {
  auto batch = std::make_unique<PendingBatch>();
  batch->owned = std::move(entries);
  batch->entries = &batch->owned;
  batch->on_durable = std::move(on_durable);
  batch->with_leaves = std::move(with_leaves);
  Queue(std::move(batch));
}

std::future<Result<std::vector<Receipt>>> Ledger::Enqueue(std::vector<LeafEntry> entries,
                                                          WithLeaves with_leaves) {
  auto answer = std::make_shared<std::promise<Result<std::vector<Receipt>>>>();
  auto future = answer->get_future();
  Enqueue(
      std::move(entries),
      [answer](Result<std::vector<Receipt>> receipts) { answer->set_value(std::move(receipts)); },
      std::move(with_leaves));
  return future;
}

void Ledger::Queue(std::unique_ptr<PendingBatch> batch) {
  if (!damaged_.ok()) return batch->on_durable(damaged_);
  if (batch->entries->empty()) return batch->on_durable(std::vector<Receipt>{});
  // What the caller got wrong is its error, never a failed commit of other callers' leaves.
  for (const LeafEntry& entry : *batch->entries) {
    if (Status bad = CheckLeaf(entry); !bad.ok()) return batch->on_durable(bad);
  }
  bool wake = false;
  {
    std::unique_lock lock(mu_);
    // The log's own threads never wait for room: only they make it.
    const std::thread::id self = std::this_thread::get_id();
    if (self != sequencer_.get_id() && self != answerer_.get_id()) {
      const std::size_t leaves = batch->entries->size();
      room_.wait(lock, [&] {
        return stopping_ || stats_.queued == 0 ||
               stats_.queued + leaves <= options_.max_queued_leaves;
      });
    }
    if (!stopping_) {
      // The sequencer sleeps only on an empty queue; waking it costs a system call, so only
      // the batch that finds the queue empty does.
      wake = queue_.empty();
      stats_.queued += batch->entries->size();
      queue_.push_back(std::move(batch));
    }
  }
  if (batch) return batch->on_durable(Unavailable("the log is closing"));
  if (wake) work_.notify_one();
}

void Ledger::RunSequencer() {
  NameThisThread("pactum-log-seq");
  std::vector<std::unique_ptr<PendingBatch>> taken;
  std::vector<PendingBatch*> prepared;
  std::vector<PendingAppend*> appends;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) break;  // stopping, with nothing left to commit
      // Whole batches, so that each commits in one transaction; one larger than the limit
      // commits alone.
      std::size_t leaves = 0;
      while (!queue_.empty() &&
             (taken.empty() || leaves + queue_.front()->entries->size() <= kMaxBatch)) {
        leaves += queue_.front()->entries->size();
        taken.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      stats_.queued -= leaves;
    }
    room_.notify_all();
    for (auto& b : taken) {
      b->status = b->Prepare();
      if (!b->status.ok()) continue;  // answered with its error; the others commit
      prepared.push_back(b.get());
      for (PendingAppend& p : b->appends)
        appends.push_back(&p);
    }
    if (!appends.empty()) {
      const auto start = std::chrono::steady_clock::now();
      Status status = CommitBatch(prepared, appends);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      for (auto& b : taken) {
        if (b->status.ok()) b->status = status;
      }
      std::lock_guard lock(mu_);
      ++stats_.commits;
      if (status.ok()) {
        stats_.leaves += appends.size();
      } else {
        ++stats_.failed;
      }
      stats_.seconds += seconds;
      for (std::size_t i = 0; i < CommitStats::kBuckets.size(); ++i) {
        if (seconds <= CommitStats::kBuckets[i]) {
          ++stats_.within[i];
          break;
        }
      }
    }
    // A few callers are answered here: handing them over would cost more than waking them.
    // Many are handed to the answerer, unless it still has earlier batches to answer.
    bool inline_answer = false, wake = false;
    {
      std::lock_guard lock(answers_mu_);
      inline_answer = taken.size() <= kAnswerInline && answers_.empty() && !answering_;
      if (!inline_answer) {
        wake = answers_.empty();
        for (auto& b : taken)
          answers_.push_back(std::move(b));
      }
    }
    if (inline_answer) {
      for (auto& b : taken)
        b->Answer();
    }
    if (wake) answers_ready_.notify_one();
    taken.clear();
    prepared.clear();
    appends.clear();
  }
  {
    std::lock_guard lock(answers_mu_);
    sequencer_done_ = true;
  }
  answers_ready_.notify_one();
}

void Ledger::RunAnswerer() {
  NameThisThread("pactum-log-ans");
  std::deque<std::unique_ptr<PendingBatch>> ready;
  for (;;) {
    {
      std::unique_lock lock(answers_mu_);
      answers_ready_.wait(lock, [&] { return sequencer_done_ || !answers_.empty(); });
      if (answers_.empty()) return;  // the sequencer is done and every batch is answered
      ready.swap(answers_);
      answering_ = true;
    }
    for (auto& b : ready)
      b->Answer();
    ready.clear();
    std::lock_guard lock(answers_mu_);
    answering_ = false;
  }
}

Status Ledger::CommitBatch(const std::vector<PendingBatch*>& batches,
                           std::vector<PendingAppend*>& appends) {
  struct Node {
    unsigned level;
    std::uint64_t index;
    Hash hash;
  };
  // The tree is grown first, in memory: then the leaves and the subtrees they complete are
  // inserted many rows to a statement, and the records the leaves attest after them.
  merkle::CompactRange range;
  {
    std::lock_guard lock(mu_);
    range = range_;
  }
  std::vector<Node> nodes;  // level >= 1: leaf hashes live in log_leaves
  for (PendingAppend* p : appends) {
    p->index = range.size();
    range.Append(p->leaf().leaf_hash, [&](unsigned level, std::uint64_t index, const Hash& hash) {
      if (level > 0) nodes.push_back({level, index, hash});
    });
  }
  PACTUM_TRY(store_.Write([&](store::Connection& db) -> Status {
    // Borrowed: the batches' entries and the nodes outlive the statements.
    constexpr auto kBorrowed = store::Statement::Bytes::kBorrowed;
    PACTUM_TRY(store::InsertRows(db, "log_leaves (idx, tenant, type, time, data, leaf_hash)", 6,
                                 appends.size(), [&](store::Statement& st, int c, std::size_t i) {
                                   const PendingAppend& p = *appends[i];
                                   st.Bind(c, ToSql(p.index))
                                       .Bind(c + 1, p.entry->tenant, kBorrowed)
                                       .Bind(c + 2, p.entry->type, kBorrowed)
                                       .Bind(c + 3, UnixMillis(p.entry->time))
                                       .BindBlob(c + 4, p.leaf().data, kBorrowed)
                                       .BindBlob(c + 5, AsBytes(p.leaf().leaf_hash), kBorrowed);
                                 }));
    PACTUM_TRY(store::InsertRows(db, "log_subtrees (pos, level, idx, hash)", 4, nodes.size(),
                                 [&](store::Statement& st, int c, std::size_t i) {
                                   const Node& n = nodes[i];
                                   st.Bind(c, ToSql(merkle::CompletionOrder(n.level, n.index)))
                                       .Bind(c + 1, std::int64_t{n.level})
                                       .Bind(c + 2, ToSql(n.index))
                                       .BindBlob(c + 3, AsBytes(n.hash), kBorrowed);
                                 }));
    for (PendingAppend* p : appends) {
      if (p->entry->with_leaf) PACTUM_TRY(p->entry->with_leaf(db, p->index));
    }
    for (PendingBatch* b : batches) {
      if (b->with_leaves) PACTUM_TRY(b->with_leaves(db, b->appends.front().index));
    }
    return Status::Ok();
  }));
  std::lock_guard lock(mu_);
  range_ = std::move(range);
  for (const Node& node : nodes) {
    if (node.level >= UpperLevels::kFirstLevel) upper_.Add(node.level, node.index, node.hash);
  }
  return Status::Ok();
}

void Ledger::UpperLevels::Add(unsigned level, std::uint64_t index, const Hash& hash) {
  if (level < kFirstLevel || level >= 64) return;  // no such level in a tree of < 2^64 leaves
  std::lock_guard lock(mu_);
  if (levels_.size() <= level - kFirstLevel) levels_.resize(level - kFirstLevel + 1);
  std::vector<Hash>& nodes = levels_[level - kFirstLevel];
  if (nodes.size() == index) nodes.push_back(hash);
}

std::optional<Hash> Ledger::UpperLevels::Find(unsigned level, std::uint64_t index) const {
  if (level < kFirstLevel) return std::nullopt;
  std::lock_guard lock(mu_);
  if (level - kFirstLevel >= levels_.size()) return std::nullopt;
  const std::vector<Hash>& nodes = levels_[level - kFirstLevel];
  if (index >= nodes.size()) return std::nullopt;
  return nodes[index];
}

std::uint64_t Ledger::Size() const {
  std::lock_guard lock(mu_);
  return range_.size();
}

Ledger::CommitStats Ledger::Stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

Result<std::uint64_t> Ledger::CheckSize(std::optional<std::uint64_t> size) const {
  PACTUM_TRY(damaged_);
  const std::uint64_t current = Size();
  if (!size) return current;
  if (*size > current)
    return InvalidArgument(
        "size " + std::to_string(*size) + " is beyond the log's size " + std::to_string(current),
        {{"field", "size"}});
  return *size;
}

Result<SignedCheckpoint> Ledger::SignAndRecord(std::uint64_t size, const Hash& root) {
  SignedCheckpoint signed_checkpoint;
  signed_checkpoint.checkpoint = crypto::Checkpoint{origin_, size, root, {}};
  {
    std::lock_guard lock(keys_mu_);
    if (last_checkpoint_ && last_checkpoint_->checkpoint == signed_checkpoint.checkpoint)
      return *last_checkpoint_;
    PACTUM_ASSIGN_OR_RETURN(
        signed_checkpoint.note,
        crypto::SignCheckpoint(signed_checkpoint.checkpoint, {&keys_.signer(), 1}));
  }
  // Recorded so that Verify can hold the stored tree to every root the log has vouched for.
  bool recorded = false;
  PACTUM_TRY(store_.Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(auto select,
                            db.Prepare("SELECT 1 FROM log_checkpoints WHERE size = ?1"));
    select.Bind(1, ToSql(size));
    PACTUM_ASSIGN_OR_RETURN(recorded, select.Step());
    return Status::Ok();
  }));
  if (!recorded) {
    PACTUM_TRY(store_.Write([&](store::Connection& db) -> Status {
      PACTUM_ASSIGN_OR_RETURN(
          auto insert,
          db.Prepare("INSERT OR IGNORE INTO log_checkpoints (size, note) VALUES (?1, ?2)"));
      return insert.Bind(1, ToSql(size)).Bind(2, signed_checkpoint.note).Run();
    }));
  }
  std::lock_guard lock(keys_mu_);
  last_checkpoint_ = signed_checkpoint;
  return signed_checkpoint;
}

Result<SignedCheckpoint> Ledger::Checkpoint(std::optional<std::uint64_t> size) {
  PACTUM_TRY(damaged_);
  merkle::CompactRange range;
  {
    std::lock_guard lock(mu_);
    range = range_;
  }
  const std::uint64_t n = size.value_or(range.size());
  if (n > range.size())
    return InvalidArgument(
        "size " + std::to_string(n) + " is beyond the log's size " + std::to_string(range.size()),
        {{"field", "size"}});
  Hash root{};
  if (n == range.size()) {
    root = range.Root();
  } else {
    PACTUM_TRY(store_.Read([&](store::Connection& db) -> Status {
      PACTUM_ASSIGN_OR_RETURN(auto reader, SubtreeReader::Prepare(db));
      PACTUM_ASSIGN_OR_RETURN(root, merkle::TreeRoot(n, reader.Fn(&upper_)));
      return Status::Ok();
    }));
  }
  return SignAndRecord(n, root);
}

Result<merkle::Proof> Ledger::InclusionPath(std::uint64_t index, std::uint64_t size) {
  PACTUM_ASSIGN_OR_RETURN(std::uint64_t n, CheckSize(size));
  if (index >= n)
    return InvalidArgument(
        "index " + std::to_string(index) + " is not below the tree size " + std::to_string(n),
        {{"field", "index"}});
  merkle::Proof path;
  PACTUM_TRY(store_.Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(auto reader, SubtreeReader::Prepare(db));
    PACTUM_ASSIGN_OR_RETURN(path, merkle::InclusionProof(index, n, reader.Fn(&upper_)));
    return Status::Ok();
  }));
  return path;
}

Result<merkle::Proof> Ledger::ConsistencyPath(std::uint64_t from, std::uint64_t to) {
  PACTUM_ASSIGN_OR_RETURN(std::uint64_t n, CheckSize(to));
  if (from == 0 || from > n)
    return InvalidArgument(
        "from must be in [1, to]; got from " + std::to_string(from) + ", to " + std::to_string(n),
        {{"field", "from"}});
  merkle::Proof path;
  PACTUM_TRY(store_.Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(auto reader, SubtreeReader::Prepare(db));
    PACTUM_ASSIGN_OR_RETURN(path, merkle::ConsistencyProof(from, n, reader.Fn(&upper_)));
    return Status::Ok();
  }));
  return path;
}

Result<InclusionProof> Ledger::ProveInclusion(std::uint64_t index,
                                              std::optional<std::uint64_t> size) {
  PACTUM_ASSIGN_OR_RETURN(std::uint64_t n, CheckSize(size));
  InclusionProof proof;
  proof.index = index;
  PACTUM_ASSIGN_OR_RETURN(proof.path, InclusionPath(index, n));
  PACTUM_ASSIGN_OR_RETURN(auto leaf, Leaf(index));
  proof.leaf_hash = leaf.leaf_hash;
  PACTUM_ASSIGN_OR_RETURN(proof.checkpoint, Checkpoint(n));
  return proof;
}

Result<ConsistencyProof> Ledger::ProveConsistency(std::uint64_t from, std::uint64_t to) {
  ConsistencyProof proof;
  PACTUM_ASSIGN_OR_RETURN(proof.path, ConsistencyPath(from, to));
  PACTUM_ASSIGN_OR_RETURN(proof.from, Checkpoint(from));
  PACTUM_ASSIGN_OR_RETURN(proof.to, Checkpoint(to));
  return proof;
}

Result<StoredLeaf> Ledger::Leaf(std::uint64_t index) {
  StoredLeaf leaf;
  PACTUM_TRY(store_.Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(
        auto select,
        db.Prepare("SELECT tenant, type, data, leaf_hash FROM log_leaves WHERE idx = ?1"));
    select.Bind(1, ToSql(index));
    PACTUM_ASSIGN_OR_RETURN(bool found, select.Step());
    if (!found) return NotFound("no leaf at index " + std::to_string(index), {{"field", "index"}});
    leaf.index = index;
    leaf.tenant = select.ColumnText(0);
    leaf.type = select.ColumnText(1);
    leaf.data = select.ColumnBlob(2);
    PACTUM_ASSIGN_OR_RETURN(leaf.leaf_hash, HashFromBlob(select.ColumnBlob(3),
                                                         [] { return std::string("leaf hash"); }));
    return Status::Ok();
  }));
  return leaf;
}

namespace {

// Why stored leaf data is not what an append would have written, or empty.
std::string CheckLeafData(std::string_view data, std::string_view tenant, std::string_view type,
                          std::int64_t time) {
  auto canonical = CanonicalizeJsonText(data);
  if (!canonical.ok()) return "its data is not JSON: " + canonical.status().message();
  if (*canonical != data) return "its data is not in canonical form";
  auto leaf = ParseJson(data);
  if (!leaf.ok() || !leaf->is_object() || leaf->size() != 4 || !leaf->contains("body"))
    return "its data is not a {type, tenant, time, body} object";
  const Json& j = *leaf;
  if (!j["type"].is_string() || j["type"].get<std::string>() != type)
    return "its type column differs from its data";
  if (!j["tenant"].is_string() || j["tenant"].get<std::string>() != tenant)
    return "its tenant column differs from its data";
  if (!j["time"].is_string()) return "its time is not a string";
  auto parsed = ParseRfc3339(j["time"].get<std::string>());
  if (!parsed.ok() || UnixMillis(*parsed) != time) return "its time column differs from its data";
  return "";
}

}  // namespace

Result<VerifyReport> Ledger::Verify() {
  VerifyReport report;
  std::vector<crypto::NoteVerifier> verifiers = Verifiers();
  PACTUM_TRY(store_.Read([&](store::Connection& db) -> Status {
    auto fail = [&](std::uint64_t index, std::string problem) {
      if (report.ok()) {
        report.first_bad_index = index;
        report.problem = std::move(problem);
      }
    };
    // Every recorded checkpoint must be a valid note of this log before its root is trusted.
    std::map<std::uint64_t, Hash> roots;
    {
      PACTUM_ASSIGN_OR_RETURN(auto select,
                              db.Prepare("SELECT size, note FROM log_checkpoints ORDER BY size"));
      for (;;) {
        PACTUM_ASSIGN_OR_RETURN(bool row, select.Step());
        if (!row) break;
        const auto size = static_cast<std::uint64_t>(select.ColumnInt(0));
        auto opened = crypto::OpenCheckpoint(select.ColumnText(1), origin_, verifiers);
        if (!opened.ok() || opened->size != size) {
          fail(size == 0 ? 0 : size - 1,
               "the checkpoint recorded at size " + std::to_string(size) + " does not verify" +
                   (opened.ok() ? ": it is for size " + std::to_string(opened->size)
                                : ": " + opened.status().message()));
          return Status::Ok();
        }
        roots[size] = opened->root;
      }
    }

    // The stored subtree hashes are in the order the recomputation completes them: one
    // cursor reads them alongside.
    PACTUM_ASSIGN_OR_RETURN(auto nodes,
                            db.Prepare("SELECT level, idx, hash FROM log_subtrees ORDER BY pos"));

    merkle::CompactRange range;
    std::uint64_t verified_up_to = 0;  // leaves before this index matched a recorded checkpoint
    Status node_status;
    auto check_node = [&](unsigned level, std::uint64_t index, const Hash& hash) {
      if (level == 0 || !node_status.ok() || !report.ok()) return;
      const std::uint64_t first = index << level;
      const std::string where = "the stored hash of subtree (level " + std::to_string(level) +
                                ", index " + std::to_string(index) + ") over leaves [" +
                                std::to_string(first) + ", " +
                                std::to_string((index + 1) << level) + ")";
      auto row = nodes.Step();
      if (!row.ok()) {
        node_status = row.status();
        return;
      }
      if (!*row) return fail(first, where + " is missing");
      if (nodes.ColumnInt(0) != level || static_cast<std::uint64_t>(nodes.ColumnInt(1)) != index)
        return fail(first, where + " is missing (found level " +
                               std::to_string(nodes.ColumnInt(0)) + ", index " +
                               std::to_string(nodes.ColumnInt(1)) + " in its place)");
      if (nodes.ColumnBlob(2) != AsBytes(hash))
        fail(first, where + " differs from the recomputed hash");
    };

    PACTUM_ASSIGN_OR_RETURN(
        auto leaves,
        db.Prepare("SELECT idx, tenant, type, time, data, leaf_hash FROM log_leaves ORDER BY idx"));
    for (;;) {
      PACTUM_ASSIGN_OR_RETURN(bool row, leaves.Step());
      if (!row) break;
      const std::uint64_t expected = range.size();
      const auto idx = static_cast<std::uint64_t>(leaves.ColumnInt(0));
      if (idx != expected) {
        fail(expected, "leaf " + std::to_string(expected) +
                           " is missing (the next stored leaf is " + std::to_string(idx) + ")");
        break;
      }
      const std::string data = leaves.ColumnBlob(4);
      const Hash hash = merkle::HashLeaf(data);
      if (leaves.ColumnBlob(5) != AsBytes(hash)) {
        fail(idx, "leaf " + std::to_string(idx) + ": its stored hash does not match its data");
        break;
      }
      std::string problem =
          CheckLeafData(data, leaves.ColumnText(1), leaves.ColumnText(2), leaves.ColumnInt(3));
      if (!problem.empty()) {
        fail(idx, "leaf " + std::to_string(idx) + ": " + problem);
        break;
      }
      range.Append(hash, check_node);
      PACTUM_TRY(node_status);
      if (!report.ok()) break;
      if (auto it = roots.find(range.size()); it != roots.end()) {
        if (range.Root() != it->second) {
          fail(verified_up_to,
               "the root of the first " + std::to_string(range.size()) +
                   " leaves differs from the signed checkpoint of that size; leaves from " +
                   std::to_string(verified_up_to) + " on were rewritten");
          break;
        }
        verified_up_to = range.size();
        ++report.checkpoints_checked;
      }
    }
    report.size = range.size();
    if (!report.ok()) return Status::Ok();
    if (!roots.empty() && roots.rbegin()->first > range.size()) {
      fail(range.size(), "a checkpoint of size " + std::to_string(roots.rbegin()->first) +
                             " was signed but only " + std::to_string(range.size()) +
                             " leaves are stored");
      return Status::Ok();
    }
    // Stored subtrees the leaves do not account for.
    PACTUM_ASSIGN_OR_RETURN(bool extra, nodes.Step());
    if (extra) {
      const auto level = static_cast<unsigned>(nodes.ColumnInt(0));
      const auto index = static_cast<std::uint64_t>(nodes.ColumnInt(1));
      fail(level < 64 ? std::min(index << level, range.size()) : range.size(),
           "a subtree hash is stored at level " + std::to_string(level) + ", index " +
               std::to_string(index) + " that no stored leaves complete");
    }
    return Status::Ok();
  }));
  return report;
}

Status Ledger::RotateKey() {
  std::lock_guard lock(keys_mu_);
  last_checkpoint_.reset();
  return keys_.Rotate();
}

std::vector<crypto::NoteVerifier> Ledger::Verifiers() const {
  std::lock_guard lock(keys_mu_);
  return keys_.verifiers();
}

Result<crypto::DsseEnvelope> Ledger::SignStatement(const crypto::Statement& statement) const {
  PACTUM_ASSIGN_OR_RETURN(Json json, statement.ToJson());
  crypto::DsseEnvelope envelope;
  envelope.payload = json.dump();
  envelope.payload_type = std::string(crypto::kInTotoPayloadType);
  std::lock_guard lock(keys_mu_);
  PACTUM_TRY(crypto::SignEnvelope(envelope, keys_.key().public_key().Fingerprint(), keys_.key()));
  return envelope;
}

}  // namespace pactum::ledger
