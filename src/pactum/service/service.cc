#include "pactum/service/service.h"

#include <spdlog/spdlog.h>

#include "pactum/base/digest.h"
#include "pactum/base/encoding.h"
#include "pactum/base/id.h"
#include "pactum/base/json.h"
#include "pactum/store/store.h"
#include "pactum/store/tenants.h"

namespace pactum::service {
namespace {

constexpr std::string_view kKeyPrefix = "pk_";
constexpr std::size_t kSecretBytes = 32;
constexpr std::size_t kSecretLength = 3 + 43;  // "pk_" + base64url(32 bytes), unpadded
constexpr std::size_t kShownPrefix = 10;

ApiKey ToApiKey(const store::ApiKeyRow& row) {
  return ApiKey{row.id,     row.tenant_name, row.name,      row.prefix,
                row.scopes, row.created_at,  row.revoked_at};
}

Status ValidateKeyName(std::string_view name) {
  if (name.empty() || name.size() > 128)
    return InvalidArgument("a key name must have 1-128 characters", {{"field", "name"}});
  return Status::Ok();
}

}  // namespace

Service::Service(std::unique_ptr<store::Store> store, const Clock* clock,
                 std::unique_ptr<ledger::Ledger> ledger, trust::TrustConfig trust_config)
    : store_(std::move(store)),
      clock_(clock),
      ledger_(std::move(ledger)),
      book_(std::move(trust_config)),
      review_waits_(std::make_unique<ReviewWaits>()) {}

Service::~Service() = default;

Result<std::unique_ptr<Service>> Service::Open(const ServiceOptions& options) {
  // One live server a folder: a second would keep its own trust, keys' index and log tree, and
  // neither would see the other's writes. Operator commands (no live trust) may run beside it.
  // Taken before the store opens, so that a newer server's migrations never run under an older
  // one still serving.
  std::optional<FileLock> owner;
  if (options.load_trust) {
    std::error_code ignored;  // a folder that cannot be made fails the lock, naming it
    std::filesystem::create_directories(options.data_dir, ignored);
    auto lock = FileLock::Acquire(options.data_dir / "pactum.lock");
    if (!lock.ok()) {
      if (lock.status().code() != Code::kFailedPrecondition) return lock.status();
      return FailedPrecondition("data folder " + options.data_dir.string() +
                                " is in use by another pactum server: " + lock.status().message());
    }
    owner.emplace(std::move(*lock));
  }
  PACTUM_ASSIGN_OR_RETURN(auto store, store::Store::Open(options.data_dir));
  PACTUM_ASSIGN_OR_RETURN(auto log, ledger::Ledger::Open(*store, {options.clock}));
  std::unique_ptr<Service> service(
      new Service(std::move(store), options.clock, std::move(log), options.trust));
  service->owner_ = std::move(owner);
  service->keys_ = std::make_unique<KeyCache>(options.data_dir);
  if (options.load_trust) {
    PACTUM_TRY(service->ReplayLoop());
    PACTUM_TRY(service->LoadPactModes());
    if (options.review_sweep.count() > 0) {
      Service* s = service.get();
      service->review_sweeper_ = std::make_unique<Periodic>(options.review_sweep, [s] {
        Status swept = s->AnnounceOverdueReviews();
        if (!swept.ok()) spdlog::error("overdue reviews: {}", swept.message());
      });
    }
  }
  return service;
}

int Service::schema_version() const {
  return store_->schema_version();
}

Result<IssuedKey> Service::IssueKey(std::string_view tenant_name, bool create_tenant,
                                    std::string_view name, const std::vector<std::string>& scopes) {
  PACTUM_TRY(ValidateTenantName(tenant_name));
  PACTUM_TRY(ValidateKeyName(name));
  PACTUM_TRY(ValidateScopes(scopes));
  PACTUM_ASSIGN_OR_RETURN(std::string random, SecureRandomBytes(kSecretBytes));
  std::string secret = std::string(kKeyPrefix) + Base64UrlEncode(random);
  IssuedKey issued;
  issued.secret = secret;
  const std::int64_t now = UnixMillis(clock_->Now());
  PACTUM_TRY(store_->Write([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(auto tenant, store::FindTenantByName(db, tenant_name));
    if (!tenant) {
      if (!create_tenant)
        return NotFound("no tenant \"" + std::string(tenant_name) + "\"", {{"field", "tenant"}});
      tenant = store::TenantRow{NewUuidV7(*clock_), std::string(tenant_name), now};
      PACTUM_TRY(store::InsertTenant(db, *tenant));
    }
    store::ApiKeyRow row;
    row.id = NewUuidV7(*clock_);
    row.tenant_id = tenant->id;
    row.tenant_name = tenant->name;
    row.name = std::string(name);
    row.prefix = secret.substr(0, kShownPrefix);
    row.secret_sha256 = std::string(AsBytes(Sha256(secret)));
    row.scopes = scopes;
    row.created_at = now;
    PACTUM_TRY(store::InsertApiKey(db, row));
    issued.key = ToApiKey(row);
    return Status::Ok();
  }));
  return issued;
}

Result<std::optional<IssuedKey>> Service::Bootstrap() {
  std::int64_t count = 0;
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(count, store::CountApiKeys(db));
    return Status::Ok();
  }));
  if (count > 0) return std::optional<IssuedKey>();
  PACTUM_ASSIGN_OR_RETURN(IssuedKey key, IssueKey("default", true, "bootstrap admin", {"admin"}));
  return std::optional<IssuedKey>(std::move(key));
}

