// The application core: the one object surfaces (HTTP server, CLI) talk to. It owns the store
// and the clock, and exposes the operations of the product in domain terms. Later issues add
// the loop (pacts, evidence, trust, decisions, log) here; surfaces never reach past it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "pactum/base/clock.h"
#include "pactum/base/file.h"
#include "pactum/base/hash_index.h"
#include "pactum/base/periodic.h"
#include "pactum/base/status.h"
#include "pactum/base/work_pool.h"
#include "pactum/control/control.h"
#include "pactum/ledger/bundle.h"
#include "pactum/ledger/ledger.h"
#include "pactum/service/auth.h"
#include "pactum/service/key_cache.h"
#include "pactum/service/review_waits.h"
#include "pactum/service/trust_book.h"
#include "pactum/trust/trust.h"

namespace pactum::store {
class Store;
}

namespace pactum::service {

struct ServiceOptions {
  std::filesystem::path data_dir = "var";
  const Clock* clock = &SystemClock();
  trust::TrustConfig trust = trust::TrustConfig::Default();
  // Rebuild live trust from the store at open (and log events a crash left unlogged). The
  // server needs it; operator commands that only read keys or the log do not.
  bool load_trust = true;
  // How often overdue reviews are looked for (with load_trust only; zero: never).
  std::chrono::milliseconds review_sweep{1000};
};

// Options for operator commands at the machine (keys, log): no live trust.
inline ServiceOptions OperatorOptions(std::filesystem::path data_dir) {
  ServiceOptions options;
  options.data_dir = std::move(data_dir);
  options.load_trust = false;
  return options;
}

// One evidence item as a surface received it: the JSON object, the Idempotency-Key header if
// any (the item's own `idempotency_key` field otherwise), and where it came from for error
// messages ("line 17"; empty for a single item).
struct EvidenceSubmission {
  EvidenceSubmission() = default;
  EvidenceSubmission(Json json, std::optional<std::string> key, std::string at)
      : item(std::move(json)), idempotency_key(std::move(key)), where(std::move(at)) {}
  // Line `number` of a JSON Lines body, as text: parsed where the item is read, in parallel
  // with the request's other items, not on the io thread one line after another. A malformed
  // one is an error naming the line.
  static EvidenceSubmission Line(std::string json_text, std::size_t number) {
    EvidenceSubmission s({}, std::nullopt, "line " + std::to_string(number));
    s.text = std::move(json_text);
    s.line = number;
    return s;
  }

  Json item;
  std::optional<std::string> idempotency_key;
  std::string where;
  std::string text;      // the item as JSON text, when `item` is null (Line)
  std::size_t line = 0;  // its line in the body
};

// What became of a submitted item: a new record with its log receipt, or the record an earlier
// submission with the same idempotency key created (duplicate, counted once).
struct EvidenceReceipt {
  std::string id;
  bool duplicate = false;
  std::uint64_t log_index = 0;
  std::string leaf_hash;            // base64, as the log's proofs carry it
  std::vector<std::string> events;  // types of the events this item caused (new items only)
};

// A decision as answered: control's decision, its id and the pact it was made under, and the
// log receipt that makes it durable (none only when recording failed: the decision is then a
// deny).
struct DecisionRecord {
  std::string id;
  control::Decision decision;
  Json pact;              // {name, version, hash}
  std::string review_id;  // set when the decision waits for, or was sampled for, review
  std::optional<ledger::Receipt> receipt;
};

// A decide request from its JSON form (docs/API.md); errors name the field.
Result<control::DecideRequest> DecideRequestFromJson(const Json& body);
// The JSON answer of POST /v1/decide, in canonical JSON (written, as the leaf body is, without
// building a document): control::ToJson's members with the record's id, pact, review id and
// receipt (null when the decision was not recorded).
Result<std::string> DecisionAnswer(const DecisionRecord& record);
// The body of the decision's log leaf, in canonical JSON (RFC 8785), written without building a
// document: control::ToJson's members with the record's id, pact and review id and the
// request's agent, workflow, action, resource and context.
Result<std::string> DecisionLeafBody(const DecisionRecord& record,
                                     const control::DecideRequest& request);

struct EventQuery {
  std::optional<std::string> agent, workflow, type;
  std::optional<std::uint64_t> after;  // log index
  std::size_t limit = 100;
};

class Service {
 public:
  static Result<std::unique_ptr<Service>> Open(const ServiceOptions& options);
  ~Service();

  // On a store with no API keys at all, creates the tenant "default" and an admin key for it
  // and returns the key; otherwise returns nothing. This is how a fresh install is entered.
  Result<std::optional<IssuedKey>> Bootstrap();

