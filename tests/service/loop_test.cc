// The trust loop in process, on a real SQLite folder: live trust equals replayed trust, events
// are logged once, and events lost to a crash are regenerated at the next start.
#include <atomic>
#include <cstdint>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "pactum/base/json.h"
#include "pactum/pact/pact.h"
#include "pactum/service/service.h"
#include "pactum/store/records.h"
#include "pactum/store/sqlite.h"

namespace pactum::service {
namespace {

pact::Pact TriagePact(std::int64_t version, double tpr) {
  pact::Pact p;
  p.name = "alert-triage";
  p.version = version;
  p.workflow = "alert_triage";
  p.agents = {"triage-*"};
  p.owner = "soc-l2";
  pact::Condition recall;
  recall.id = "tp-recall";
  recall.metric = "classification.tpr";
  recall.op = pact::Op::kGte;
  recall.threshold = tpr;
  recall.window_seconds = 3 * 86400;
  recall.min_samples = 20;
  recall.severity = pact::Severity::kCritical;
  recall.dimension = "accuracy";
  pact::Condition priority;
  priority.id = "priority";
  priority.metric = "priority.accuracy";
  priority.op = pact::Op::kGte;
  priority.threshold = 0.5;
  priority.min_samples = 10;
  priority.severity = pact::Severity::kMinor;
  priority.dimension = "calibration";
  p.conditions = {recall, priority};
  return p;
}

class LoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pactum-loop-" + std::to_string(std::random_device{}()));
    Open();
    auto key = service_->CreateOperatorKey("soc", "test", {"admin"});
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    secret_ = key->secret;
    Authenticate();
  }
  void TearDown() override {
    service_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Open() {
    auto s = Service::Open({.data_dir = dir_, .clock = &clock_});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    service_ = std::move(*s);
  }
  void Authenticate() {
    auto p = service_->Authenticate(secret_);
    ASSERT_TRUE(p.ok());
    caller_ = *p;
  }
  void Reopen() {
    service_.reset();
    Open();
    Authenticate();
  }
  void Register(const std::string& id, const std::string& prompt, bool create = true) {
    Json body = {{"id", id}, {"owner", "soc-l2"}, {"assets", {{"system_prompt", prompt}}}};
    auto r =
        create ? service_->RegisterAgent(caller_, body) : service_->UpdateAgent(caller_, id, body);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  void Publish(const pact::Pact& p) {
    auto r = service_->PublishPact(caller_, pact::ToJson(p));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  // A day of triage: `misses` of every 100 real threats closed as false positives.
  std::vector<std::string> Submit(const std::string& agent, int count, int misses,
                                  const std::string& kind = "production_outcome") {
    std::vector<EvidenceSubmission> items;
    for (int i = 0; i < count; ++i) {
      const bool threat = i % 3 != 0;
      const bool missed = threat && (i * 7) % 100 < misses;
      clock_.Advance(std::chrono::seconds(600));
      items.push_back(
          {Json{
               {"kind", kind},
               {"agent", agent},
               {"workflow", "alert_triage"},
               {"time", FormatRfc3339(clock_.Now())},
               {"classification",
                {{"predicted", threat && !missed ? "TP" : "FP"}, {"actual", threat ? "TP" : "FP"}}},
               {"priority", {{"predicted", "Low"}, {"actual", i % 4 ? "Low" : "High"}}}},
           std::nullopt, "item " + std::to_string(i)});
    }
    auto receipts = service_->SubmitEvidence(caller_, std::move(items));
    EXPECT_TRUE(receipts.ok()) << receipts.status().ToString();
    std::vector<std::string> ids;
    if (receipts.ok()) {
      for (const auto& r : *receipts)
        ids.push_back(r.id);
    }
    return ids;
  }
  Json Explain(const std::string& agent) {
    auto t = service_->ExplainTrust(caller_, agent, std::string("alert_triage"));
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? *t : Json();
  }
  Json Events() {
    EventQuery q;
    q.limit = 1000;
    auto e = service_->ListEvents(caller_, q);
    EXPECT_TRUE(e.ok());
    return e.ok() ? *e : Json::array();
  }

  // One production outcome of `agent` in alert_triage, under the idempotency key `key`.
  static std::vector<EvidenceSubmission> KeyedOutcome(const std::string& agent,
                                                      const std::string& key) {
    std::vector<EvidenceSubmission> items;
    items.push_back({Json{{"kind", "production_outcome"},
                          {"agent", agent},
                          {"workflow", "alert_triage"},
                          {"classification", {{"predicted", "TP"}, {"actual", "TP"}}}},
                     key, ""});
    return items;
  }

  ManualClock clock_{FromUnixMillis(1'795'291'262'000)};
  std::filesystem::path dir_;
  std::unique_ptr<Service> service_;
  std::string secret_;
  Principal caller_;
};

TEST_F(LoopTest, ReplayedTrustEqualsLiveTrust) {
  Register("triage-a", "v1");
  Register("triage-b", "v1");
  Publish(TriagePact(1, 0.9));
  Submit("triage-a", 150, 2, "eval_case");
  Submit("triage-a", 300, 3);
  Submit("triage-b", 200, 40);                   // drifts and breaches
  Register("triage-a", "v2", /*create=*/false);  // stale capability
  Publish(TriagePact(2, 0.85));                  // rebinds both agents
  auto ids = Submit("triage-a", 100, 30);
  // An upheld dispute withdraws one outcome and applies its correction.
  Json correction = {{"classification", {{"predicted", "TP"}, {"actual", "TP"}}}};
  Json dispute_item = {
      {"kind", "dispute_resolution"},
      {"agent", "triage-a"},
      {"workflow", "alert_triage"},
      {"dispute", {{"evidence_id", ids.back()}, {"upheld", true}, {"correction", correction}}}};
  std::vector<EvidenceSubmission> dispute;
  dispute.push_back({dispute_item, std::nullopt, ""});
  auto disputed = service_->SubmitEvidence(caller_, std::move(dispute));
  ASSERT_TRUE(disputed.ok()) << disputed.status().ToString();

  const Json live_a = Explain("triage-a"), live_b = Explain("triage-b");
  const Json events = Events();
  // b drifted and breached under v1; v2 changed the condition, so its monitor starts afresh,
  // but the consequences stay on record.
  EXPECT_FALSE(live_b["recent_consequences"].empty()) << live_b.dump();
  // Lifting them with the pact change is itself an event whose cause is the new version.
  bool lifted_by_pact = false;
  for (const Json& e : Events()) {
    lifted_by_pact =
        lifted_by_pact ||
        (e["agent"] == "triage-b" && e["type"] == "consequence.applied" &&
         e["data"].value("reason", "") == "pact version" && e["data"]["cause"]["version"] == 2);
  }
  EXPECT_TRUE(lifted_by_pact);
  EXPECT_FALSE(live_a["fingerprint_fresh"].get<bool>()) << live_a.dump();
  EXPECT_EQ(live_a["pact"]["version"], 2);

  Reopen();
  EXPECT_EQ(Explain("triage-a"), live_a);
  EXPECT_EQ(Explain("triage-b"), live_b);
  EXPECT_EQ(Events(), events) << "a restart must not log events again";
}

// Each evidence leaf records the pact version and agent fingerprint in force at its place in the
// log (the newest published, registered before it), also when they changed while it was queued.
void ExpectEveryEvidenceLeafNamesWhatWasInForce(const std::filesystem::path& db_file) {
  auto db = store::Connection::Open(db_file);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto rows = [&](const char* sql) {
    std::vector<std::tuple<std::int64_t, std::string, std::string>> out;
    auto st = (*db)->Prepare(sql);
    EXPECT_TRUE(st.ok()) << st.status().ToString();
    for (; st.ok();) {
      auto more = st->Step();
      EXPECT_TRUE(more.ok()) << more.status().ToString();
      if (!more.ok() || !*more) break;
      out.emplace_back(st->ColumnInt(0), st->ColumnText(1), st->ColumnBlob(2));
    }
    return out;
  };
  const auto pacts = rows("SELECT log_index, '', hash FROM pacts ORDER BY log_index");
  const auto agents =
      rows("SELECT log_index, agent_id, fingerprint FROM agent_versions ORDER BY log_index");
  const auto evidence = rows(
      "SELECT e.log_index, s.agent_id, l.data FROM evidence e JOIN evidence_streams s "
      "ON s.id = e.stream JOIN log_leaves l ON l.idx = e.log_index ORDER BY e.log_index");
  ASSERT_FALSE(evidence.empty());
  for (const auto& [index, agent, data] : evidence) {
    std::string pact_hash, fingerprint;
    for (const auto& [at, unused, hash] : pacts) {
      if (at < index) pact_hash = hash;
    }
    for (const auto& [at, id, print] : agents) {
      if (at < index && id == agent) fingerprint = print;
    }
    const Json leaf = *ParseJson(data);
    EXPECT_EQ(leaf["body"]["pact"]["hash"], pact_hash) << "log index " << index;
    EXPECT_EQ(leaf["body"]["fingerprint"], fingerprint) << "log index " << index;
  }
}

// Submissions overlap each other's commits, yet trust applies them in log order: four
// submitters racing, with agent updates and pact publications among them, leave the live
// trust a restart replays. Keys repeated across racing submissions are stored once.
TEST_F(LoopTest, ConcurrentSubmissionsApplyInLogOrder) {
  Register("triage-a", "v1");
  Register("triage-b", "v1");
  Publish(TriagePact(1, 0.9));
  const TimePoint base = clock_.Now() - std::chrono::hours(48);
  constexpr int kThreads = 4, kBatches = 12, kItems = 40;
  std::atomic<int> duplicates{0}, stored{0};
  auto submitter = [&](int t) {
    for (int b = 0; b < kBatches; ++b) {
      std::vector<EvidenceSubmission> items;
      for (int i = 0; i < kItems; ++i) {
        // Threads t and t + 2 send the same keys, for the same outcomes.
        const int n = ((t % 2) * kBatches + b) * kItems + i;
        const bool threat = n % 3 != 0, missed = threat && n % 11 < 3 + t % 2 * 4;
        items.push_back({Json{{"kind", "production_outcome"},
                              {"agent", t % 2 ? "triage-b" : "triage-a"},
                              {"workflow", "alert_triage"},
                              {"time", FormatRfc3339(base + std::chrono::seconds(60 * n))},
                              {"classification",
                               {{"predicted", threat && !missed ? "TP" : "FP"},
                                {"actual", threat ? "TP" : "FP"}}},
                              {"priority", {{"predicted", "Low"}, {"actual", "Low"}}}},
                         "k-" + std::to_string(n), ""});
      }
      auto receipts = service_->SubmitEvidence(caller_, std::move(items));
      ASSERT_TRUE(receipts.ok()) << receipts.status().ToString();
      for (const EvidenceReceipt& r : *receipts)
        ++(r.duplicate ? duplicates : stored);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back(submitter, t);
  // Agent changes and pact versions land among the submissions, some while a submission is
  // between its look-up in the book and its place in the log.
  for (int v = 2; v <= 6; ++v) {
    std::string prompt = "v";  // appended, not "v" + ...: GCC 12 misreads that (-Wrestrict)
    prompt += std::to_string(v);
    Register("triage-a", prompt, /*create=*/false);
    Publish(TriagePact(v, 0.92 - 0.01 * v));
  }
  for (std::thread& t : threads)
    t.join();
  EXPECT_EQ(stored, 2 * kBatches * kItems);
  EXPECT_EQ(duplicates, 2 * kBatches * kItems);
  ExpectEveryEvidenceLeafNamesWhatWasInForce(dir_ / "pactum.db");

  const Json live_a = Explain("triage-a"), live_b = Explain("triage-b");
  const Json events = Events();
  Reopen();
  EXPECT_EQ(Explain("triage-a"), live_a);
  EXPECT_EQ(Explain("triage-b"), live_b);
  EXPECT_EQ(Events(), events) << "a restart must not log events again";
}

// A submission large enough to be read and prepared in chunks on several threads is answered
// as if taken item by item: receipts in item order, ids following the log, a repeat found
// across chunks, and the first bad item's error (and nothing stored) when any is bad.
TEST_F(LoopTest, ALargeSubmissionIsPreparedInChunksAndAnsweredInItsOrder) {
  Register("triage-a", "v1");
  Register("triage-b", "v1");
  Publish(TriagePact(1, 0.9));
  constexpr int kItems = 300;
  auto submission = [](const std::string& prefix) {
    std::vector<EvidenceSubmission> items;
    for (int i = 0; i < kItems; ++i) {
      // Item 250 repeats item 10, under its key.
      const int n = i == 250 ? 10 : i;
      items.push_back({Json{{"kind", "production_outcome"},
                            {"agent", n % 2 ? "triage-b" : "triage-a"},
                            {"workflow", "alert_triage"},
                            {"classification", {{"predicted", "TP"}, {"actual", "TP"}}}},
                       prefix + std::to_string(n), "item " + std::to_string(i)});
    }
    return items;
  };
  const Json before = Explain("triage-a");
  {
    // Item 280 is malformed and item 150 names an agent never registered: the first is reported.
    auto items = submission("bad-");
    items[280].item["classification"]["predicted"] = "maybe";
    items[150].item["agent"] = "triage-x";
    auto failed = service_->SubmitEvidence(caller_, std::move(items));
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.status().code(), Code::kNotFound) << failed.status().ToString();
    EXPECT_NE(failed.status().message().find("item 150"), std::string::npos)
        << failed.status().ToString();
  }
  {
    auto items = submission("bad-");
    items[280].item["classification"]["predicted"] = "maybe";
    auto failed = service_->SubmitEvidence(caller_, std::move(items));
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.status().code(), Code::kInvalidArgument) << failed.status().ToString();
    EXPECT_NE(failed.status().message().find("item 280"), std::string::npos)
        << failed.status().ToString();
  }
  EXPECT_EQ(Explain("triage-a"), before) << "a failed submission must store nothing";

  auto receipts = service_->SubmitEvidence(caller_, submission("big-"));
  ASSERT_TRUE(receipts.ok()) << receipts.status().ToString();
  ASSERT_EQ(receipts->size(), static_cast<std::size_t>(kItems));
  const EvidenceReceipt* previous = nullptr;
  for (int i = 0; i < kItems; ++i) {
    const EvidenceReceipt& r = (*receipts)[i];
    if (i == 250) {
      EXPECT_TRUE(r.duplicate);
      EXPECT_EQ(r.id, (*receipts)[10].id);
      EXPECT_EQ(r.log_index, (*receipts)[10].log_index);
      continue;
    }
    EXPECT_FALSE(r.duplicate) << i;
    if (previous != nullptr) {
      EXPECT_EQ(r.log_index, previous->log_index + 1) << i;
      EXPECT_GT(r.id, previous->id) << i;  // UUIDv7: time-ordered, then counted on
    }
    previous = &r;
  }
  // The same submission again is all repeats, of the same records, with the leaf hashes read
  // back from the log: the ones the first receipts gave.
  auto again = service_->SubmitEvidence(caller_, submission("big-"));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  for (int i = 0; i < kItems; ++i) {
    EXPECT_TRUE((*again)[i].duplicate) << i;
    EXPECT_EQ((*again)[i].id, (*receipts)[i].id) << i;
    EXPECT_FALSE((*receipts)[i].leaf_hash.empty()) << i;
    EXPECT_EQ((*again)[i].leaf_hash, (*receipts)[i].leaf_hash) << i;
  }
}

// A key is remembered as seen when it is queued, before its commit. When that commit fails, the
// retry finds the key seen but not stored, and stores it; the retry after that is a repeat.
TEST_F(LoopTest, AKeyWhoseCommitFailedIsStoredOnItsRetry) {
  Register("triage-a", "v1");
  Publish(TriagePact(1, 0.9));
  auto keyed = [] { return KeyedOutcome("triage-a", "retried-key"); };
  {
    // Another connection holds the write lock: the commit fails after SQLite's busy timeout.
    auto db = store::Connection::Open(dir_ / "pactum.db");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE((*db)->Exec("BEGIN IMMEDIATE").ok());
    auto failed = service_->SubmitEvidence(caller_, keyed());
    EXPECT_FALSE(failed.ok());
    ASSERT_TRUE((*db)->Exec("ROLLBACK").ok());
  }
  auto stored = service_->SubmitEvidence(caller_, keyed());
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_FALSE(stored->front().duplicate);
  auto repeat = service_->SubmitEvidence(caller_, keyed());
  ASSERT_TRUE(repeat.ok()) << repeat.status().ToString();
  EXPECT_TRUE(repeat->front().duplicate);
  EXPECT_EQ(repeat->front().id, stored->front().id);
  // And after a restart, from the stored key.
  Reopen();
  Authenticate();
  auto replayed = service_->SubmitEvidence(caller_, keyed());
  ASSERT_TRUE(replayed.ok()) << replayed.status().ToString();
  EXPECT_TRUE(replayed->front().duplicate);
  EXPECT_EQ(replayed->front().id, stored->front().id);
}

// One live server owns a data folder: a second is refused, naming the folder; operator commands
// (no live trust) open it beside the server; once the server is gone the folder is free.
TEST_F(LoopTest, ASecondServerOnTheFolderIsRefused) {
  auto second = Service::Open({.data_dir = dir_, .clock = &clock_});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("in use by another pactum server"), std::string::npos)
      << second.status().message();
  EXPECT_NE(second.status().message().find(dir_.string()), std::string::npos);
  auto operator_view = Service::Open(OperatorOptions(dir_));
  EXPECT_TRUE(operator_view.ok()) << operator_view.status().ToString();
  service_.reset();
  Open();  // asserts that it opens
}

// Keys are indexed by the server, by hash, tenant included: the same key in two tenants is two
// records, each tenant's repeat finds its own (live and after a restart), and a record the index
// names for another tenant or key is not taken for the key's.
TEST_F(LoopTest, AKeyIsEachTenantsOwn) {
  Register("triage-a", "v1");
  Publish(TriagePact(1, 0.9));
  auto other_key = service_->CreateOperatorKey("other-soc", "test", {"admin"});
  ASSERT_TRUE(other_key.ok()) << other_key.status().ToString();
  auto other = service_->Authenticate(other_key->secret);
  ASSERT_TRUE(other.ok());
  const Principal soc = caller_;
  caller_ = *other;
  Register("triage-a", "v1");
  Publish(TriagePact(1, 0.9));
  caller_ = soc;

  auto mine = service_->SubmitEvidence(caller_, KeyedOutcome("triage-a", "alert-7"));
  auto theirs = service_->SubmitEvidence(*other, KeyedOutcome("triage-a", "alert-7"));
  ASSERT_TRUE(mine.ok() && theirs.ok());
  EXPECT_FALSE(mine->front().duplicate);
  EXPECT_FALSE(theirs->front().duplicate);
  EXPECT_NE(mine->front().id, theirs->front().id);
  for (int restart = 0; restart < 2; ++restart) {
    SCOPED_TRACE(restart ? "after a restart" : "live");
    auto my_repeat = service_->SubmitEvidence(caller_, KeyedOutcome("triage-a", "alert-7"));
    auto their_repeat = service_->SubmitEvidence(*other, KeyedOutcome("triage-a", "alert-7"));
    ASSERT_TRUE(my_repeat.ok() && their_repeat.ok());
    EXPECT_TRUE(my_repeat->front().duplicate);
    EXPECT_EQ(my_repeat->front().id, mine->front().id);
    EXPECT_TRUE(their_repeat->front().duplicate);
    EXPECT_EQ(their_repeat->front().id, theirs->front().id);
    Reopen();
  }

  auto db = store::Connection::Open(dir_ / "pactum.db");
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  const std::uint64_t my_index = mine->front().log_index, their_index = theirs->front().log_index;
  auto found = store::FindEvidenceByIdempotencyKey(**db, caller_.tenant_id, "alert-7",
                                                   {their_index, 1'000'000, my_index});
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, mine->front().id);
  for (const auto& [key, indexes] : std::vector<std::pair<std::string, std::vector<std::uint64_t>>>{
           {"alert-7", {their_index}}, {"alert-8", {my_index}}, {"alert-7", {}}}) {
    auto none = store::FindEvidenceByIdempotencyKey(**db, caller_.tenant_id, key, indexes);
    ASSERT_TRUE(none.ok()) << none.status().ToString();
    EXPECT_FALSE(none->has_value()) << key;
  }
}

// Evidence stored before migration 7, its rows naming tenant, agent and workflow as texts, is
// carried over: trust replays the same, scorecards count the same, a dispute finds the record
// it names and a repeated idempotency key is still a repeat.
TEST_F(LoopTest, EvidenceStoredBeforeMigration7IsCarriedOver) {
  Register("triage-a", "v1");
  Register("triage-b", "v1");
  Publish(TriagePact(1, 0.9));
  auto ids = Submit("triage-a", 120, 3);
  Submit("triage-b", 80, 40);
  const std::vector<EvidenceSubmission> keyed = KeyedOutcome("triage-b", "alert-7");
  auto first = service_->SubmitEvidence(caller_, keyed);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const Json a = Explain("triage-a"), b = Explain("triage-b");
  Service::ScorecardQuery two_weeks;
  two_weeks.weeks = 2;
  auto cards = service_->Scorecards(caller_, two_weeks);
  ASSERT_TRUE(cards.ok()) << cards.status().ToString();
  service_.reset();
  {
    // The layout migrations 3-6 left, and the schema version before 7. Migration 8 only
    // rebuilt an index of the table dropped here. (A later migration must be undone here too.)
    auto db = store::Connection::Open(dir_ / "pactum.db");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    Status undone = (*db)->Exec(R"sql(
      CREATE TABLE evidence_old (
        log_index INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, tenant_id TEXT NOT NULL,
        agent_id TEXT NOT NULL, workflow TEXT NOT NULL, kind TEXT NOT NULL,
        time INTEGER NOT NULL, idempotency_key TEXT, received_at INTEGER NOT NULL);
      INSERT INTO evidence_old
        SELECT e.log_index, e.id, e.tenant_id, s.agent_id, s.workflow, e.kind, e.time,
               e.idempotency_key, e.received_at
        FROM evidence e JOIN evidence_streams s ON s.id = e.stream ORDER BY random();
      DROP TABLE evidence;
      DROP TABLE evidence_streams;
      ALTER TABLE evidence_old RENAME TO evidence;
      CREATE UNIQUE INDEX evidence_idempotency ON evidence (tenant_id, idempotency_key)
        WHERE idempotency_key IS NOT NULL;
      CREATE INDEX evidence_by_agent ON evidence (tenant_id, agent_id, workflow, log_index);
      DELETE FROM schema_migrations WHERE version >= 7;)sql");
    ASSERT_TRUE(undone.ok()) << undone.ToString();
  }
  Open();  // migrates
  Authenticate();
  EXPECT_EQ(Explain("triage-a"), a);
  EXPECT_EQ(Explain("triage-b"), b);
  auto again = service_->Scorecards(caller_, two_weeks);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *cards);
  ExpectEveryEvidenceLeafNamesWhatWasInForce(dir_ / "pactum.db");

