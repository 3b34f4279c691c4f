#include "pactum/service/auth.h"

#include <algorithm>

#include "pactum/base/clock.h"

namespace pactum::service {

const std::vector<std::string>& KnownScopes() {
  static const std::vector<std::string> kScopes = {
      "agents:write", "pacts:write", "evidence:write", "decide", "reviews:write", "read", "admin"};
  return kScopes;
}

Status ValidateScopes(const std::vector<std::string>& scopes) {
  if (scopes.empty())
    return InvalidArgument("a key needs at least one scope", {{"field", "scopes"}});
  const auto& known = KnownScopes();
  for (const auto& s : scopes) {
    if (std::find(known.begin(), known.end(), s) == known.end()) {
      std::string list;
      for (const auto& k : known)
        list += (list.empty() ? "" : ", ") + k;
      return InvalidArgument("unknown scope \"" + s + "\" (known: " + list + ")",
                             {{"field", "scopes"}});
    }
  }
  return Status::Ok();
}

Json ApiKeyJson(const ApiKey& k) {
  Json j = {{"id", k.id},           {"tenant", k.tenant_name},
            {"name", k.name},       {"prefix", k.prefix},
            {"scopes", k.scopes},   {"created_at", FormatRfc3339(FromUnixMillis(k.created_at))},
            {"revoked_at", nullptr}};
  if (k.revoked_at) j["revoked_at"] = FormatRfc3339(FromUnixMillis(*k.revoked_at));
  return j;
}

bool Principal::HasScope(std::string_view scope) const {
  return std::any_of(scopes.begin(), scopes.end(),
                     [&](const std::string& s) { return s == scope || s == "admin"; });
}

Status ValidateTenantName(std::string_view name) {
  auto ok_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  };
  bool ok = !name.empty() && name.size() <= 64 && ok_char(name[0]) && name[0] != '.' &&
            name[0] != '_' && name[0] != '-' && std::all_of(name.begin(), name.end(), ok_char);
  if (!ok)
    return InvalidArgument("bad tenant name \"" + std::string(name) +
                               "\": use 1-64 characters of a-z, 0-9, '.', '_', '-', starting "
                               "with a letter or digit",
                           {{"field", "tenant"}});
  return Status::Ok();
}

}  // namespace pactum::service
