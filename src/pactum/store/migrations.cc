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
  };
  return kMigrations;
}

}  // namespace pactum::store