  // Resolves a bearer secret to its caller. Unknown, malformed and revoked keys all fail with
  // the same kUnauthenticated message, so the answer reveals nothing about which it was. Live
  // keys are cached; a revocation, from any process, ends that at once (key_cache.h).
  Result<Principal> Authenticate(std::string_view secret);

  // Keys, as seen by an authenticated caller: always within the caller's tenant.
  Result<IssuedKey> CreateKey(const Principal& caller, std::string_view name,
                              const std::vector<std::string>& scopes);
  Result<std::vector<ApiKey>> ListKeys(const Principal& caller);
  Status RevokeKey(const Principal& caller, std::string_view key_id);

  // Keys, as the operator at the machine sees them (the CLI, with the data folder in hand).
  // CreateOperatorKey creates the tenant if it does not exist.
  Result<IssuedKey> CreateOperatorKey(std::string_view tenant_name, std::string_view name,
                                      const std::vector<std::string>& scopes);
  Result<std::vector<ApiKey>> ListAllKeys(std::optional<std::string> tenant_name);
  Status RevokeAnyKey(std::string_view key_id);

  // OK if the store answers a read.
  Status CheckHealth();

  // The transparency log (DESIGN §7, docs/LOG.md): one log for the installation, each leaf
  // carrying its tenant. Checkpoints and proofs reveal only hashes and are shared by all
  // tenants; leaf contents are visible to their own tenant (and the operator) only.
  Result<ledger::Receipt> AppendLeaf(std::string_view type, std::string_view tenant, Json body);
  // The signed checkpoint (C2SP note) of the whole log, or of its first `size` leaves.
  Result<std::string> LogCheckpoint(std::optional<std::uint64_t> size = std::nullopt);
  // Proof bundles (ledger/bundle.h); `with_leaf` adds the leaf's data (operator use only).
  Result<Json> LogInclusionProof(std::uint64_t index, std::optional<std::uint64_t> size,
                                 bool with_leaf = false);
  Result<Json> LogConsistencyProof(std::uint64_t from, std::optional<std::uint64_t> to);
  // A leaf as the caller's tenant sees it: another tenant's leaf is NotFound, as a missing one.
  Result<Json> LogLeaf(const Principal& caller, std::uint64_t index);
  // Any leaf, as the operator at the machine sees it.
  Result<Json> LogLeafAsOperator(std::uint64_t index);
  Result<ledger::VerifyReport> VerifyLog();
  Status RotateLogKey();
  // A key file for offline verification: the current key as PEM, then every key (current and
  // retired) as a note verifier key line.
  Result<std::string> LogKeyFile();
  std::uint64_t LogSize() const;
  // The log's group commits since the service opened (docs/OPERATIONS.md, Metrics).
  ledger::Ledger::CommitStats LogCommitStats() const;

  // Agents (DESIGN §2). `body` is the agent's JSON (docs/API.md); its `assets` hash to the
  // fingerprint. Register fails with kAlreadyExists for a known id; Update replaces the record
  // and, when the assets changed, makes the agent's capability evidence stale.
  Result<Json> RegisterAgent(const Principal& caller, const Json& body);
  Result<Json> UpdateAgent(const Principal& caller, std::string_view id, const Json& body);
  Result<Json> GetAgent(const Principal& caller, std::string_view id);
  Result<Json> ListAgents(const Principal& caller);

  // Pacts (DESIGN §4): `pact_json` is the canonical JSON form (pact/pact.h ToJson), as
  // `pactum pact publish` sends it. Published versions are immutable: the same name and version
  // with another hash is kConflict; with the same hash it is answered again (created false).
  struct Publication {
    Json pact;  // {name, version, workflow, hash, log_index, published_at, body}
    bool created = false;
  };
  Result<Publication> PublishPact(const Principal& caller, const Json& pact_json);
  Result<Json> GetPact(const Principal& caller, std::string_view name,
                       std::optional<std::int64_t> version);
  Result<Json> ListPacts(const Principal& caller);

  // Evidence (DESIGN §2): validates every item first (an error names the item's `where` and the
  // field, and stores nothing), then records the new ones durably, each with its log leaf,
  // and updates trust. Idempotency keys make a retried submission count once.
  Result<std::vector<EvidenceReceipt>> SubmitEvidence(const Principal& caller,
                                                      std::vector<EvidenceSubmission> items);

