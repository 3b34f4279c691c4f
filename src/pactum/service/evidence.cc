// Evidence in, trust out (DESIGN §2, §5): validation, idempotency, durable records with their
// log leaves, the trust book's update, and the explained trust.
#include "pactum/trust/evidence.h"

#include <future>
#include <map>
#include <unordered_map>

#include "pactum/base/canonical_json.h"
#include "pactum/base/encoding.h"
#include "pactum/base/id.h"
#include "pactum/base/json.h"
#include "pactum/service/service.h"
#include "pactum/store/records.h"
#include "pactum/store/store.h"

namespace pactum::service {
namespace {

// One submission request at most this many items: the body limit bounds it over HTTP; this
// bounds what one call holds in memory and in one lock.
constexpr std::size_t kMaxItems = 100'000;
constexpr std::size_t kMaxIdempotencyKey = 256;
// Items a helper takes at a time (~0.5 ms of work): fewer would cost more hand-offs, more
// would leave cores idle at a submission's end.
constexpr std::size_t kItemsPerChunk = 64;

double Seconds(TimePoint t) {
  return static_cast<double>(UnixMillis(t)) / 1000.0;
}

// Prefixes an item's error with where it came from, keeping the field in the details.
Status At(const std::string& where, const Status& status) {
  if (where.empty()) return status;
  return status.WithContext(where).WithDetail("at", where);
}

struct Accepted {
  trust::Evidence evidence;
  std::optional<std::string> key;
  std::size_t key_hash = 0;  // of (tenant id, key), when there is a key
  // What it is recorded under, looked up in the book before the loop's lock and checked again
  // under it.
  std::shared_ptr<const PublishedPact> pact;
  std::string fingerprint;
  // Its log leaf, prepared, with its hash as a receipt gives it, and the evidence row written
  // with it (its log index set then): built before the lock, and not for a repeat of an earlier
  // item.
  ledger::LeafEntry leaf;
  std::string leaf_hash;  // base64
  store::EvidenceRow row;
  // A repeat of an earlier item of this request, or of a stored record.
  std::optional<std::size_t> same_as_item;
  std::optional<store::EvidenceRow> same_as_stored;
};

// Reads one submitted item: its idempotency key (the request's, else the item's own) and its
// evidence, checked. The document is released here, on whichever thread read it.
Status ReadItem(EvidenceSubmission& in, double now, Accepted& a) {
  Json item = std::move(in.item);
  if (item.is_null() && !in.text.empty()) {
    auto parsed = ParseJson(in.text);
    if (!parsed.ok()) {
      Status s = parsed.status().WithContext(in.where);
      return in.line > 0 ? s.WithDetail("line", in.line) : s;
    }
    item = std::move(*parsed);
    std::string().swap(in.text);
  }
  if (!item.is_object()) return At(in.where, InvalidArgument("evidence must be a JSON object"));
  a.key = in.idempotency_key;
  if (auto k = item.find("idempotency_key"); k != item.end() && !a.key) {
    if (!k->is_string()) return At(in.where, FieldError("idempotency_key", "must be a string"));
    a.key = k->get<std::string>();
  }
  if (a.key && (a.key->empty() || a.key->size() > kMaxIdempotencyKey))
    return At(in.where,
              FieldError("idempotency_key",
                         "must have 1-" + std::to_string(kMaxIdempotencyKey) + " characters"));
  auto evidence = trust::EvidenceFromJson(item, now);
  if (!evidence.ok()) return At(in.where, evidence.status());
  a.evidence = std::move(*evidence);
  return Status::Ok();
}

// Looks up the agent's fingerprint and the pact covering the item: an error naming the field
// when either is missing.
Status Cover(const TrustBook& book, const std::string& tenant_id, const std::string& where,
             Accepted& a) {
  auto fingerprint = book.Fingerprint(tenant_id, a.evidence.agent);
  if (!fingerprint)
    return At(where, NotFound("agent: no agent \"" + a.evidence.agent + "\" is registered",
                              {{"field", "agent"}}));
  a.fingerprint = std::move(*fingerprint);
  a.pact = book.Covering(tenant_id, a.evidence.workflow, a.evidence.agent);
  if (!a.pact)
    return At(where, FieldError("workflow", "no published pact covers agent \"" + a.evidence.agent +
                                                "\" in workflow \"" + a.evidence.workflow + "\""));
  return Status::Ok();
}

// The item's log leaf, prepared: the evidence with the fingerprint and pact it is recorded
// under, written as canonical JSON directly (building the document and canonicalising it cost
// more than the rest of the item's ingestion), and hashed here rather than on the log's
// sequencer, which every commit waits on.
Status WriteLeaf(const std::string& where, Accepted& a) {
  CanonicalWriter body;
  body.BeginObject().Name("evidence");
  trust::WriteCanonical(a.evidence, body);
  body.Name("fingerprint").String(a.fingerprint).Name("pact").BeginObject();
  body.Name("hash").String(a.pact->hash).Name("name").String(a.pact->pact.name);
  body.Name("version").Int(a.pact->pact.version).EndObject().EndObject();
  Result<std::string> canonical = std::move(body).Finish();
  if (!canonical.ok()) return At(where, canonical.status());
  a.leaf.prepared.reset();
  a.leaf.canonical_body = std::move(*canonical);
  auto prepared = ledger::PrepareLeaf(a.leaf);
  a.leaf.canonical_body.clear();
  if (!prepared.ok()) return At(where, prepared.status());
  a.leaf.prepared = std::move(*prepared);
  a.leaf_hash = Base64Encode(AsBytes(a.leaf.prepared->leaf_hash));
  return Status::Ok();
}

// The evidence row its leaf attests, under the item's stream (which stands for its agent and
// workflow, and is set when the item is looked up); the log index is the leaf's, set when it
// commits.
void FillRow(const Principal& caller, Accepted& a) {
  store::EvidenceRow& row = a.row;
  row.id = a.evidence.id;
  row.tenant_id = caller.tenant_id;
  row.kind = std::string(trust::NameOf(a.evidence.kind));
  row.time = static_cast<std::int64_t>(a.evidence.time * 1000.0);
  row.idempotency_key = a.key;
  row.received_at = UnixMillis(a.leaf.time);
}

}  // namespace

Result<std::vector<EvidenceReceipt>> Service::SubmitEvidence(
    const Principal& caller, std::vector<EvidenceSubmission> items) {
  return SubmitEvidence(caller, std::move(items), {});
}

Result<std::vector<EvidenceReceipt>> Service::SubmitEvidence(
    const Principal& caller, std::vector<EvidenceSubmission> items,
    std::vector<ledger::LeafEntry::WithLeaf> also) {
  if (items.empty()) return InvalidArgument("no evidence items");
  if (items.size() > kMaxItems)
    return ResourceExhausted("at most " + std::to_string(kMaxItems) + " evidence items a request");
  // One reading of the clock: the default time of an item without one, and the receipt time of
  // every leaf.
  const TimePoint received = clock_->Now();
  const double now = Seconds(received);

  // Everything that needs nothing the loop holds is done first, outside its lock, so that
  // concurrent submissions do it at once rather than in turn (with the leaves built under it,
  // the lock was held ~10 µs an item, a bound of its own near 100,000 items/s;
  // docs/PERFORMANCE.md). Each item is read and checked on its own, and its leaf and record
  // built, in chunks that free cores share (work_pool_): a submission waits for its commit
  // in between, so the time it takes to prepare bounds what one client can send. Looking items
  // up in the book, spotting repeats and naming ids run in item order in between. The error
  // returned is the first bad item's, as if each item were taken in turn.
  const std::uint64_t book_version = book_.RecordingVersion();
  std::vector<Accepted> accepted(items.size());
  std::vector<Status> bad(items.size());  // what each item failed on, if it did
  auto share = [&](const std::function<void(std::size_t)>& each) {
    work_pool_.ForEachChunk(items.size(), kItemsPerChunk, [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i)
        each(i);
    });
  };
  share([&](std::size_t i) {
    Accepted& a = accepted[i];
    bad[i] = ReadItem(items[i], now, a);
    if (bad[i].ok() && a.key) a.key_hash = IdempotencyKey::HashOf(caller.tenant_id, *a.key);
  });

