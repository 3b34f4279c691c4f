// The transparency log (DESIGN §7): an append-only Merkle tree of leaves on the store.
//
// A leaf is the RFC 8785 canonical JSON of {"type", "tenant", "time", "body"} (time in RFC 3339
// UTC); it is hashed as RFC 6962 prescribes. Append returns only once its leaf is committed
// to disk. Concurrent appends are sequenced by one writer thread that takes every pending
// append into one transaction (group commit), so they share one fsync. Enqueue hands leaves to
// that thread without waiting, so one caller can have many batches in flight. When a commit
// has many callers, they are answered by a second thread, in commit order, so that waking them
// (a system call each) overlaps the next commit instead of delaying it.
//
// Each transaction stores its leaves and the hashes of every complete subtree they complete,
// so a proof costs O(log n) reads and the in-memory compact range is recovered at open from
// O(log n) stored hashes. Checkpoints are C2SP signed notes under the origin
// "pactum.local/<install id>"; every checkpoint handed out is recorded, and Verify recomputes
// every hash from the stored leaf data and checks it against those records.
//
// Thread-safe. One process appends to a data folder at a time: a second appender's batches
// collide on the leaf index and fail (rolled back, nothing half-written), they do not fork the
// tree. Reading, proving and checkpointing from other processes is safe.
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "pactum/base/clock.h"
#include "pactum/base/status.h"
#include "pactum/crypto/checkpoint.h"
#include "pactum/crypto/dsse.h"
#include "pactum/crypto/statement.h"
#include "pactum/ledger/log_keys.h"
#include "pactum/merkle/compact_range.h"
#include "pactum/merkle/proof.h"
#include "pactum/store/store.h"

namespace pactum::ledger {

// A leaf's data (canonical JSON) and hash, as the log stores them.
struct PreparedLeaf {
  std::string data;
  merkle::Hash leaf_hash{};
};

struct LeafEntry {
  using WithLeaf = std::function<Status(store::Connection&, std::uint64_t index)>;
  LeafEntry() = default;
  LeafEntry(std::string leaf_type, std::string leaf_tenant, TimePoint leaf_time,
            Json leaf_body = Json::object(), WithLeaf on_commit = nullptr)
      : type(std::move(leaf_type)),
        tenant(std::move(leaf_tenant)),
        time(leaf_time),
        body(std::move(leaf_body)),
        with_leaf(std::move(on_commit)) {}

  std::string type;    // e.g. "pact.version"; non-empty
  std::string tenant;  // the tenant the leaf belongs to; non-empty
  TimePoint time;
  Json body = Json::object();
  // When set, the body's canonical JSON (RFC 8785), used instead of `body`: for callers that
  // write it directly (CanonicalWriter) rather than build a document to be canonicalised.
  std::string canonical_body;
  // When set, writes the body's canonical JSON on the sequencer, in place of the two above: for
  // callers that should not wait for it (a decision is answered once its leaf is queued). It
  // runs before the leaf commits and never after its batch is answered; a failure fails the
  // batch, as a leaf with no canonical form does.
  std::function<Result<std::string>()> render_body;
  // When set, the leaf's data and hash as PrepareLeaf(entry) returns them, in place of the three
  // forms of the body above: for callers that wait for the commit anyway and would rather spend
  // their own thread than the sequencer's, the one every append waits on. The type, tenant and
  // time still fill the leaf's columns, so they must be those it was prepared with.
  std::optional<PreparedLeaf> prepared;
  // Runs on the sequencer inside the transaction that commits the leaf, given the leaf's
  // index, so that a record written here (the evidence row the leaf attests) is durable exactly
  // when its leaf is. A failure rolls back the whole batch, other appenders' leaves too: it
  // must fail only when the store does, never on the caller's input (validate first).
  WithLeaf with_leaf;
};

// The canonical leaf data of `entry` (what is hashed and stored).
Result<std::string> LeafData(const LeafEntry& entry);
// The leaf data and its RFC 6962 leaf hash.
Result<PreparedLeaf> PrepareLeaf(const LeafEntry& entry);

struct Receipt {
  std::uint64_t index = 0;
  merkle::Hash leaf_hash{};
};

struct StoredLeaf {
  std::uint64_t index = 0;
  std::string tenant;
  std::string type;
  std::string data;  // the canonical JSON, as hashed
  merkle::Hash leaf_hash{};
};

struct SignedCheckpoint {
  crypto::Checkpoint checkpoint;
  std::string note;  // the signed note text
};

struct InclusionProof {
  std::uint64_t index = 0;
  merkle::Hash leaf_hash{};
  merkle::Proof path;
  SignedCheckpoint checkpoint;  // at the proof's tree size
};

struct ConsistencyProof {
  merkle::Proof path;
  SignedCheckpoint from;
  SignedCheckpoint to;
};

// What Verify found. ok() when first_bad_index is unset.
struct VerifyReport {
  std::uint64_t size = 0;
  std::uint64_t checkpoints_checked = 0;
  std::optional<std::uint64_t> first_bad_index;
  std::string problem;  // why that index is bad
  bool ok() const { return !first_bad_index.has_value(); }
};

class Ledger {
 public:
  struct Options {
    const Clock* clock = &SystemClock();
    // Leaves waiting for the sequencer at most. A caller whose batch would go beyond it waits
    // for commits to make room, so that callers faster than the disk hold the queue's memory to
    // this rather than grow it without end; a larger batch is taken once the queue is empty.
    std::size_t max_queued_leaves = 16384;
  };