Result<Principal> Service::Authenticate(std::string_view secret) {
  const Status unknown = Unauthenticated("unknown or revoked API key");
  if (secret.size() != kSecretLength || secret.substr(0, kKeyPrefix.size()) != kKeyPrefix)
    return unknown;
  const Sha256Digest digest = Sha256(secret);
  const std::string_view hash = AsBytes(digest);
  const TimePoint now = clock_->Now();
  const std::uint64_t epoch = keys_->Epoch();  // before the store is read: see KeyCache
  if (std::optional<Principal> cached = keys_->Find(hash, epoch, now)) return std::move(*cached);
  std::optional<store::ApiKeyRow> row;
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(row, store::FindApiKeyBySecretHash(db, AsBytes(digest)));
    return Status::Ok();
  }));
  // The lookup is by hash; the final comparison is constant-time regardless.
  if (!row || !ConstantTimeEqual(row->secret_sha256, AsBytes(digest)) || row->revoked_at)
    return unknown;
  Principal principal{row->tenant_id, row->tenant_name, row->id, row->name, row->scopes};
  keys_->Put(hash, principal, epoch, now);
  return principal;
}

Result<IssuedKey> Service::CreateKey(const Principal& caller, std::string_view name,
                                     const std::vector<std::string>& scopes) {
  return IssueKey(caller.tenant_name, false, name, scopes);
}

Result<std::vector<ApiKey>> Service::ListKeys(const Principal& caller) {
  std::vector<ApiKey> out;
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(auto rows, store::ListApiKeys(db, caller.tenant_id));
    for (const auto& r : rows)
      out.push_back(ToApiKey(r));
    return Status::Ok();
  }));
  return out;
}

Status Service::RevokeKey(const Principal& caller, std::string_view key_id) {
  PACTUM_TRY(store_->Write([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(
        bool revoked, store::RevokeApiKey(db, caller.tenant_id, key_id, UnixMillis(clock_->Now())));
    // Another tenant's key is indistinguishable from no key at all.
    if (!revoked)
      return NotFound("no active API key \"" + std::string(key_id) + "\"", {{"field", "id"}});
    return Status::Ok();
  }));
  keys_->Revoked();  // committed: now every process forgets its cached keys
  return Status::Ok();
}

Result<IssuedKey> Service::CreateOperatorKey(std::string_view tenant_name, std::string_view name,
                                             const std::vector<std::string>& scopes) {
  return IssueKey(tenant_name, true, name, scopes);
}

Result<std::vector<ApiKey>> Service::ListAllKeys(std::optional<std::string> tenant_name) {
  std::vector<ApiKey> out;
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    std::optional<std::string> tenant_id;
    if (tenant_name) {
      PACTUM_ASSIGN_OR_RETURN(auto tenant, store::FindTenantByName(db, *tenant_name));
      if (!tenant) return NotFound("no tenant \"" + *tenant_name + "\"", {{"field", "tenant"}});
      tenant_id = tenant->id;
    }
    PACTUM_ASSIGN_OR_RETURN(auto rows, store::ListApiKeys(db, tenant_id));
    for (const auto& r : rows)
      out.push_back(ToApiKey(r));
    return Status::Ok();
  }));
  return out;
}

