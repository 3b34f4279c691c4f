#include "pactum/store/records.h"

#include <array>

#include "pactum/store/rows.h"

namespace pactum::store {
namespace {

constexpr const char* kAgentColumns =
    "SELECT tenant_id, id, record, fingerprint, created_at, updated_at FROM agents";

AgentRow ReadAgent(const Statement& st) {
  return AgentRow{st.ColumnText(0), st.ColumnText(1), st.ColumnText(2),
                  st.ColumnText(3), st.ColumnInt(4),  st.ColumnInt(5)};
}

constexpr const char* kAgentVersionColumns =
    "SELECT log_index, tenant_id, agent_id, fingerprint, record, at FROM agent_versions";

AgentVersionRow ReadAgentVersion(const Statement& st) {
  return AgentVersionRow{FromSql(st.ColumnInt(0)), st.ColumnText(1), st.ColumnText(2),
                         st.ColumnText(3),         st.ColumnText(4), st.ColumnInt(5)};
}

constexpr const char* kPactColumns =
    "SELECT tenant_id, name, version, workflow, hash, body, published_at, log_index FROM pacts";

PactRow ReadPact(const Statement& st) {
  return PactRow{st.ColumnText(0), st.ColumnText(1), st.ColumnInt(2), st.ColumnText(3),
                 st.ColumnText(4), st.ColumnText(5), st.ColumnInt(6), FromSql(st.ColumnInt(7))};
}

constexpr const char* kEvidenceColumns =
    "SELECT e.log_index, e.id, e.tenant_id, s.agent_id, s.workflow, e.kind, e.time, "
    "e.idempotency_key, l.data, e.received_at, e.stream FROM evidence e "
    "JOIN evidence_streams s ON s.id = e.stream JOIN log_leaves l ON l.idx = e.log_index";

EvidenceRow ReadEvidence(const Statement& st) {
  EvidenceRow row;
  row.log_index = FromSql(st.ColumnInt(0));
  row.id = st.ColumnText(1);
  row.tenant_id = st.ColumnText(2);
  row.agent_id = st.ColumnText(3);
  row.workflow = st.ColumnText(4);
  row.kind = st.ColumnText(5);
  row.time = st.ColumnInt(6);
  if (!st.ColumnIsNull(7)) row.idempotency_key = st.ColumnText(7);
  row.leaf_data = st.ColumnBlob(8);
  row.received_at = st.ColumnInt(9);
  row.stream = st.ColumnInt(10);
  return row;
}

// The number of the stream of (tenant, agent, workflow), if it has one.
Result<std::optional<std::int64_t>> FindEvidenceStream(Connection& db, std::string_view tenant_id,
                                                       std::string_view agent_id,
                                                       std::string_view workflow) {
  PACTUM_ASSIGN_OR_RETURN(auto select,
                          db.Prepare("SELECT id FROM evidence_streams WHERE tenant_id = ?1 AND "
                                     "agent_id = ?2 AND workflow = ?3"));
  select.Bind(1, tenant_id).Bind(2, agent_id).Bind(3, workflow);
  PACTUM_ASSIGN_OR_RETURN(bool found, select.Step());
  if (!found) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(select.ColumnInt(0));
}

}  // namespace

Status UpsertAgent(Connection& db, const AgentRow& row, std::uint64_t log_index) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st, db.Prepare("INSERT INTO agents (tenant_id, id, record, fingerprint, created_at, "
                          "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                          "ON CONFLICT (tenant_id, id) DO UPDATE SET record = excluded.record, "
                          "fingerprint = excluded.fingerprint, updated_at = excluded.updated_at"));
  st.Bind(1, row.tenant_id)
      .Bind(2, row.id)
      .Bind(3, row.record)
      .Bind(4, row.fingerprint)
      .Bind(5, row.created_at)
      .Bind(6, row.updated_at);
  PACTUM_TRY(st.Run());
  PACTUM_ASSIGN_OR_RETURN(auto version,
                          db.Prepare("INSERT INTO agent_versions (log_index, tenant_id, agent_id, "
                                     "fingerprint, record, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  version.Bind(1, ToSql(log_index))
      .Bind(2, row.tenant_id)
      .Bind(3, row.id)
      .Bind(4, row.fingerprint)
      .Bind(5, row.record)
      .Bind(6, row.updated_at);
  return version.Run();
}

Result<std::optional<AgentRow>> FindAgent(Connection& db, std::string_view tenant_id,
                                          std::string_view id) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st, db.Prepare(std::string(kAgentColumns) + " WHERE tenant_id = ?1 AND id = ?2"));
  st.Bind(1, tenant_id).Bind(2, id);
  return FirstRow(st, ReadAgent);
}