  // Explained trust of an agent (docs/API.md): in one workflow, or in every workflow it has
  // trust in (and those a pact covers) when `workflow` is empty.
  Result<Json> ExplainTrust(const Principal& caller, std::string_view agent_id,
                            std::optional<std::string> workflow);
  // The live trust state decide reads.
  Result<trust::TrustSnapshot> TrustSnapshot(const Principal& caller, std::string_view agent_id,
                                             std::string_view workflow);
  Result<Json> ListEvents(const Principal& caller, const EventQuery& query);

  // Runtime decisions (DESIGN §6, docs/DECIDE.md), one answer per request in order: an unknown
  // agent or uncovered workflow is kNotFound, a request its pact's schema rejects
  // kInvalidArgument. Each decision is a log leaf; the receipts of a call share one commit.
  Result<std::vector<Result<DecisionRecord>>> Decide(
      const Principal& caller, const std::vector<control::DecideRequest>& requests);
  // The same without waiting: the decisions are made and their leaves queued for the log when
  // this returns, and `done` gets the answers once the leaves are durable (or fail closed),
  // on the log's thread — it must be quick (hand the answers on; never wait for the log).
  // In-process callers that act before the receipt use this; the HTTP API answers from `done`.
  // The requests are kept until then: the log writes each leaf's body from its request and
  // decision on its own thread, off the caller's path.
  using DecisionsDone = std::function<void(Result<std::vector<Result<DecisionRecord>>>)>;
  void Decide(const Principal& caller, std::vector<control::DecideRequest> requests,
              DecisionsDone done);

  // ---- Reviews (reviews.cc) ----

  // Reviews (DESIGN §6, docs/API.md): an escalation waits for its reviewer until its deadline
  // (the pact's review_sla); a sampled `supervised` allow is looked at afterwards. A review is
  // created with its decision's leaf, durable with it.
  struct ReviewQuery {
    // status: pending, approved, denied, or overdue (pending past its deadline).
    std::optional<std::string> owner, status, agent, workflow;
    std::size_t limit = 100;
  };
  Result<Json> ListReviews(const Principal& caller, const ReviewQuery& query);
  // The review with the decision it is about.
  Result<Json> GetReview(const Principal& caller, std::string_view id);
  // Approves or denies. The resolution is production evidence about the agent's judgement (a
  // review_resolution item, so trust moves) and a review.resolved event, durable together with
  // the review's new state. A review no longer pending is kConflict.
  Result<Json> ResolveReview(const Principal& caller, std::string_view id, bool approve,
                             const std::string& note);
  // Calls `done` once with the review, when it is resolved or `wait` has passed (at once if it
  // is not pending), on a service thread: no caller's thread is held while a human decides.
  // Returns at once without touching the store, so a Decide completion may call it.
  void AwaitReview(const Principal& caller, std::string_view id, std::chrono::milliseconds wait,
                   std::function<void(Result<Json>)> done);
  // Answers every waiting AwaitReview now (with the review as it is). The server calls it when
  // it stops, while it can still send the answers.
  void ReleaseReviewWaits();
  // Raises review.overdue once for each pending review past its deadline (all tenants). The
  // service runs it every ServiceOptions::review_sweep; tests may call it.
  Status AnnounceOverdueReviews();

  // Switches a published pact between shadow and enforce (the caller needs `admin`; the
  // surface checks). The switch is a log leaf and holds until the next switch or a newer
  // version of the pact, whose own mode then applies.
  Result<Json> SetPactMode(const Principal& caller, std::string_view pact_name, pact::Mode mode);

  // ---- Scorecards and trust packets (scorecards.cc, packets.cc) ----

  // Weekly scorecards (DESIGN §9, docs/API.md "Scorecards"): the KPIs of each (agent,
  // workflow) over [from, to). `to` defaults to now and `from` to a week before it; `weeks`
  // asks for that many consecutive 7-day cards ending at `to` instead (not with `from`).
  // With both agent and workflow a card is made even without data; otherwise one per pair
  // with evidence, decisions or reviews in the period. Every KPI carries its sample size `n`
  // and is null where it has no data.
  struct ScorecardQuery {
    std::optional<std::string> agent, workflow;
    std::optional<TimePoint> from, to;
    std::optional<int> weeks;  // 1..52
  };
  Result<Json> Scorecards(const Principal& caller, const ScorecardQuery& query);

  // The trust packet of the agent in the workflow (docs/PACKETS.md): a DSSE envelope around
  // an in-toto statement about the agent (its fingerprint as digest) whose predicate is the
  // packet, signed with the log's key, with inclusion proofs of the leaves it cites.
  Result<Json> TrustPacket(const Principal& caller, std::string_view agent,
                           std::string_view workflow);

  // ---- Webhooks (webhooks.cc; docs/WEBHOOKS.md) ----

