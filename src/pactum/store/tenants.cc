#include "pactum/store/tenants.h"

#include <sstream>

namespace pactum::store {
namespace {

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes) {
    if (!out.empty()) out.push_back(' ');
    out += s;
  }
  return out;
}

std::vector<std::string> SplitScopes(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string s; in >> s;)
    out.push_back(s);
  return out;
}

constexpr const char* kKeyColumns =
    "k.id, k.tenant_id, t.name, k.name, k.prefix, k.secret_sha256, k.scopes, k.created_at, "
    "k.revoked_at FROM api_keys k JOIN tenants t ON t.id = k.tenant_id";

ApiKeyRow ReadKey(const Statement& st) {
  ApiKeyRow row;
  row.id = st.ColumnText(0);
  row.tenant_id = st.ColumnText(1);
  row.tenant_name = st.ColumnText(2);
  row.name = st.ColumnText(3);
  row.prefix = st.ColumnText(4);
  row.secret_sha256 = st.ColumnBlob(5);
  row.scopes = SplitScopes(st.ColumnText(6));
  row.created_at = st.ColumnInt(7);
  row.revoked_at = st.ColumnOptionalInt(8);
  return row;
}

}  // namespace

Status InsertTenant(Connection& db, const TenantRow& row) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st, db.Prepare("INSERT INTO tenants (id, name, created_at) VALUES (?1, ?2, ?3)"));
  st.Bind(1, row.id).Bind(2, row.name).Bind(3, row.created_at);
  Status s = st.Run();
  if (s.code() == Code::kConflict)
    return AlreadyExists("tenant \"" + row.name + "\" already exists");
  return s;
}

Result<std::optional<TenantRow>> FindTenantByName(Connection& db, std::string_view name) {
  PACTUM_ASSIGN_OR_RETURN(auto st,
                          db.Prepare("SELECT id, name, created_at FROM tenants WHERE name = ?1"));
  st.Bind(1, name);
  PACTUM_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<TenantRow>();
  return std::optional<TenantRow>(TenantRow{st.ColumnText(0), st.ColumnText(1), st.ColumnInt(2)});
}

Result<std::vector<TenantRow>> ListTenants(Connection& db) {
  PACTUM_ASSIGN_OR_RETURN(auto st,
                          db.Prepare("SELECT id, name, created_at FROM tenants ORDER BY name"));
  std::vector<TenantRow> out;
  for (;;) {
    PACTUM_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back(TenantRow{st.ColumnText(0), st.ColumnText(1), st.ColumnInt(2)});
  }
}

Status InsertApiKey(Connection& db, const ApiKeyRow& row) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st,
      db.Prepare(
          "INSERT INTO api_keys (id, tenant_id, name, prefix, secret_sha256, scopes, created_at, "
          "revoked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  st.Bind(1, row.id).Bind(2, row.tenant_id).Bind(3, row.name).Bind(4, row.prefix);
  st.BindBlob(5, row.secret_sha256).Bind(6, JoinScopes(row.scopes)).Bind(7, row.created_at);
  st.Bind(8, row.revoked_at);
  return st.Run();
}

Result<std::optional<ApiKeyRow>> FindApiKeyBySecretHash(Connection& db, std::string_view sha256) {
  PACTUM_ASSIGN_OR_RETURN(
      auto st, db.Prepare(std::string("SELECT ") + kKeyColumns + " WHERE k.secret_sha256 = ?1"));
  st.BindBlob(1, sha256);
  PACTUM_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<ApiKeyRow>();
  return std::optional<ApiKeyRow>(ReadKey(st));
}

Result<std::vector<ApiKeyRow>> ListApiKeys(Connection& db, std::optional<std::string> tenant_id) {
  std::string sql = std::string("SELECT ") + kKeyColumns;
  if (tenant_id) sql += " WHERE k.tenant_id = ?1";
  sql += " ORDER BY k.created_at, k.id";
  PACTUM_ASSIGN_OR_RETURN(auto st, db.Prepare(sql));
  if (tenant_id) st.Bind(1, *tenant_id);
  std::vector<ApiKeyRow> out;
  for (;;) {
    PACTUM_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back(ReadKey(st));
  }
}

Result<std::int64_t> CountApiKeys(Connection& db) {
  PACTUM_ASSIGN_OR_RETURN(auto st, db.Prepare("SELECT COUNT(*) FROM api_keys"));
  PACTUM_TRY(st.Step().status());
  return st.ColumnInt(0);
}

Result<bool> RevokeApiKey(Connection& db, std::optional<std::string> tenant_id,
                          std::string_view key_id, std::int64_t revoked_at) {
  std::string sql = "UPDATE api_keys SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL";
  if (tenant_id) sql += " AND tenant_id = ?3";
  PACTUM_ASSIGN_OR_RETURN(auto st, db.Prepare(sql));
  st.Bind(1, revoked_at).Bind(2, key_id);
  if (tenant_id) st.Bind(3, *tenant_id);
  PACTUM_TRY(st.Run());
  return db.Changes() > 0;
}

}  // namespace pactum::store