Result<std::vector<AgentRow>> ListAgents(Connection& db, std::string_view tenant_id) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st, db.Prepare(std::string(kAgentColumns) + " WHERE tenant_id = ?1 ORDER BY id"));
  st.Bind(1, tenant_id);
  return AllRows(st, ReadAgent);
}

Result<std::vector<AgentVersionRow>> ListAgentVersions(Connection& db, std::string_view tenant_id,
                                                       std::string_view agent_id) {
  PACTUM_ASSIGN_OR_RETURN(auto st, db.Prepare(std::string(kAgentVersionColumns) +
                                              " WHERE tenant_id = ?1 AND agent_id = ?2 "
                                              "ORDER BY log_index"));
  st.Bind(1, tenant_id).Bind(2, agent_id);
  return AllRows(st, ReadAgentVersion);
}

Status InsertPact(Connection& db, const PactRow& row) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st, db.Prepare("INSERT INTO pacts (tenant_id, name, version, workflow, hash, body, "
                          "published_at, log_index) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  st.Bind(1, row.tenant_id)
      .Bind(2, row.name)
      .Bind(3, row.version)
      .Bind(4, row.workflow)
      .Bind(5, row.hash)
      .Bind(6, row.body)
      .Bind(7, row.published_at)
      .Bind(8, ToSql(row.log_index));
  return st.Run();
}

Result<std::optional<PactRow>> FindPact(Connection& db, std::string_view tenant_id,
                                        std::string_view name,
                                        std::optional<std::int64_t> version) {
  std::string sql = std::string(kPactColumns) + " WHERE tenant_id = ?1 AND name = ?2";
  sql += version ? " AND version = ?3" : " ORDER BY version DESC LIMIT 1";
  PACTUM_ASSIGN_OR_RETURN(auto st, db.Prepare(sql));
  st.Bind(1, tenant_id).Bind(2, name);
  if (version) st.Bind(3, *version);
  return FirstRow(st, ReadPact);
}

Result<std::vector<PactRow>> ListPacts(Connection& db, std::optional<std::string> tenant_id) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st, db.Prepare(std::string(kPactColumns) + (tenant_id ? " WHERE tenant_id = ?1" : "") +
                          " ORDER BY log_index"));
  if (tenant_id) st.Bind(1, *tenant_id);
  return AllRows(st, ReadPact);
}

Result<std::int64_t> EvidenceStream(Connection& db, std::string_view tenant_id,
                                    std::string_view agent_id, std::string_view workflow) {
  PACTUM_ASSIGN_OR_RETURN(
      auto insert,
      db.Prepare("INSERT INTO evidence_streams (tenant_id, agent_id, workflow) VALUES (?1, ?2, ?3) "
                 "ON CONFLICT (tenant_id, agent_id, workflow) DO NOTHING"));
  insert.Bind(1, tenant_id).Bind(2, agent_id).Bind(3, workflow);
  PACTUM_TRY(insert.Run());
  PACTUM_ASSIGN_OR_RETURN(auto stream, FindEvidenceStream(db, tenant_id, agent_id, workflow));
  if (!stream) return Internal("evidence stream missing after its insert");
  return *stream;
}

Status InsertEvidence(Connection& db, const std::vector<EvidenceRow*>& rows) {
  for (const EvidenceRow* row : rows) {
    if (row->stream <= 0) return Internal("evidence row " + row->id + " has no stream");
  }
  // Borrowed: the rows outlive the statements, which run on the log's sequencer.
  constexpr auto kBorrowed = Statement::Bytes::kBorrowed;
  return InsertRows(db,
                    "evidence (log_index, stream, id, tenant_id, kind, time, idempotency_key, "
                    "received_at)",
                    8, rows.size(), [&](Statement& st, int c, std::size_t i) {
                      const EvidenceRow& row = *rows[i];
                      st.Bind(c, ToSql(row.log_index))
                          .Bind(c + 1, row.stream)
                          .Bind(c + 2, row.id, kBorrowed)
                          .Bind(c + 3, row.tenant_id, kBorrowed)
                          .Bind(c + 4, row.kind, kBorrowed)
                          .Bind(c + 5, row.time);
                      if (row.idempotency_key) {
                        st.Bind(c + 6, *row.idempotency_key, kBorrowed);
                      } else {
                        st.BindNull(c + 6);
                      }
                      st.Bind(c + 7, row.received_at);
                    });
}

