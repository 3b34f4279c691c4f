// Rows and queries for tenants and API keys. Every query that serves a caller takes the
// caller's tenant id: rows of one tenant are never visible through another's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/store/sqlite.h"

namespace pactum::store {

struct TenantRow {
  std::string id;
  std::string name;
  std::int64_t created_at = 0;  // Unix milliseconds
};

struct ApiKeyRow {
  std::string id;
  std::string tenant_id;
  std::string tenant_name;  // filled by reads; ignored by InsertApiKey
  std::string name;
  std::string prefix;         // the first characters of the secret, to recognise a key
  std::string secret_sha256;  // 32 raw bytes
  std::vector<std::string> scopes;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> revoked_at;
};

Status InsertTenant(Connection& db, const TenantRow& row);
Result<std::optional<TenantRow>> FindTenantByName(Connection& db, std::string_view name);
Result<std::vector<TenantRow>> ListTenants(Connection& db);

Status InsertApiKey(Connection& db, const ApiKeyRow& row);
// Looks a key up by the SHA-256 of its secret (revoked keys included; the caller decides).
Result<std::optional<ApiKeyRow>> FindApiKeyBySecretHash(Connection& db, std::string_view sha256);
// Keys of one tenant, or of every tenant when `tenant_id` is empty (operator use only).
Result<std::vector<ApiKeyRow>> ListApiKeys(Connection& db, std::optional<std::string> tenant_id);
Result<std::int64_t> CountApiKeys(Connection& db);
// Marks the key revoked. Returns false if no unrevoked key with that id exists in the tenant
// (or anywhere, when `tenant_id` is empty).
Result<bool> RevokeApiKey(Connection& db, std::optional<std::string> tenant_id,
                          std::string_view key_id, std::int64_t revoked_at);

}  // namespace pactum::store
