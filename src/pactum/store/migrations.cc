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
  };
  return kMigrations;
}

}  // namespace pactum::store