Result<std::optional<EvidenceRow>> FindEvidenceByIdempotencyKey(
    Connection& db, std::string_view tenant_id, std::string_view key,
    const std::vector<std::uint64_t>& log_indexes) {
  PACTUM_ASSIGN_OR_RETURN(auto st,
                          db.Prepare(std::string(kEvidenceColumns) + " WHERE e.log_index = ?1"));
  for (std::uint64_t index : log_indexes) {
    st.Reset();
    st.Bind(1, ToSql(index));
    PACTUM_ASSIGN_OR_RETURN(bool found, st.Step());
    if (!found) continue;
    EvidenceRow row = ReadEvidence(st);
    if (row.tenant_id == tenant_id && row.idempotency_key == key)
      return std::optional<EvidenceRow>(std::move(row));
  }
  return std::optional<EvidenceRow>();
}

Result<std::optional<EvidenceRow>> FindEvidence(Connection& db, std::string_view tenant_id,
                                                std::string_view id) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st, db.Prepare(std::string(kEvidenceColumns) + " WHERE e.tenant_id = ?1 AND e.id = ?2"));
  st.Bind(1, tenant_id).Bind(2, id);
  return FirstRow(st, ReadEvidence);
}

Status ForEachEvidence(Connection& db, std::string_view tenant_id, const EvidenceScan& scan,
                       const std::function<Status(const EvidenceRow&)>& fn) {
  Query query(kEvidenceColumns);
  if (scan.agent_id && scan.workflow) {
    // One stream: read in log order straight off its index, with no sort.
    PACTUM_ASSIGN_OR_RETURN(auto stream,
                            FindEvidenceStream(db, tenant_id, *scan.agent_id, *scan.workflow));
    if (!stream) return Status::Ok();  // no evidence was ever recorded for it
    query.Add(" WHERE e.stream = ?", *stream);
  } else {
    // The tenant's streams the scan admits, each read off its index, then put in log order.
    query.Add(" WHERE e.stream IN (SELECT id FROM evidence_streams WHERE tenant_id = ?",
              std::string(tenant_id));
    query.AddIf(" AND agent_id = ?", scan.agent_id).AddIf(" AND workflow = ?", scan.workflow);
    query.Add(")");
  }
  query.AddIf(" AND e.time >= ?", scan.from).AddIf(" AND e.time < ?", scan.to);
  query.AddList(" AND e.kind IN ", scan.kinds).AddList(" AND e.kind NOT IN ", scan.except_kinds);
  PACTUM_ASSIGN_OR_RETURN(auto st, query.Add(" ORDER BY e.log_index").Prepare(db));
  for (;;) {
    PACTUM_ASSIGN_OR_RETURN(bool found, st.Step());
    if (!found) return Status::Ok();
    PACTUM_TRY(fn(ReadEvidence(st)));
  }
}

Result<std::vector<EvidenceKindSummary>> SummarizeEvidenceByKind(Connection& db,
                                                                 std::string_view tenant_id,
                                                                 std::string_view agent_id,
                                                                 std::string_view workflow) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st, db.Prepare("SELECT e.kind, MAX(e.time), COUNT(*) FROM evidence e JOIN "
                          "evidence_streams s ON s.id = e.stream WHERE s.tenant_id = ?1 AND "
                          "s.agent_id = ?2 AND s.workflow = ?3 GROUP BY e.kind ORDER BY e.kind"));
  st.Bind(1, tenant_id).Bind(2, agent_id).Bind(3, workflow);
  return AllRows(
      st, +[](const Statement& s) {
        return EvidenceKindSummary{s.ColumnText(0), s.ColumnInt(1), s.ColumnInt(2)};
      });
}

Status InsertEvent(Connection& db, const EventRow& row) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st, db.Prepare("INSERT INTO events (log_index, id, tenant_id, type, agent_id, workflow, "
                          "time, cause_index, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  st.Bind(1, ToSql(row.log_index))
      .Bind(2, row.id)
      .Bind(3, row.tenant_id)
      .Bind(4, row.type)
      .Bind(5, row.agent_id)
      .Bind(6, row.workflow)
      .Bind(7, row.time)
      .Bind(8, ToSql(row.cause_index))
      .Bind(9, row.data);
  return st.Run();
}