  // Opens the log on `store` (its keys live in the store's data folder) and starts the
  // sequencer. `store` must outlive the ledger. A log whose stored tree cannot be resumed
  // (missing leaves or hashes) still opens, so that Verify can say what is wrong; everything
  // else then fails with kCorruption.
  static Result<std::unique_ptr<Ledger>> Open(store::Store& store, Options options);
  static Result<std::unique_ptr<Ledger>> Open(store::Store& store) {
    return Open(store, Options());
  }
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // Appends the leaf and waits until it is durable. An empty type or tenant is rejected.
  Result<Receipt> Append(const LeafEntry& entry);
  // Appends the leaves, consecutively and in order, and waits until all are durable. They
  // commit in one transaction (shared with other appenders' leaves), all or none.
  Result<std::vector<Receipt>> AppendBatch(const std::vector<LeafEntry>& entries);

  // Queues the leaves as AppendBatch does and returns: at once, unless the queue holds
  // Options::max_queued_leaves already, when it waits for room (not when called from the log's
  // own threads, in an `on_durable`). The leaf data (canonical JSON, hash) is written by the
  // sequencer thread. `on_durable` gets the receipts (or the error) once the leaves are
  // committed, in commit order, on the sequencer or the log's answer thread, so it must be quick
  // and must not wait for the log (later commits and answers wait for it). A leaf without type
  // or tenant, or a damaged or closing log, is answered on the caller's thread before Enqueue
  // returns; a leaf with no canonical form (NaN, invalid UTF-8) fails its own batch only.
  // Every queued batch is answered, also when the ledger is destroyed with batches still queued
  // (they commit first).
  //
  // `with_leaves`, when set, runs on the sequencer inside the transaction that commits the
  // leaves, after them and their entries' `with_leaf`, given the index of the first (the others
  // follow it in order): the records the leaves attest written together (the evidence rows of a
  // submission, many to an INSERT), durable exactly when the leaves are. Its failure rolls back
  // the whole transaction, as `with_leaf`'s does.
  using OnDurable = std::function<void(Result<std::vector<Receipt>>)>;
  using WithLeaves = std::function<Status(store::Connection&, std::uint64_t first_index)>;
  void Enqueue(std::vector<LeafEntry> entries, OnDurable on_durable,
               WithLeaves with_leaves = nullptr);
  // The same, answered through a future.
  std::future<Result<std::vector<Receipt>>> Enqueue(std::vector<LeafEntry> entries,
                                                    WithLeaves with_leaves = nullptr);

  // The number of durable leaves.
  std::uint64_t Size() const;

  // What the sequencer has done since the log opened, for monitoring (GET /metrics): its
  // transactions, the leaves they committed, the leaves waiting now, and how long each took
  // from its first insert to its fsync's return (what a caller waits for, after its turn).
  struct CommitStats {
    static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,   0.1,   0.25,   0.5,   1,    5};
    std::uint64_t commits = 0;  // transactions, failed ones included
    std::uint64_t failed = 0;
    std::uint64_t leaves = 0;                             // leaves committed
    std::uint64_t queued = 0;                             // leaves waiting for the sequencer now
    std::array<std::uint64_t, kBuckets.size()> within{};  // commits at most kBuckets[i] long
    double seconds = 0;                                   // all commits together
  };
  CommitStats Stats() const;

