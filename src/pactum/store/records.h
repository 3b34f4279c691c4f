// Rows and queries for the records of the trust loop: agents (and their versions), published
// pacts, evidence and trust events, and reads of the log's leaves. Queries that serve a caller
// take the caller's tenant id.
// Bodies are canonical JSON text, parsed by the service; the store does not interpret them.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/store/sqlite.h"

namespace pactum::store {

struct AgentRow {
  std::string tenant_id;
  std::string id;
  std::string record;  // canonical JSON
  std::string fingerprint;
  std::int64_t created_at = 0, updated_at = 0;  // Unix milliseconds
};

// Inserts or replaces the agent's current row, and adds its version (as logged at log_index).
Status UpsertAgent(Connection& db, const AgentRow& row, std::uint64_t log_index);
Result<std::optional<AgentRow>> FindAgent(Connection& db, std::string_view tenant_id,
                                          std::string_view id);
Result<std::vector<AgentRow>> ListAgents(Connection& db, std::string_view tenant_id);

struct AgentVersionRow {
  std::uint64_t log_index = 0;
  std::string tenant_id, agent_id, fingerprint, record;
  std::int64_t at = 0;
};
// Every version of the agent, by log index.
Result<std::vector<AgentVersionRow>> ListAgentVersions(Connection& db, std::string_view tenant_id,
                                                       std::string_view agent_id);

struct PactRow {
  std::string tenant_id;
  std::string name;
  std::int64_t version = 0;
  std::string workflow, hash, body;
  std::int64_t published_at = 0;
  std::uint64_t log_index = 0;
};

Status InsertPact(Connection& db, const PactRow& row);
Result<std::optional<PactRow>> FindPact(Connection& db, std::string_view tenant_id,
                                        std::string_view name, std::optional<std::int64_t> version);
// Every version of every pact of the tenant (all tenants when empty), by log index.
Result<std::vector<PactRow>> ListPacts(Connection& db, std::optional<std::string> tenant_id);

struct EvidenceRow {
  std::uint64_t log_index = 0;
  std::string id, tenant_id, agent_id, workflow, kind;
  // The number of its (tenant, agent, workflow), as EvidenceStream gives it: what the row stores
  // in place of the agent and workflow (it keeps the tenant, for tenant-scoped look-ups).
  std::int64_t stream = 0;
  std::int64_t time = 0;  // Unix milliseconds
  std::optional<std::string> idempotency_key;
  std::int64_t received_at = 0;
  // Read only: the canonical JSON of the evidence's log leaf, which holds the evidence.
  std::string leaf_data;
};

// The number of the evidence stream of (tenant, agent, workflow), created when it has none. Run
// in a write transaction; a number once committed never changes.
Result<std::int64_t> EvidenceStream(Connection& db, std::string_view tenant_id,
                                    std::string_view agent_id, std::string_view workflow);
// Inserts the rows, each under its stream (row.stream), which names its agent and workflow: the
// rows' agent_id and workflow are not read. The caller keeps the rows.
Status InsertEvidence(Connection& db, const std::vector<EvidenceRow*>& rows);
// The record of the tenant's idempotency key among the records at `log_indexes`, which the
// caller's index of keys named. The store keeps no index of keys (migration 9).
Result<std::optional<EvidenceRow>> FindEvidenceByIdempotencyKey(
    Connection& db, std::string_view tenant_id, std::string_view key,
    const std::vector<std::uint64_t>& log_indexes);
Result<std::optional<EvidenceRow>> FindEvidence(Connection& db, std::string_view tenant_id,
                                                std::string_view id);

struct EvidenceScan {
  std::optional<std::string> agent_id, workflow;
  std::vector<std::string> kinds;         // only these kinds (empty: any)
  std::vector<std::string> except_kinds;  // none of these
  std::optional<std::int64_t> from, to;   // time in [from, to), Unix milliseconds
};
// The tenant's evidence the scan admits, with its leaf data, in log order. A callback rather
// than a vector: a tenant's evidence can be large.
Status ForEachEvidence(Connection& db, std::string_view tenant_id, const EvidenceScan& scan,
                       const std::function<Status(const EvidenceRow&)>& fn);

struct EvidenceKindSummary {
  std::string kind;
  std::int64_t newest = 0;  // the latest evidence time, Unix milliseconds
  std::int64_t count = 0;
};
// The agent's evidence in the workflow, summarized per kind, in kind order.
Result<std::vector<EvidenceKindSummary>> SummarizeEvidenceByKind(Connection& db,
                                                                 std::string_view tenant_id,
                                                                 std::string_view agent_id,
                                                                 std::string_view workflow);

struct EventRow {
  std::uint64_t log_index = 0;
  std::string id, tenant_id, type, agent_id, workflow;
  std::int64_t time = 0;
  std::uint64_t cause_index = 0;
  std::string data;
};

Status InsertEvent(Connection& db, const EventRow& row);
struct EventFilter {
  std::optional<std::string> agent_id, workflow, type;
  std::optional<std::uint64_t> after;  // log index
  std::size_t limit = 100;
};
Result<std::vector<EventRow>> ListEvents(Connection& db, std::string_view tenant_id,
                                         const EventFilter& filter);
// The highest cause_index of the events the trust loop logs after its records (0 when none).
// Events written by decisions and reviews (decision.escalated, review.resolved, review.overdue)
// do not count: they commit with their own records, so they say nothing about whether the
// loop's events for earlier records were logged.
Result<std::uint64_t> LastEventCause(Connection& db);

// A log leaf as stored (the ledger owns the table; its hash is the ledger's business).
struct LeafRow {
  std::uint64_t index = 0;
  std::string tenant, type;  // tenant: the tenant's name, which is what a leaf carries
  std::int64_t time = 0;     // Unix milliseconds
  std::string data;          // canonical JSON
};
// The leaves of one type the tenant, by name, logged with time in [from, to), in log order.
Status ForEachLeaf(Connection& db, std::string_view tenant_name, std::string_view type,
                   std::int64_t from, std::int64_t to,
                   const std::function<Status(const LeafRow&)>& fn);

// The records that change trust, across all tenants, in log order: what a restart replays.
struct LoopRecord {
  enum class Kind { kAgentVersion, kPact, kEvidence } kind;
  AgentVersionRow agent;
  PactRow pact;
  EvidenceRow evidence;
};
Status ForEachLoopRecord(Connection& db, const std::function<Status(const LoopRecord&)>& fn);

}  // namespace pactum::store