Result<std::vector<EventRow>> ListEvents(Connection& db, std::string_view tenant_id,
                                         const EventFilter& filter) {
  Query query(
      "SELECT log_index, id, tenant_id, type, agent_id, workflow, time, cause_index, data FROM "
      "events");
  query.Add(" WHERE tenant_id = ?", std::string(tenant_id));
  query.AddIf(" AND agent_id = ?", filter.agent_id).AddIf(" AND workflow = ?", filter.workflow);
  query.AddIf(" AND type = ?", filter.type);
  if (filter.after) query.Add(" AND log_index > ?", ToSql(*filter.after));
  query.Add(" ORDER BY log_index LIMIT ?", static_cast<std::int64_t>(filter.limit));
  PACTUM_ASSIGN_OR_RETURN(auto st, query.Prepare(db));
  return AllRows(
      st, +[](const Statement& s) {
        return EventRow{FromSql(s.ColumnInt(0)), s.ColumnText(1),         s.ColumnText(2),
                        s.ColumnText(3),         s.ColumnText(4),         s.ColumnText(5),
                        s.ColumnInt(6),          FromSql(s.ColumnInt(7)), s.ColumnText(8)};
      });
}

Result<std::uint64_t> LastEventCause(Connection& db) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st, db.Prepare("SELECT COALESCE(MAX(cause_index), 0) FROM events WHERE type NOT IN "
                          "('decision.escalated', 'review.resolved', 'review.overdue')"));
  PACTUM_ASSIGN_OR_RETURN(bool found, st.Step());
  return found ? FromSql(st.ColumnInt(0)) : 0;
}

Status ForEachLeaf(Connection& db, std::string_view tenant_name, std::string_view type,
                   std::int64_t from, std::int64_t to,
                   const std::function<Status(const LeafRow&)>& fn) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st, db.Prepare("SELECT idx, tenant, type, time, data FROM log_leaves WHERE tenant = ?1 "
                          "AND type = ?2 AND time >= ?3 AND time < ?4 ORDER BY idx"));
  st.Bind(1, tenant_name).Bind(2, type).Bind(3, from).Bind(4, to);
  for (;;) {
    PACTUM_ASSIGN_OR_RETURN(bool found, st.Step());
    if (!found) return Status::Ok();
    PACTUM_TRY(fn(LeafRow{FromSql(st.ColumnInt(0)), st.ColumnText(1), st.ColumnText(2),
                          st.ColumnInt(3), st.ColumnBlob(4)}));
  }
}

Status ForEachLoopRecord(Connection& db, const std::function<Status(const LoopRecord&)>& fn) {
  // Three cursors in log order, merged: each table is read once, in index order.
  PACTUM_ASSIGN_OR_RETURN(auto agents,
                          db.Prepare(std::string(kAgentVersionColumns) + " ORDER BY log_index"));
  PACTUM_ASSIGN_OR_RETURN(auto pacts,
                          db.Prepare(std::string(kPactColumns) + " ORDER BY log_index"));
  PACTUM_ASSIGN_OR_RETURN(auto evidence,
                          db.Prepare(std::string(kEvidenceColumns) + " ORDER BY e.log_index"));
  std::array<Statement*, 3> cursors = {&agents, &pacts, &evidence};
  std::array<std::optional<std::uint64_t>, 3> heads;
  auto advance = [&](std::size_t i) -> Status {
    PACTUM_ASSIGN_OR_RETURN(bool found, cursors[i]->Step());
    if (!found) {
      heads[i].reset();
    } else {
      // The log index is column 0 of agents and evidence, column 7 of pacts.
      heads[i] = FromSql(cursors[i]->ColumnInt(i == 1 ? 7 : 0));
    }
    return Status::Ok();
  };
  for (std::size_t i = 0; i < 3; ++i)
    PACTUM_TRY(advance(i));
  for (;;) {
    std::size_t next = 3;
    for (std::size_t i = 0; i < 3; ++i) {
      if (heads[i] && (next == 3 || *heads[i] < *heads[next])) next = i;
    }
    if (next == 3) return Status::Ok();
    LoopRecord record{static_cast<LoopRecord::Kind>(next), {}, {}, {}};
    const Statement& st = *cursors[next];
    if (next == 0) {
      record.agent = ReadAgentVersion(st);
    } else if (next == 1) {
      record.pact = ReadPact(st);
    } else {
      record.evidence = ReadEvidence(st);
    }
    PACTUM_TRY(fn(record));
    PACTUM_TRY(advance(next));
  }
}

}  // namespace pactum::store