  // A signed checkpoint of the whole log, or of its first `size` leaves (size <= Size()).
  Result<SignedCheckpoint> Checkpoint(std::optional<std::uint64_t> size = std::nullopt);

  // The inclusion proof of leaf `index` in the tree of `size` leaves (default: the whole log).
  Result<InclusionProof> ProveInclusion(std::uint64_t index,
                                        std::optional<std::uint64_t> size = std::nullopt);
  // The consistency proof between the trees of `from` and `to` leaves (0 < from <= to).
  Result<ConsistencyProof> ProveConsistency(std::uint64_t from, std::uint64_t to);

  // The proofs alone, without the checkpoints they verify against (RFC 9162 PATH and PROOF).
  Result<merkle::Proof> InclusionPath(std::uint64_t index, std::uint64_t size);
  Result<merkle::Proof> ConsistencyPath(std::uint64_t from, std::uint64_t to);

  Result<StoredLeaf> Leaf(std::uint64_t index);

  // Recomputes every leaf hash, every stored subtree hash and the root of every recorded
  // checkpoint from the stored leaf data, and reports the first index where they disagree.
  // Fails only if the store cannot be read.
  Result<VerifyReport> Verify();

  // A fresh signing key; checkpoints signed with the old one keep verifying.
  Status RotateKey();

  const std::string& origin() const { return origin_; }
  // Current and retired keys, current first.
  std::vector<crypto::NoteVerifier> Verifiers() const;
  // `statement` as a DSSE envelope (payloadType application/vnd.in-toto+json) signed with the
  // log's current key, under the key id `pactum verify` expects: the key's fingerprint.
  Result<crypto::DsseEnvelope> SignStatement(const crypto::Statement& statement) const;

  // The hashes of the committed subtrees of at least 2^kFirstLevel leaves, kept in memory
  // (n / 2^(kFirstLevel-1) hashes for n leaves) so a proof reads only its lowest levels from
  // the store. Verify never uses them: it recomputes from the stored leaves.
  class UpperLevels {
   public:
    static constexpr unsigned kFirstLevel = 10;
    // Nodes arrive in index order within a level; one out of order (a gap) is not kept.
    void Add(unsigned level, std::uint64_t index, const merkle::Hash& hash);
    std::optional<merkle::Hash> Find(unsigned level, std::uint64_t index) const;

   private:
    mutable std::mutex mu_;
    std::vector<std::vector<merkle::Hash>> levels_;
  };

 private:
  struct PendingAppend;
  struct PendingBatch;

  Ledger(store::Store& store, Options options, std::string origin, LogKeys keys,
         merkle::CompactRange range, Status damaged);
  // Queues the batch for the sequencer; a batch it rejects is answered at once.
  void Queue(std::unique_ptr<PendingBatch> batch);
  void RunSequencer();
  // Answers committed batches, in commit order, until the sequencer has stopped.
  void RunAnswerer();
  // Commits the leaves of `batches` (every one prepared), whose appends `appends` holds in order.
  Status CommitBatch(const std::vector<PendingBatch*>& batches,
                     std::vector<PendingAppend*>& appends);
  Result<SignedCheckpoint> SignAndRecord(std::uint64_t size, const merkle::Hash& root);
  Result<std::uint64_t> CheckSize(std::optional<std::uint64_t> size) const;

  store::Store& store_;
  Options options_;
  const std::string origin_;
  const Status damaged_;  // why the tree could not be resumed at open, if it could not

  mutable std::mutex keys_mu_;
  LogKeys keys_;
  // The last checkpoint signed and recorded: asked for again and again while the log is idle.
  std::optional<SignedCheckpoint> last_checkpoint_;

  // The sequencer's queue; range_ is the state after the last committed batch.
  mutable std::mutex mu_;
  std::condition_variable work_;
  std::condition_variable room_;  // the queue has room again, or the log is closing
  std::deque<std::unique_ptr<PendingBatch>> queue_;
  CommitStats stats_;  // stats_.queued counts the leaves in queue_
  bool stopping_ = false;
  merkle::CompactRange range_;
  UpperLevels upper_;

  // Committed (or failed) batches waiting to be answered.
  std::mutex answers_mu_;
  std::condition_variable answers_ready_;
  std::deque<std::unique_ptr<PendingBatch>> answers_;
  bool answering_ = false;  // the answerer is answering batches taken off answers_
  bool sequencer_done_ = false;

  std::thread answerer_;
  std::thread sequencer_;
};

}  // namespace pactum::ledger