  std::unordered_map<std::string_view, std::size_t> first_with_key;  // views into `accepted`
  first_with_key.reserve(items.size());
  std::vector<std::pair<std::size_t, std::string>> disputes;  // item, disputed evidence id
  // What each (agent, workflow) of this call is recorded under, and its stream: looked up once.
  struct Covered {
    std::string fingerprint;
    std::shared_ptr<const PublishedPact> pact;
    std::int64_t stream = 0;
  };
  std::map<std::pair<std::string_view, std::string_view>, Covered> covered;
  std::size_t ok_before = items.size();  // the items before the first bad one
  for (std::size_t i = 0; i < items.size(); ++i) {
    EvidenceSubmission& in = items[i];
    Accepted& a = accepted[i];
    if (!bad[i].ok()) {
      ok_before = i;
      break;
    }
    auto [c, first] = covered.try_emplace({a.evidence.agent, a.evidence.workflow});
    if (first) {
      bad[i] = Cover(book_, caller.tenant_id, in.where, a);
      if (!bad[i].ok()) {
        ok_before = i;
        break;
      }
      c->second.fingerprint = a.fingerprint;
      c->second.pact = a.pact;
    } else {
      a.fingerprint = c->second.fingerprint;
      a.pact = c->second.pact;
    }
    if (a.evidence.kind == trust::EvidenceKind::kDisputeResolution)
      disputes.emplace_back(i, a.evidence.disputed_evidence_id);
    if (a.key) {
      auto [it, fresh] = first_with_key.try_emplace(*a.key, i);
      if (!fresh) {
        a.same_as_item = it->second;
        continue;
      }
    }
    if (c->second.stream == 0) {
      PACTUM_ASSIGN_OR_RETURN(c->second.stream, EvidenceStream(caller.tenant_id, a.evidence.agent,
                                                               a.evidence.workflow));
    }
    a.row.stream = c->second.stream;
    // Named in item order, so that ids (time-ordered) follow the log.
    a.evidence.id = NewUuidV7(*clock_);
  }
  share([&](std::size_t i) {
    Accepted& a = accepted[i];
    if (i >= ok_before || a.same_as_item) return;  // a repeat is logged by its first
    a.leaf = ledger::LeafEntry("evidence", caller.tenant_name, received);
    bad[i] = WriteLeaf(items[i].where, a);
    if (i < also.size()) a.leaf.with_leaf = std::move(also[i]);
    FillRow(caller, a);
  });
  for (const Status& s : bad) {
    if (!s.ok()) return s;
  }