  // Subscriptions of the caller's tenant (Standard Webhooks). `body` is {url, events[],
  // description?}; errors name the field (`events[1]`). Only the answer of Create carries the
  // signing secret. Another tenant's subscription is NotFound, as a missing one.
  Result<Json> CreateWebhook(const Principal& caller, const Json& body);
  Result<Json> ListWebhooks(const Principal& caller);
  Result<Json> GetWebhook(const Principal& caller, std::string_view id);
  Status DeleteWebhook(const Principal& caller, std::string_view id);
  // Enables a subscription again (e.g. one disabled for failing): its failures are forgotten
  // and its pending deliveries go out now.
  Result<Json> EnableWebhook(const Principal& caller, std::string_view id);
  // Its deliveries, newest event first; `status` is pending, delivered or failed.
  Result<Json> ListWebhookDeliveries(const Principal& caller, std::string_view id,
                                     std::optional<std::string> status, std::size_t limit);
  // Sends a webhook.test message now and reports the receiver's answer: {delivered, status,
  // latency_ms, error, response}. It touches no delivery and no failure count.
  Result<Json> TestWebhook(const Principal& caller, std::string_view id);

  // Background delivery of the outbox: at least once, in log order per subscription, with
  // exponential backoff; a subscription is disabled after `disable_after` consecutive failed
  // attempts (or a 410 Gone) and its pending deliveries wait for it to be enabled.
  struct WebhookDeliveryOptions {
    std::chrono::milliseconds retry_base{5'000};
    std::chrono::milliseconds retry_cap{3'600'000};
    int disable_after = 10;
    int give_up_after = 50;  // attempts of one delivery, across enablings
    int concurrency = 4;     // attempts in flight (one per subscription)
    std::chrono::milliseconds timeout{15'000};
    std::chrono::milliseconds connect_timeout{5'000};
    std::chrono::milliseconds poll_interval{1'000};  // also woken when events commit
  };
  // Starts delivering (resuming whatever is pending); kFailedPrecondition if it runs already.
  Status StartWebhookDelivery(const WebhookDeliveryOptions& options);
  // Stops after the attempts in flight; undelivered messages stay pending. The destructor does
  // this too.
  void StopWebhookDelivery();

  const Clock& clock() const { return *clock_; }
  int schema_version() const;

 private:
  Service(std::unique_ptr<store::Store> store, const Clock* clock,
          std::unique_ptr<ledger::Ledger> ledger, trust::TrustConfig trust_config);
  Result<IssuedKey> IssueKey(std::string_view tenant_name, bool create_tenant,
                             std::string_view name, const std::vector<std::string>& scopes);

  Result<Json> LeafJson(std::uint64_t index, const std::string* tenant);

  // The loop (loop.cc): rebuild the trust book from the store at open, and log the events
  // records caused (each a leaf and an events row, durable together).
  Status ReplayLoop();
  // Every event must have its cause_index set.
  Status LogEvents(std::vector<LoopEvent> events);
  // Queues the events' leaves behind every leaf queued before them and returns at once; the
  // future is answered once they are durable (webhook delivery is woken then).
  Result<std::future<Status>> QueueEvents(std::vector<LoopEvent> events);
  Result<Json> StoreAgent(const Principal& caller, std::string_view id, const Json& body,
                          bool create);
  // The pact's Cedar boundary, compiled once per pact hash.
  Result<std::shared_ptr<const control::Boundary>> BoundaryOf(const PublishedPact& pact);

  // The live server's lock on its data folder (pactum.lock): the loop's state, the keys'
  // index among it, and the log's tree are this process's alone. Released last.
  std::optional<FileLock> owner_;
  std::unique_ptr<store::Store> store_;
  const Clock* clock_;
  std::unique_ptr<KeyCache> keys_;          // Authenticate's cache of live keys
  std::unique_ptr<ledger::Ledger> ledger_;  // after store_: destroyed before it
  TrustBook book_;
  // Serialises the loop's writes (agents, pacts, evidence), so the order trust sees them in
  // is the log's order, the order a restart replays. Evidence holds it to check its items
  // against the book and the store and queue their leaves (built before), lets go while they
  // commit, and waits under it for its turn to apply them, in the order they were queued (its
  // ticket), which lasts until it counts itself applied: the update itself runs without the
  // lock, so submissions overlap each other's commits and updates. Every other writer takes it
  // through LockLoop, which waits until no queued evidence is left to apply, since what it
  // changes (agents, pacts) is what evidence is validated against.
  std::mutex loop_mu_;
  std::condition_variable loop_turn_;
  std::uint64_t evidence_queued_ = 0;   // tickets handed out
  std::uint64_t evidence_applied_ = 0;  // tickets done with (applied, or failed)
  // An idempotency key (tenant id, key) with its hash, computed once (with the item, off the
  // loop's lock) for the look-ups under it: in flight, stored, queued, indexed.
  struct IdempotencyKey {
    std::string_view tenant_id, key;
    std::size_t hash;
    static std::size_t HashOf(std::string_view tenant_id, std::string_view key) {
      return std::hash<std::string_view>{}(key)*31 + std::hash<std::string_view>{}(tenant_id);
    }
    bool operator==(const IdempotencyKey& o) const {
      return key == o.key && tenant_id == o.tenant_id;
    }
    struct Hash {
      std::size_t operator()(const IdempotencyKey& k) const { return k.hash; }
    };
  };
  // Idempotency keys of queued evidence not yet applied: a submission that repeats one waits
  // until it is, so that it finds the stored record. The views are into the submitting call's
  // caller and items, which outlive them (it erases them when applied): copies and a tree of
  // them cost more under the loop's lock than the rest of queueing.
  std::unordered_set<IdempotencyKey, IdempotencyKey::Hash> keys_in_flight_;
  // The log index of every stored evidence item with an idempotency key, by the key's hash
  // (replayed at start, added when committed). It is the only index of the keys: the store's,
  // on keys that clients choose at random, cost the log's sequencer a page write per item
  // (migration 9). A key it names no record for is new; records it names are read and compared.
  // Under loop_mu_.
  HashIndex keys_stored_;
  std::unique_lock<std::mutex> LockLoop();
  // The number of the evidence stream of (tenant id, agent, workflow): created in the store the
  // first time, committed before any row names it, and remembered (numbers never change).
  Result<std::int64_t> EvidenceStream(const std::string& tenant_id, const std::string& agent_id,
                                      const std::string& workflow);
  std::mutex streams_mu_;
  std::map<std::tuple<std::string, std::string, std::string>, std::int64_t> streams_;
  // The name of a tenant, by id, which events' leaves carry: read from the store when a tenant
  // is first named, and remembered (tenants are never renamed).
  Result<std::string> TenantName(const std::string& tenant_id);
  std::mutex tenant_names_mu_;
  std::map<std::string, std::string, std::less<>> tenant_names_;
  std::mutex boundaries_mu_;
  std::map<std::string, std::shared_ptr<const control::Boundary>> boundaries_;  // by pact hash
  control::FastSampler sampler_;
  // Cores lent to large submissions' preparation (evidence.cc).
  WorkPool work_pool_{WorkPool::DefaultHelpers()};

  // The mode an admin switch gives the pact now, if one is newer than the pact's version.
  std::optional<pact::Mode> SwitchedMode(const std::string& tenant_id,
                                         const PublishedPact& pact) const;
  Status LoadPactModes();
  // Evidence submission with a record per item written in its leaf's transaction (`also`,
  // parallel to `items`; empty or null entries: none).
  Result<std::vector<EvidenceReceipt>> SubmitEvidence(
      const Principal& caller, std::vector<EvidenceSubmission> items,
      std::vector<ledger::LeafEntry::WithLeaf> also);

  struct ModeSwitch {
    pact::Mode mode = pact::Mode::kEnforce;
    std::uint64_t log_index = 0;
  };
  mutable std::shared_mutex modes_mu_;
  std::map<std::pair<std::string, std::string>, ModeSwitch> modes_;  // by tenant id, pact name
  // Serialises resolutions and the overdue sweep.
  std::mutex reviews_mu_;
  std::unique_ptr<Periodic> review_sweeper_;
  std::unique_ptr<ReviewWaits> review_waits_;
  // ---- Webhook delivery (webhooks.cc): declared last, so it stops first ----
  // Tells delivery that events were committed (nothing when it is not running).
  void WakeWebhookDelivery();
  class WebhookDispatcher;  // webhook_dispatcher.h
  std::mutex webhook_mu_;
  WebhookDeliveryOptions webhook_options_;  // the running delivery's, for test messages too
  // shared_ptr: its deleter is bound where it is made, so service.cc needs no definition.
  std::shared_ptr<WebhookDispatcher> webhook_dispatcher_;
};

// `pactum verify FILE`: checks a checkpoint, proof bundle or DSSE envelope offline against the
// keys in `key_file` (PEM public keys and/or note verifier keys). Needs no data folder.
Result<ledger::VerifiedArtifact> VerifyArtifact(std::string_view artifact,
                                                std::string_view key_file,
                                                const ledger::VerifyOptions& options);

}  // namespace pactum::service
