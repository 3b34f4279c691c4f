// Publishing pacts (DESIGN §4): immutable versions, each a log leaf.
#include "pactum/base/canonical_json.h"
#include "pactum/base/json.h"
#include "pactum/pact/pact.h"
#include "pactum/service/service.h"
#include "pactum/store/records.h"
#include "pactum/store/store.h"

namespace pactum::service {
namespace {

Result<Json> PactJson(const store::PactRow& row) {
  PACTUM_ASSIGN_OR_RETURN(Json body, ParseJson(row.body));
  return Json{{"name", row.name},
              {"version", row.version},
              {"workflow", row.workflow},
              {"hash", row.hash},
              {"log_index", row.log_index},
              {"published_at", FormatRfc3339(FromUnixMillis(row.published_at))},
              {"body", std::move(body)}};
}

}  // namespace

Result<Service::Publication> Service::PublishPact(const Principal& caller, const Json& pact_json) {
  PACTUM_ASSIGN_OR_RETURN(pact::Pact pact, pact::FromJson(pact_json));
  store::PactRow row;
  row.tenant_id = caller.tenant_id;
  row.name = pact.name;
  row.version = pact.version;
  row.workflow = pact.workflow;
  row.hash = pact::Hash(pact);
  Json canonical = pact::ToJson(pact);
  PACTUM_ASSIGN_OR_RETURN(row.body, CanonicalJson(canonical));
  row.published_at = UnixMillis(clock_->Now());

  auto loop = LockLoop();
  std::optional<store::PactRow> same_version, newest;
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(same_version,
                            store::FindPact(db, caller.tenant_id, pact.name, pact.version));
    PACTUM_ASSIGN_OR_RETURN(newest, store::FindPact(db, caller.tenant_id, pact.name, {}));
    return Status::Ok();
  }));
  const std::string label = "pact \"" + pact.name + "\" version " + std::to_string(pact.version);
  if (same_version) {
    if (same_version->hash != row.hash)
      return Conflict(label + " is already published with hash " + same_version->hash +
                          "; published versions are immutable: publish a new version",
                      {{"field", "version"}, {"published_hash", same_version->hash}});
    PACTUM_ASSIGN_OR_RETURN(Json existing, PactJson(*same_version));
    return Publication{std::move(existing), false};
  }
  if (newest && newest->version > pact.version)
    return Conflict(label + " is older than the published version " +
                        std::to_string(newest->version) + ": versions only grow",
                    {{"field", "version"}});

  ledger::LeafEntry leaf{"pact.version",
                         caller.tenant_name,
                         clock_->Now(),
                         {{"name", row.name},
                          {"version", row.version},
                          {"workflow", row.workflow},
                          {"hash", row.hash},
                          {"pact", canonical}},
                         nullptr};
  leaf.with_leaf = [&row](store::Connection& db, std::uint64_t index) {
    row.log_index = index;
    return store::InsertPact(db, row);
  };
  PACTUM_ASSIGN_OR_RETURN(ledger::Receipt receipt, ledger_->Append(leaf));
  row.log_index = receipt.index;
  std::vector<LoopEvent> events;
  book_.AddPact(row.tenant_id, {std::move(pact), row.hash, receipt.index},
                static_cast<double>(row.published_at) / 1000.0, &events);
  for (LoopEvent& e : events)
    e.cause_index = receipt.index;
  PACTUM_TRY(LogEvents(std::move(events)));
  PACTUM_ASSIGN_OR_RETURN(Json out, PactJson(row));
  return Publication{std::move(out), true};
}

Result<Json> Service::GetPact(const Principal& caller, std::string_view name,
                              std::optional<std::int64_t> version) {
  std::optional<store::PactRow> row;
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(row, store::FindPact(db, caller.tenant_id, name, version));
    return Status::Ok();
  }));
  if (!row)
    return NotFound("no pact \"" + std::string(name) + "\"" +
                        (version ? " version " + std::to_string(*version) : ""),
                    {{"field", version ? "version" : "name"}});
  return PactJson(*row);
}

Result<Json> Service::ListPacts(const Principal& caller) {
  Json out = Json::array();
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(auto rows, store::ListPacts(db, caller.tenant_id));
    for (const auto& row : rows) {
      PACTUM_ASSIGN_OR_RETURN(Json p, PactJson(row));
      p.erase("body");  // the list names versions; GET /v1/pacts/{name} has the body
      out.push_back(std::move(p));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace pactum::service
