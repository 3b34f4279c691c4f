// Agents and their behaviour-shaping assets (DESIGN §2).
#include <algorithm>

#include "pactum/base/canonical_json.h"
#include "pactum/base/digest.h"
#include "pactum/base/encoding.h"
#include "pactum/base/json.h"
#include "pactum/service/service.h"
#include "pactum/store/records.h"
#include "pactum/store/store.h"

namespace pactum::service {
namespace {

Status ValidateAgentId(std::string_view id) {
  auto ok_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':';
  };
  if (id.empty() || id.size() > 128 || !ok_char(id[0]) || id[0] == '.' || id[0] == ':')
    return FieldError("id", "must be 1-128 characters of [A-Za-z0-9._:-], starting alphanumeric");
  for (char c : id) {
    if (!ok_char(c))
      return FieldError("id", "must be 1-128 characters of [A-Za-z0-9._:-], starting alphanumeric");
  }
  return Status::Ok();
}

Result<std::string> OptionalString(const Json& body, const char* name, std::string fallback) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return fallback;
  if (!it->is_string() || it->get<std::string>().size() > 1024)
    return FieldError(name, "must be a string of at most 1024 characters");
  return it->get<std::string>();
}

// The assets that shape behaviour: exactly these keys, so that a typo cannot leave a change
// out of the fingerprint unnoticed.
Result<Json> ValidateAssets(const Json& body) {
  auto it = body.find("assets");
  if (it == body.end()) return FieldError("assets", "required (the behaviour-shaping assets)");
  if (!it->is_object()) return FieldError("assets", "must be an object");
  for (auto a = it->begin(); a != it->end(); ++a) {
    const std::string& key = a.key();
    const std::string field = "assets." + key;
    if (key == "system_prompt" || key == "model_id" || key == "model_version") {
      if (!a->is_string()) return FieldError(field, "must be a string");
    } else if (key == "tools") {
      if (!a->is_array()) return FieldError(field, "must be an array");
    } else if (key == "memory" || key == "parameters") {
      if (!a->is_object()) return FieldError(field, "must be an object");
    } else {
      return FieldError(field,
                        "unknown asset (known: system_prompt, model_id, model_version, tools, "
                        "memory, parameters)");
    }
  }
  return *it;
}

Json AgentJson(const store::AgentRow& row, const Json& record) {
  Json out = {{"id", row.id}, {"fingerprint", row.fingerprint}};
  for (auto it = record.begin(); it != record.end(); ++it)
    out[it.key()] = it.value();
  out["created_at"] = FormatRfc3339(FromUnixMillis(row.created_at));
  out["updated_at"] = FormatRfc3339(FromUnixMillis(row.updated_at));
  return out;
}

}  // namespace

Result<Json> Service::StoreAgent(const Principal& caller, std::string_view id, const Json& body,
                                 bool create) {
  if (!body.is_object()) return InvalidArgument("the body must be a JSON object");
  for (auto it = body.begin(); it != body.end(); ++it) {
    static const char* kKnown[] = {"id", "display_name", "owner", "provider", "model", "assets"};
    if (std::find(std::begin(kKnown), std::end(kKnown), it.key()) == std::end(kKnown))
      return FieldError(it.key(), "unknown field");
  }
  PACTUM_TRY(ValidateAgentId(id));
  if (auto it = body.find("id"); it != body.end() && *it != Json(std::string(id)))
    return FieldError("id", "does not match the agent in the path");
  Json record;
  PACTUM_ASSIGN_OR_RETURN(std::string owner, OptionalString(body, "owner", ""));
  if (owner.empty()) return FieldError("owner", "required (who answers for this agent)");
  PACTUM_ASSIGN_OR_RETURN(std::string display_name,
                          OptionalString(body, "display_name", std::string(id)));
  PACTUM_ASSIGN_OR_RETURN(std::string provider, OptionalString(body, "provider", ""));
  PACTUM_ASSIGN_OR_RETURN(std::string model, OptionalString(body, "model", ""));
  PACTUM_ASSIGN_OR_RETURN(Json assets, ValidateAssets(body));
  record = {{"display_name", display_name},
            {"owner", owner},
            {"provider", provider},
            {"model", model},
            {"assets", assets}};
  PACTUM_ASSIGN_OR_RETURN(std::string assets_text, CanonicalJson(assets));
  PACTUM_ASSIGN_OR_RETURN(std::string record_text, CanonicalJson(record));

  auto loop = LockLoop();
  std::optional<store::AgentRow> existing;
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(existing, store::FindAgent(db, caller.tenant_id, id));
    return Status::Ok();
  }));
  if (create && existing)
    return AlreadyExists("agent \"" + std::string(id) + "\" is already registered",
                         {{"field", "id"}});
  if (!create && !existing)
    return NotFound("no agent \"" + std::string(id) + "\"", {{"field", "id"}});
  store::AgentRow row;
  row.tenant_id = caller.tenant_id;
  row.id = std::string(id);
  row.record = record_text;
  row.fingerprint = HexEncode(AsBytes(Sha256(assets_text)));
  const std::int64_t now = UnixMillis(clock_->Now());
  row.created_at = existing ? existing->created_at : now;
  row.updated_at = now;
  // An unchanged record is not a new version: nothing to log.
  if (existing && existing->record == row.record) return AgentJson(*existing, record);

  ledger::LeafEntry leaf{create ? "agent.registered" : "agent.updated",
                         caller.tenant_name,
                         clock_->Now(),
                         {{"id", row.id}, {"fingerprint", row.fingerprint}, {"record", record}},
                         nullptr};
  leaf.with_leaf = [&row](store::Connection& db, std::uint64_t index) {
    return store::UpsertAgent(db, row, index);
  };
  PACTUM_ASSIGN_OR_RETURN(ledger::Receipt receipt, ledger_->Append(leaf));
  std::vector<LoopEvent> events;
  book_.SetFingerprint(row.tenant_id, row.id, row.fingerprint, static_cast<double>(now) / 1000.0,
                       &events);
  for (LoopEvent& e : events)
    e.cause_index = receipt.index;
  PACTUM_TRY(LogEvents(std::move(events)));
  Json out = AgentJson(row, record);
  out["log_index"] = receipt.index;
  return out;
}

Result<Json> Service::RegisterAgent(const Principal& caller, const Json& body) {
  if (!body.is_object()) return InvalidArgument("the body must be a JSON object");
  auto id = body.find("id");
  if (id == body.end() || !id->is_string()) return FieldError("id", "required (a string)");
  return StoreAgent(caller, id->get<std::string>(), body, true);
}

Result<Json> Service::UpdateAgent(const Principal& caller, std::string_view id, const Json& body) {
  return StoreAgent(caller, id, body, false);
}

Result<Json> Service::GetAgent(const Principal& caller, std::string_view id) {
  std::optional<store::AgentRow> row;
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(row, store::FindAgent(db, caller.tenant_id, id));
    return Status::Ok();
  }));
  if (!row) return NotFound("no agent \"" + std::string(id) + "\"", {{"field", "id"}});
  PACTUM_ASSIGN_OR_RETURN(Json record, ParseJson(row->record));
  return AgentJson(*row, record);
}

Result<Json> Service::ListAgents(const Principal& caller) {
  Json out = Json::array();
  PACTUM_TRY(store_->Read([&](store::Connection& db) -> Status {
    PACTUM_ASSIGN_OR_RETURN(auto rows, store::ListAgents(db, caller.tenant_id));
    for (const auto& row : rows) {
      PACTUM_ASSIGN_OR_RETURN(Json record, ParseJson(row.record));
      out.push_back(AgentJson(row, record));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace pactum::service