Status Service::RevokeAnyKey(std::string_view key_id) {
  PACTUM_TRY(store_->Write([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(
        bool revoked, store::RevokeApiKey(db, std::nullopt, key_id, UnixMillis(clock_->Now())));
    if (!revoked) return NotFound("no active API key \"" + std::string(key_id) + "\"");
    return Status::Ok();
  }));
  keys_->Revoked();  // committed: now every process forgets its cached keys
  return Status::Ok();
}

Status Service::CheckHealth() {
  return store_->Read([](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(auto st, db.Prepare("SELECT 1"));
    return st.Step().status();
  });
}

Result<ledger::Receipt> Service::AppendLeaf(std::string_view type, std::string_view tenant,
                                            Json body) {
  return ledger_->Append({std::string(type), std::string(tenant), clock_->Now(), std::move(body)});
}

Result<std::string> Service::LogCheckpoint(std::optional<std::uint64_t> size) {
  PACTUM_ASSIGN_OR_RETURN(auto checkpoint, ledger_->Checkpoint(size));
  return checkpoint.note;
}

Result<Json> Service::LogInclusionProof(std::uint64_t index, std::optional<std::uint64_t> size,
                                        bool with_leaf) {
  PACTUM_ASSIGN_OR_RETURN(auto proof, ledger_->ProveInclusion(index, size));
  std::optional<std::string> data;
  if (with_leaf) {
    PACTUM_ASSIGN_OR_RETURN(auto leaf, ledger_->Leaf(index));
    data = std::move(leaf.data);
  }
  return ledger::InclusionBundle(proof, data);
}

Result<Json> Service::LogConsistencyProof(std::uint64_t from, std::optional<std::uint64_t> to) {
  PACTUM_ASSIGN_OR_RETURN(auto proof,
                          ledger_->ProveConsistency(from, to.value_or(ledger_->Size())));
  return ledger::ConsistencyBundle(proof);
}

Result<Json> Service::LeafJson(std::uint64_t index, const std::string* tenant) {
  auto leaf = ledger_->Leaf(index);
  // One answer for "missing" and "another tenant's": the checkpoint size is public anyway,
  // but whose leaf it is is not.
  if ((!leaf.ok() && leaf.status().code() == Code::kNotFound) ||
      (leaf.ok() && tenant && leaf->tenant != *tenant))
    return NotFound("no leaf " + std::to_string(index) + " in this tenant", {{"field", "index"}});
  if (!leaf.ok()) return leaf.status();
  PACTUM_ASSIGN_OR_RETURN(Json parsed, ParseJson(leaf->data));
  return Json{{"index", leaf->index}, {"tenant", leaf->tenant},
              {"type", leaf->type},   {"leaf_hash", Base64Encode(AsBytes(leaf->leaf_hash))},
              {"data", leaf->data},   {"leaf", std::move(parsed)}};
}

Result<Json> Service::LogLeaf(const Principal& caller, std::uint64_t index) {
  return LeafJson(index, &caller.tenant_name);
}

Result<Json> Service::LogLeafAsOperator(std::uint64_t index) {
  return LeafJson(index, nullptr);
}

Result<ledger::VerifyReport> Service::VerifyLog() {
  return ledger_->Verify();
}

Status Service::RotateLogKey() {
  return ledger_->RotateKey();
}

std::uint64_t Service::LogSize() const {
  return ledger_->Size();
}

ledger::Ledger::CommitStats Service::LogCommitStats() const {
  return ledger_->Stats();
}

Result<std::string> Service::LogKeyFile() {
  std::vector<crypto::NoteVerifier> verifiers = ledger_->Verifiers();
  PACTUM_ASSIGN_OR_RETURN(std::string pem, verifiers.front().key().ToPem());
  std::string file = "# pactum log " + ledger_->origin() +
                     ": current key (PEM), then all keys as note verifier keys\n" + pem;
  for (const auto& v : verifiers)
    file += v.ToString() + "\n";
  return file;
}

Result<ledger::VerifiedArtifact> VerifyArtifact(std::string_view artifact,
                                                std::string_view key_file,
                                                const ledger::VerifyOptions& options) {
  PACTUM_ASSIGN_OR_RETURN(auto trusted, ledger::ParseTrustedKeys(key_file));
  return ledger::VerifyArtifact(artifact, trusted, options);
}

}  // namespace pactum::service