  std::unique_lock loop(loop_mu_);
  // A key repeating one still in flight waits for it to be applied, to find it stored.
  auto in_flight = [&] {
    for (const Accepted& a : accepted) {
      if (a.key && keys_in_flight_.contains({caller.tenant_id, *a.key, a.key_hash})) return true;
    }
    return false;
  };
  if (!keys_in_flight_.empty() && in_flight())
    loop_turn_.wait(loop, [this] { return evidence_applied_ == evidence_queued_; });
  // What the items are recorded under must still hold when they are logged. It nearly always
  // does: an agent registered or a pact published meanwhile makes the book check them again.
  if (book_.RecordingVersion() != book_version) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      Accepted& a = accepted[i];
      const std::string fingerprint = std::move(a.fingerprint);
      const auto pact = std::move(a.pact);
      PACTUM_TRY(Cover(book_, caller.tenant_id, items[i].where, a));
      if (!a.same_as_item && (a.fingerprint != fingerprint || a.pact != pact))
        PACTUM_TRY(WriteLeaf(items[i].where, a));
    }
  }

  // Stored repeats, and the records disputes name (same agent and workflow, already stored).
  // Only the records the index of keys names are read: a retry's, or rarely another key's.
  std::vector<std::pair<Accepted*, std::vector<std::uint64_t>>> seen;
  for (Accepted& a : accepted) {
    if (!a.key || a.same_as_item) continue;
    std::vector<std::uint64_t> stored = keys_stored_.Find(a.key_hash);
    if (!stored.empty()) seen.emplace_back(&a, std::move(stored));
  }
  if (!seen.empty() || !disputes.empty())
    PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
      for (const auto& [a, stored] : seen) {
        PACTUM_ASSIGN_OR_RETURN(a->same_as_stored, store::FindEvidenceByIdempotencyKey(
                                                       db, caller.tenant_id, *a->key, stored));
      }
      for (const auto& [i, id] : disputes) {
        if (accepted[i].same_as_stored || accepted[i].same_as_item) continue;
        PACTUM_ASSIGN_OR_RETURN(auto disputed, store::FindEvidence(db, caller.tenant_id, id));
        const trust::Evidence& e = accepted[i].evidence;
        if (!disputed || disputed->agent_id != e.agent || disputed->workflow != e.workflow)
          return At(items[i].where,
                    NotFound("dispute.evidence_id: no evidence \"" + id + "\" of agent \"" +
                                 e.agent + "\" in workflow \"" + e.workflow + "\"",
                             {{"field", "dispute.evidence_id"}}));
      }
      return Status::Ok();
    }));

  std::vector<ledger::LeafEntry> leaves;
  // The evidence row of each leaf, left in `accepted`, which outlives the commit.
  std::vector<store::EvidenceRow*> rows;
  std::vector<std::size_t> leaf_item;  // the item each leaf records
  for (std::size_t i = 0; i < accepted.size(); ++i) {
    Accepted& a = accepted[i];
    if (a.same_as_item || a.same_as_stored) continue;
    leaves.push_back(std::move(a.leaf));
    rows.push_back(&a.row);
    leaf_item.push_back(i);
  }
  std::vector<EvidenceReceipt> out(accepted.size());
  std::future<Status> events_logged;
  if (!leaves.empty()) {
    // Queued under the lock, so tickets are in log order; committed without it, so the next
    // submission is validated and queued meanwhile.
    const std::uint64_t ticket = evidence_queued_++;
    std::vector<IdempotencyKey> keys;
    for (std::size_t i : leaf_item) {
      const Accepted& a = accepted[i];
      if (a.key) keys.push_back({caller.tenant_id, *a.key, a.key_hash});
    }
    keys_in_flight_.insert(keys.begin(), keys.end());
    // The rows are written together, in the transaction that commits their leaves.
    auto committed = ledger_->Enqueue(
        std::move(leaves), [rows = std::move(rows)](store::Connection& db, std::uint64_t first) {
          for (std::size_t j = 0; j < rows.size(); ++j)
            rows[j]->log_index = first + j;
          return store::InsertEvidence(db, rows);
        });
    loop.unlock();
    Result<std::vector<ledger::Receipt>> receipts = committed.get();
    loop.lock();
    loop_turn_.wait(loop, [&] { return evidence_applied_ == ticket; });
    // This ticket's turn lasts until it counts itself applied: no other submission applies or
    // logs events meanwhile, and no other writer changes the book (LockLoop waits for it). The
    // lock is let go for the trust update and the events, so that other submissions queue
    // theirs meanwhile (keys of this one still in flight make their repeats wait).
    loop.unlock();
    Status applied = receipts.status();
    std::vector<LoopEvent> events;
    for (std::size_t j = 0; applied.ok() && j < leaf_item.size(); ++j) {
      const std::size_t i = leaf_item[j];
      EvidenceReceipt& r = out[i];
      r.id = accepted[i].evidence.id;
      r.log_index = (*receipts)[j].index;
      r.leaf_hash = std::move(accepted[i].leaf_hash);  // the hash the log was given
      std::vector<LoopEvent> caused;
      // Validated against the book above, which no writer has changed since (LockLoop waits
      // for this ticket): this does not fail.
      applied = book_.ApplyEvidence(caller.tenant_id, accepted[i].evidence, &caused);
      if (!applied.ok()) {
        applied = Internal("evidence " + r.id + " stored but not applied: " + applied.message());
      }
      for (LoopEvent& e : caused) {
        e.cause_index = r.log_index;
        r.events.push_back(e.event.type);
        events.push_back(std::move(e));
      }
    }
    // Queued in ticket order too, so they follow their causes in the log as replay expects.
    Result<std::future<Status>> queued = QueueEvents(std::move(events));
    loop.lock();
    // Stored keys are indexed before they stop being in flight, so that a repeat waiting for
    // them finds them.
    for (std::size_t j = 0; receipts.ok() && j < leaf_item.size(); ++j) {
      const Accepted& a = accepted[leaf_item[j]];
      if (a.key) keys_stored_.Add(a.key_hash, (*receipts)[j].index);
    }
    for (const auto& key : keys)
      keys_in_flight_.erase(key);
    ++evidence_applied_;
    loop.unlock();
    loop_turn_.notify_all();
    PACTUM_TRY(applied);
    PACTUM_TRY(queued.status());
    events_logged = std::move(*queued);
  } else {
    loop.unlock();
  }
  for (std::size_t i = 0; i < accepted.size(); ++i) {
    const Accepted& a = accepted[i];
    if (a.same_as_item) {
      out[i] = out[*a.same_as_item];
      out[i].events.clear();
      out[i].duplicate = true;
    } else if (a.same_as_stored) {
      out[i].id = a.same_as_stored->id;
      out[i].log_index = a.same_as_stored->log_index;
      out[i].duplicate = true;
      auto leaf = ledger_->Leaf(out[i].log_index);
      if (leaf.ok()) out[i].leaf_hash = Base64Encode(AsBytes(leaf->leaf_hash));
    }
  }
  if (events_logged.valid()) PACTUM_TRY(events_logged.get());
  return out;
}