  auto repeat = service_->SubmitEvidence(caller_, keyed);
  ASSERT_TRUE(repeat.ok()) << repeat.status().ToString();
  EXPECT_TRUE(repeat->front().duplicate);
  EXPECT_EQ(repeat->front().id, first->front().id);
  std::vector<EvidenceSubmission> dispute;
  dispute.push_back({Json{{"kind", "dispute_resolution"},
                          {"agent", "triage-a"},
                          {"workflow", "alert_triage"},
                          {"dispute", {{"evidence_id", ids.front()}, {"upheld", false}}}},
                     std::nullopt, ""});
  auto disputed = service_->SubmitEvidence(caller_, dispute);
  EXPECT_TRUE(disputed.ok()) << disputed.status().ToString();
  // A record of another agent is not found under this one.
  dispute.front().item["agent"] = "triage-b";
  EXPECT_EQ(service_->SubmitEvidence(caller_, dispute).status().code(), Code::kNotFound);
}

TEST_F(LoopTest, EventsLostToACrashAreLoggedAtTheNextStart) {
  Register("triage-a", "v1");
  Publish(TriagePact(1, 0.9));
  Submit("triage-a", 200, 40);
  const Json events = Events();
  ASSERT_GT(events.size(), 3u);
  // A crash after the evidence committed but before its events did: no event rows for it.
  const std::uint64_t last_cause = events.back()["cause_index"];
  service_.reset();
  {
    auto db = store::Connection::Open(dir_ / "pactum.db");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(
        (*db)->Exec("DELETE FROM events WHERE cause_index = " + std::to_string(last_cause)).ok());
  }
  Open();
  Authenticate();
  const Json after = Events();
  ASSERT_EQ(after.size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(after[i]["type"], events[i]["type"]);
    EXPECT_EQ(after[i]["cause_index"], events[i]["cause_index"]);
    EXPECT_EQ(after[i]["data"], events[i]["data"]);
  }
}

TEST_F(LoopTest, ThePactThatCoversAnAgentIsTheNewestPublished) {
  Register("triage-a", "v1");
  Publish(TriagePact(1, 0.9));
  Submit("triage-a", 50, 0);
  EXPECT_EQ(Explain("triage-a")["pact"]["version"], 1);
  // Versions only grow; the same version with other content is refused.
  auto older = service_->PublishPact(caller_, pact::ToJson(TriagePact(1, 0.5)));
  EXPECT_EQ(older.status().code(), Code::kConflict);
  Publish(TriagePact(3, 0.8));
  EXPECT_EQ(Explain("triage-a")["pact"]["version"], 3);
  auto back = service_->PublishPact(caller_, pact::ToJson(TriagePact(2, 0.8)));
  EXPECT_EQ(back.status().code(), Code::kConflict);
}

}  // namespace
}  // namespace pactum::service
