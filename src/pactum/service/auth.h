// Who is calling: API keys, tenants and scopes (DESIGN §10).
//
// A key's secret is "pk_" followed by the unpadded base64url of 32 random bytes. Only its
// SHA-256 is stored; the secret is shown once, when the key is created.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/status.h"

namespace pactum::service {

// The scopes a key may carry. `admin` implies all the others.
const std::vector<std::string>& KnownScopes();
// Checks each scope is known; the error names the first unknown one.
Status ValidateScopes(const std::vector<std::string>& scopes);

// An authenticated caller.
struct Principal {
  std::string tenant_id;
  std::string tenant_name;
  std::string key_id;
  std::string key_name;
  std::vector<std::string> scopes;

  bool HasScope(std::string_view scope) const;
};

// A key as callers may see it: never the secret, never its hash.
struct ApiKey {
  std::string id;
  std::string tenant_name;
  std::string name;
  std::string prefix;
  std::vector<std::string> scopes;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> revoked_at;
};

// The key as JSON, as the API and the CLI show it: {id, tenant, name, prefix, scopes,
// created_at, revoked_at} with RFC 3339 times (revoked_at null while active).
Json ApiKeyJson(const ApiKey& key);

// A freshly created key, with the secret that will not be shown again.
struct IssuedKey {
  ApiKey key;
  std::string secret;
};

// Tenant names: 1–64 characters of [a-z0-9._-], starting with a letter or digit.
Status ValidateTenantName(std::string_view name);

}  // namespace pactum::service
