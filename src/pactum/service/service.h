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
#include "pactum/ledger/bundle.h"
#include "pactum/ledger/ledger.h"
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

  // The transparency log (DESIGN §7, docs/LOG.md): one log for the installation, each leaf
  // carrying its tenant. Checkpoints and proofs reveal only hashes and are shared by all
  // tenants; leaf contents are visible to their own tenant (and the operator) only.
  Result<ledger::Receipt> AppendLeaf(std::string_view type, std::string_view tenant, Json body);
  // The signed checkpoint (C2SP note) of the whole log, or of its first `size` leaves.
  Result<std::string> LogCheckpoint(std::optional<std::uint64_t> size = std::nullopt);
  // Proof bundles (ledger/bundle.h); `with_leaf` adds the leaf's data (operator use only).
  Result<Json> LogInclusionProof(std::uint64_t index, std::optional<std::uint64_t> size,
                                 bool with_leaf = false);
  Result<Json> LogConsistencyProof(std::uint64_t from, std::optional<std::uint64_t> to);
  // A leaf as the caller's tenant sees it: another tenant's leaf is NotFound, as a missing one.
  Result<Json> LogLeaf(const Principal& caller, std::uint64_t index);
  // Any leaf, as the operator at the machine sees it.
  Result<Json> LogLeafAsOperator(std::uint64_t index);
  Result<ledger::VerifyReport> VerifyLog();
  Status RotateLogKey();
  // A key file for offline verification: the current key as PEM, then every key (current and
  // retired) as a note verifier key line.
  Result<std::string> LogKeyFile();
  std::uint64_t LogSize() const;

  const Clock& clock() const { return *clock_; }
  int schema_version() const;

 private:
  Service(std::unique_ptr<store::Store> store, const Clock* clock,
          std::unique_ptr<ledger::Ledger> ledger);
  Result<IssuedKey> IssueKey(std::string_view tenant_name, bool create_tenant,
                             std::string_view name, const std::vector<std::string>& scopes);

  Result<Json> LeafJson(std::uint64_t index, const std::string* tenant);

  std::unique_ptr<store::Store> store_;
  const Clock* clock_;
  std::unique_ptr<ledger::Ledger> ledger_;  // after store_: destroyed before it
};

// `pactum verify FILE`: checks a checkpoint, proof bundle or DSSE envelope offline against the
// keys in `key_file` (PEM public keys and/or note verifier keys). Needs no data folder.
Result<ledger::VerifiedArtifact> VerifyArtifact(std::string_view artifact,
                                                std::string_view key_file,
                                                const ledger::VerifyOptions& options);

}  // namespace pactum::service