Result<std::int64_t> Service::EvidenceStream(const std::string& tenant_id,
                                             const std::string& agent_id,
                                             const std::string& workflow) {
  auto key = std::make_tuple(tenant_id, agent_id, workflow);
  {
    std::lock_guard lock(streams_mu_);
    if (auto it = streams_.find(key); it != streams_.end()) return it->second;
  }
  std::int64_t stream = 0;
  PACTUM_TRY(store_->Write([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(stream, store::EvidenceStream(db, tenant_id, agent_id, workflow));
    return Status::Ok();
  }));
  std::lock_guard lock(streams_mu_);
  streams_.emplace(std::move(key), stream);
  return stream;
}

Result<Json> Service::ExplainTrust(const Principal& caller, std::string_view agent_id,
                                   std::optional<std::string> workflow) {
  const std::string agent(agent_id);
  auto fingerprint = book_.Fingerprint(caller.tenant_id, agent);
  if (!fingerprint) return NotFound("no agent \"" + agent + "\"", {{"field", "id"}});
  const double now = Seconds(clock_->Now());
  if (workflow) {
    PACTUM_ASSIGN_OR_RETURN(Json explained, book_.Explain(caller.tenant_id, agent, *workflow, now));
    explained["agent"] = agent;
    explained["fingerprint"] = *fingerprint;
    return explained;
  }
  Json all = Json::array();
  for (const std::string& w : book_.Workflows(caller.tenant_id, agent)) {
    PACTUM_ASSIGN_OR_RETURN(Json explained, book_.Explain(caller.tenant_id, agent, w, now));
    all.push_back(std::move(explained));
  }
  return Json{{"agent", agent}, {"fingerprint", *fingerprint}, {"workflows", std::move(all)}};
}

Result<trust::TrustSnapshot> Service::TrustSnapshot(const Principal& caller,
                                                    std::string_view agent_id,
                                                    std::string_view workflow) {
  return book_.Snapshot(caller.tenant_id, std::string(agent_id), std::string(workflow),
                        Seconds(clock_->Now()));
}

}  // namespace pactum::service
