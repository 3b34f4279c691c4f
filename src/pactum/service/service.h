// The application core: the one object surfaces (HTTP server, CLI) talk to. It owns the store
// and the clock, and exposes the operations of the product in domain terms. Later issues add
// the loop (pacts, evidence, trust, decisions, log) here; surfaces never reach past it.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pactum/base/clock.h"
#include "pactum/base/status.h"
#include "pactum/service/auth.h"

namespace pactum::store {
class Store;
}

namespace pactum::service {

struct ServiceOptions {
  std::filesystem::path data_dir = "var";
  const Clock* clock = &SystemClock();
};

class Service {
 public:
  static Result<std::unique_ptr<Service>> Open(const ServiceOptions& options);
  ~Service();

  // On a store with no API keys at all, creates the tenant "default" and an admin key for it
  // and returns the key; otherwise returns nothing. This is how a fresh install is entered.
  Result<std::optional<IssuedKey>> Bootstrap();

  // Resolves a bearer secret to its caller. Unknown, malformed and revoked keys all fail with
  // the same kUnauthenticated message, so the answer reveals nothing about which it was.
  Result<Principal> Authenticate(std::string_view secret);

  // Keys, as seen by an authenticated caller: always within the caller's tenant.
  Result<IssuedKey> CreateKey(const Principal& caller, std::string_view name,
                              const std::vector<std::string>& scopes);
  Result<std::vector<ApiKey>> ListKeys(const Principal& caller);
  Status RevokeKey(const Principal& caller, std::string_view key_id);

  // Keys, as the operator at the machine sees them (the CLI, with the data folder in hand).
  // CreateOperatorKey creates the tenant if it does not exist.
  Result<IssuedKey> CreateOperatorKey(std::string_view tenant_name, std::string_view name,
                                      const std::vector<std::string>& scopes);
  Result<std::vector<ApiKey>> ListAllKeys(std::optional<std::string> tenant_name);
  Status RevokeAnyKey(std::string_view key_id);

  // OK if the store answers a read.
  Status CheckHealth();

  const Clock& clock() const { return *clock_; }
  int schema_version() const;

 private:
  Service(std::unique_ptr<store::Store> store, const Clock* clock);
  Result<IssuedKey> IssueKey(std::string_view tenant_name, bool create_tenant,
                             std::string_view name, const std::vector<std::string>& scopes);

  std::unique_ptr<store::Store> store_;
  const Clock* clock_;
};

}  // namespace pactum::service
