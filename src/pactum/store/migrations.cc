// The schema, as a sequence of numbered migrations. Append new ones; never edit a released one.
#include "pactum/store/store.h"

namespace pactum::store {

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "tenants and api keys", R"sql(
CREATE TABLE tenants (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
-- An API key is stored only as the SHA-256 of its secret; the secret is shown once.
CREATE TABLE api_keys (
  id            TEXT PRIMARY KEY,
  tenant_id     TEXT NOT NULL REFERENCES tenants(id),
  name          TEXT NOT NULL,
  prefix        TEXT NOT NULL,
  secret_sha256 BLOB NOT NULL UNIQUE,
  scopes        TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  revoked_at    INTEGER
);
CREATE INDEX api_keys_by_tenant ON api_keys (tenant_id, created_at);
)sql"},
      {2, "transparency log", R"sql(
-- One row per log leaf: data is the leaf's canonical JSON, the other columns copy its fields
-- for filtering. leaf_hash is RFC 6962's SHA-256(0x00 || data).
CREATE TABLE log_leaves (
  idx       INTEGER PRIMARY KEY,
  tenant    TEXT NOT NULL,
  type      TEXT NOT NULL,
  time      INTEGER NOT NULL,
  data      BLOB NOT NULL,
  leaf_hash BLOB NOT NULL
);
-- Hashes of the complete subtrees above the leaves (level >= 1), covering leaves
-- [idx << level, (idx + 1) << level): proofs read O(log n) of them.
CREATE TABLE log_subtrees (
  level INTEGER NOT NULL,
  idx   INTEGER NOT NULL,
  hash  BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;
-- Signed checkpoints handed out, so that log verify can check recomputed roots against them.
CREATE TABLE log_checkpoints (
  size INTEGER PRIMARY KEY,
  note TEXT NOT NULL
);
-- Facts about the log itself (its origin).
CREATE TABLE log_meta (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql"},
      {3, "agents, pacts, evidence and events", R"sql(
-- Agents as registered now; agent_versions keeps every registration and change, as logged.
CREATE TABLE agents (
  tenant_id    TEXT NOT NULL REFERENCES tenants(id),
  id           TEXT NOT NULL,
  record       TEXT NOT NULL,  -- canonical JSON: display_name, owner, provider, model, assets
  fingerprint  TEXT NOT NULL,  -- hex SHA-256 of the canonical JSON of the assets
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
CREATE TABLE agent_versions (
  log_index   INTEGER PRIMARY KEY,
  tenant_id   TEXT NOT NULL,
  agent_id    TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  record      TEXT NOT NULL,
  at          INTEGER NOT NULL
);
-- Published pact versions: immutable; body is the canonical JSON whose SHA-256 is hash.
CREATE TABLE pacts (
  tenant_id    TEXT NOT NULL,
  name         TEXT NOT NULL,
  version      INTEGER NOT NULL,
  workflow     TEXT NOT NULL,
  hash         TEXT NOT NULL,
  body         TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  log_index    INTEGER NOT NULL UNIQUE,
  PRIMARY KEY (tenant_id, name, version)
) WITHOUT ROWID;
-- Evidence, append-only. A row is written in the transaction that commits its log leaf, so
-- log_index is never missing; the evidence itself, with the pact hash and agent fingerprint it
-- was recorded under, is the leaf's data (log_leaves.data), kept once. Idempotency keys are
-- unique per tenant.
CREATE TABLE evidence (
  log_index       INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  tenant_id       TEXT NOT NULL,
  agent_id        TEXT NOT NULL,
  workflow        TEXT NOT NULL,
  kind            TEXT NOT NULL,
  time            INTEGER NOT NULL,
  idempotency_key TEXT,
  received_at     INTEGER NOT NULL
);
CREATE UNIQUE INDEX evidence_idempotency ON evidence (tenant_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX evidence_by_agent ON evidence (tenant_id, agent_id, workflow, log_index);
-- Trust events (score, tier, drift, breach, consequence, fingerprint, pact): each a log leaf;
-- cause_index is the log index of the record that caused it.
CREATE TABLE events (
  log_index   INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  tenant_id   TEXT NOT NULL,
  type        TEXT NOT NULL,
  agent_id    TEXT NOT NULL,
  workflow    TEXT NOT NULL,
  time        INTEGER NOT NULL,
  cause_index INTEGER NOT NULL,
  data        TEXT NOT NULL
);
CREATE INDEX events_by_tenant ON events (tenant_id, log_index);
)sql"},
      {4, "reviews, pact modes and webhooks", R"sql(
-- Reviews: an escalated decision waits for its reviewer; a sampled supervised allow is looked
-- at afterwards. Written in the transaction that commits the decision's leaf. status is
-- pending, approved or denied; overdue_index is the log index of the review.overdue event.
CREATE TABLE reviews (
  id               TEXT PRIMARY KEY,
  tenant_id        TEXT NOT NULL,
  decision_id      TEXT NOT NULL,
  decision_index   INTEGER NOT NULL UNIQUE,
  agent_id         TEXT NOT NULL,
  workflow         TEXT NOT NULL,
  action           TEXT NOT NULL,
  owner            TEXT NOT NULL,
  kind             TEXT NOT NULL,  -- escalation | sample
  status           TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  due_at           INTEGER NOT NULL,
  resolved_at      INTEGER,
  resolved_by      TEXT,
  note             TEXT,
  resolution_index INTEGER,
  overdue_index    INTEGER
);
CREATE INDEX reviews_by_status ON reviews (tenant_id, status, due_at);
CREATE INDEX reviews_due ON reviews (status, due_at) WHERE overdue_index IS NULL;
-- Shadow/enforce switches of a pact made by an admin after publication; the newest switch
-- newer than the pact version in force overrides the version's own mode.
CREATE TABLE pact_modes (
  log_index  INTEGER PRIMARY KEY,
  tenant_id  TEXT NOT NULL,
  pact_name  TEXT NOT NULL,
  mode       TEXT NOT NULL,  -- shadow | enforce
  set_by     TEXT NOT NULL,  -- the key id
  at         INTEGER NOT NULL
);
-- Webhook subscriptions (Standard Webhooks). event_types is a JSON array of event types, "*",
-- or prefixes like "review.*". A subscription is disabled after repeated failed deliveries.
CREATE TABLE webhooks (
  id                   TEXT PRIMARY KEY,
  tenant_id            TEXT NOT NULL,
  url                  TEXT NOT NULL,
  secret               TEXT NOT NULL,  -- whsec_<base64>
  event_types          TEXT NOT NULL,
  description          TEXT NOT NULL DEFAULT '',
  enabled              INTEGER NOT NULL DEFAULT 1,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  disabled_reason      TEXT,
  created_at           INTEGER NOT NULL
);
CREATE INDEX webhooks_by_tenant ON webhooks (tenant_id, enabled);
-- The durable outbox: one row per (subscription, event), written by the trigger below in the
-- transaction that inserts the event, so an acknowledged event is never lost to a crash. The
-- message (webhook-id = the event id, body from the events row) is built at delivery, so every
-- retry carries the same id and bytes. status is pending, delivered or failed.
CREATE TABLE webhook_deliveries (
  webhook_id      TEXT NOT NULL,
  event_index     INTEGER NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending',
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  last_status     INTEGER,
  delivered_at    INTEGER,
  PRIMARY KEY (webhook_id, event_index)
) WITHOUT ROWID;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
-- The head of each subscription's queue (its oldest pending delivery) in O(log n), however many
-- delivered rows precede it.
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (webhook_id, event_index)
  WHERE status = 'pending';
CREATE TRIGGER events_to_webhooks AFTER INSERT ON events BEGIN
  INSERT INTO webhook_deliveries (webhook_id, event_index, next_attempt_at)
  SELECT w.id, NEW.log_index, NEW.time FROM webhooks w
  WHERE w.tenant_id = NEW.tenant_id AND w.enabled = 1 AND EXISTS (
    SELECT 1 FROM json_each(w.event_types) f
    WHERE f.value = '*' OR f.value = NEW.type OR
          (substr(f.value, -2) = '.*' AND
           substr(NEW.type, 1, length(f.value) - 1) = substr(f.value, 1, length(f.value) - 1)));
END;
)sql"},
      {5, "webhook deliveries queue while a subscription is disabled", R"sql(
-- A disabled subscription keeps its queue: events committed meanwhile wait, pending, and go out
-- oldest first once it is enabled again, so a receiver's outage loses nothing. (The dispatcher
-- only takes the heads of enabled subscriptions; removing a subscription drops its queue.)
DROP TRIGGER events_to_webhooks;
CREATE TRIGGER events_to_webhooks AFTER INSERT ON events BEGIN
  INSERT INTO webhook_deliveries (webhook_id, event_index, next_attempt_at)
  SELECT w.id, NEW.log_index, NEW.time FROM webhooks w
  WHERE w.tenant_id = NEW.tenant_id AND EXISTS (
    SELECT 1 FROM json_each(w.event_types) f
    WHERE f.value = '*' OR f.value = NEW.type OR
          (substr(f.value, -2) = '.*' AND
           substr(NEW.type, 1, length(f.value) - 1) = substr(f.value, 1, length(f.value) - 1)));
END;
)sql"},
      {6, "log subtrees in the order the log completes them", R"sql(
-- Keyed by (level, idx), each commit inserted its new subtree hashes at the end of every level's
-- range: one place in the middle of the table per level, where page splits cost the most. Keyed
-- by the order in which appends complete subtrees (merkle::CompletionOrder: a post-order
-- numbering, leaves included), every insert lands at the table's end. level and idx stay, for
-- reading and for `pactum log verify` to name a subtree.
CREATE TABLE log_subtrees_by_pos (
  pos   INTEGER PRIMARY KEY,
  level INTEGER NOT NULL,
  idx   INTEGER NOT NULL,
  hash  BLOB NOT NULL
);
-- pos = level + the sum over j >= 0 of (m >> j), m being the subtree's last leaf.
WITH RECURSIVE halves(level, idx, m, sum) AS (
  SELECT level, idx, ((idx + 1) << level) - 1, 0 FROM log_subtrees
  UNION ALL
  SELECT level, idx, m >> 1, sum + m FROM halves WHERE m > 0
)
INSERT INTO log_subtrees_by_pos (pos, level, idx, hash)
  SELECT h.sum + h.level, h.level, h.idx, s.hash
  FROM halves h JOIN log_subtrees s ON s.level = h.level AND s.idx = h.idx
  WHERE h.m = 0;
DROP TABLE log_subtrees;
ALTER TABLE log_subtrees_by_pos RENAME TO log_subtrees;
)sql"},
      {7, "evidence rows name their stream by number", R"sql(
-- An evidence row names its (tenant, agent, workflow) by the number of its stream rather than
-- by three texts that its index repeated: the row and its indexes were half the work of each
-- item on the log's sequencer. tenant_id stays in the row for the tenant-scoped id and
-- idempotency lookups. The stream is not declared a foreign key: the writer looks it up (or
-- creates it) before the row, and enforcing it would cost a look-up per row.
CREATE TABLE evidence_streams (
  id        INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  agent_id  TEXT NOT NULL,
  workflow  TEXT NOT NULL,
  UNIQUE (tenant_id, agent_id, workflow)
);
INSERT INTO evidence_streams (tenant_id, agent_id, workflow)
  SELECT tenant_id, agent_id, workflow FROM evidence
  GROUP BY tenant_id, agent_id, workflow ORDER BY MIN(log_index);
CREATE TABLE evidence_new (
  log_index       INTEGER PRIMARY KEY,
  stream          INTEGER NOT NULL,
  id              TEXT NOT NULL UNIQUE,
  tenant_id       TEXT NOT NULL,
  kind            TEXT NOT NULL,
  time            INTEGER NOT NULL,
  idempotency_key TEXT,
  received_at     INTEGER NOT NULL
);
INSERT INTO evidence_new
  SELECT e.log_index, s.id, e.id, e.tenant_id, e.kind, e.time, e.idempotency_key, e.received_at
  FROM evidence e JOIN evidence_streams s
    ON s.tenant_id = e.tenant_id AND s.agent_id = e.agent_id AND s.workflow = e.workflow;
DROP TABLE evidence;
ALTER TABLE evidence_new RENAME TO evidence;
CREATE UNIQUE INDEX evidence_idempotency ON evidence (tenant_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX evidence_by_stream ON evidence (stream, log_index);
)sql"},
      {8, "idempotency keys indexed key first", R"sql(
-- Keyed (tenant_id, idempotency_key), the index compared the 36-character tenant id, which
-- nearly every row shares, before the key at every step of every insert and look-up: key first,
-- each evidence row cost its writer ~5% fewer instructions. Look-ups give both columns.
DROP INDEX evidence_idempotency;
CREATE UNIQUE INDEX evidence_idempotency ON evidence (idempotency_key, tenant_id)
  WHERE idempotency_key IS NOT NULL;
)sql"},
      {9, "idempotency keys indexed by the server, not the store", R"sql(
-- Clients choose keys at random (alert GUIDs), so each new key landed on its own page of this
-- index: a page written to the WAL, and again by the checkpoint, for nearly every item once the
-- index outgrew a commit. The server keeps the keys' hashes in memory instead, rebuilt from
-- this table at start, and compares the rows they name (service.h, keys_stored_).
DROP INDEX evidence_idempotency;
)sql"},
  };
  return kMigrations;
}

}  // namespace pactum::store
