// `pactum policy check`: one Cedar authorization decision from files, for trying policies out.
// Bad input files exit 1 with the file named (and line:column where the syntax is at fault);
// a decision, allow or deny, exits 0.
#include <iostream>

#include "pactum/base/file.h"
#include "pactum/base/json.h"
#include "pactum/cedar/cedar.h"
#include "pactum/cedar/parser.h"
#include "pactum/cedar/schema/conformance.h"
#include "pactum/cedar/schema/schema.h"
#include "pactum/cli/commands.h"

namespace pactum::cli {
namespace {

struct PolicyFlags {
  std::string policies;
  std::string entities;
  std::string schema;
  std::string request;
  bool json = false;
};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Names the file a status came from, as `file:line:column` where the status has a position.
Status InFile(const std::string& path, const Status& s) {
  const Json& d = s.details();
  if (d.is_object() && d.contains("line") && d.contains("column")) {
    return s.WithContext(path + ":" + d["line"].dump() + ":" + d["column"].dump());
  }
  return s.WithContext(path);
}

Result<Json> ReadJsonFile(const std::string& path) {
  PACTUM_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  Result<Json> json = ParseJson(text);
  if (!json.ok()) return InFile(path, json.status());
  return json;
}

Result<cedar::Authorizer> LoadPolicies(const std::string& path) {
  PACTUM_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  Result<cedar::Authorizer> authorizer = [&]() -> Result<cedar::Authorizer> {
    if (!EndsWith(path, ".json")) return cedar::Authorizer::FromText(text);
    PACTUM_ASSIGN_OR_RETURN(Json json, ParseJson(text));
    return cedar::Authorizer::FromJson(json);
  }();
  if (!authorizer.ok()) return InFile(path, authorizer.status());
  return authorizer;
}

// By extension; a file with neither known extension is tried as JSON, then as Cedar text (and
// reported with the text parser's error, the more common format).
Result<cedar::schema::Schema> LoadSchema(const std::string& path) {
  PACTUM_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  Result<cedar::schema::Schema> schema = [&]() -> Result<cedar::schema::Schema> {
    const bool json = EndsWith(path, ".json");
    if (json || !EndsWith(path, ".cedarschema")) {
      Result<Json> parsed = ParseJson(text);
      if (parsed.ok()) return cedar::schema::ParseJsonSchema(*parsed);
      if (json) return parsed.status();
    }
    return cedar::schema::ParseCedarSchema(text);
  }();
  if (!schema.ok()) return InFile(path, schema.status());
  return schema;
}

// A request variable: `User::"alice"` or {"type", "id"} (or {"__entity": {...}}), as a uid JSON.
Result<Json> UidField(const Json& request, const char* name) {
  if (!request.contains(name)) return InvalidArgument(std::string("missing \"") + name + "\"");
  const Json& field = request[name];
  if (field.is_string()) {
    Result<cedar::EntityUid> uid = cedar::ParseEntityUid(field.get<std::string>());
    if (!uid.ok()) return uid.status().WithContext(name);
    return Json{{"type", uid->type}, {"id", uid->id}};
  }
  Result<cedar::EntityUid> uid = cedar::EntityUidFromJson(field);
  if (!uid.ok()) return uid.status().WithContext(name);
  return Json{{"type", uid->type}, {"id", uid->id}};
}

struct Loaded {
  cedar::Request request;
  cedar::Entities entities;
};

Result<Loaded> LoadRequestAndEntities(const PolicyFlags& f,
                                      const std::optional<cedar::schema::Schema>& schema) {
  PACTUM_ASSIGN_OR_RETURN(Json request_json, ReadJsonFile(f.request));
  auto request = [&]() -> Result<cedar::Request> {
    if (!request_json.is_object()) return InvalidArgument("expected a JSON object");
    for (const auto& [key, value] : request_json.items()) {
      if (key != "principal" && key != "action" && key != "resource" && key != "context") {
        return InvalidArgument("unknown field \"" + key + "\"");
      }
    }
    PACTUM_ASSIGN_OR_RETURN(Json principal, UidField(request_json, "principal"));
    PACTUM_ASSIGN_OR_RETURN(Json action, UidField(request_json, "action"));
    PACTUM_ASSIGN_OR_RETURN(Json resource, UidField(request_json, "resource"));
    Json context = request_json.value("context", Json());
    if (schema) {
      PACTUM_TRY(cedar::schema::ValidateRequest(*schema, principal, action, resource, context));
      PACTUM_ASSIGN_OR_RETURN(context, cedar::schema::NormalizeContext(*schema, action, context));
    }
    cedar::Request r;
    PACTUM_ASSIGN_OR_RETURN(r.principal, cedar::EntityUidFromJson(principal));
    PACTUM_ASSIGN_OR_RETURN(r.action, cedar::EntityUidFromJson(action));
    PACTUM_ASSIGN_OR_RETURN(r.resource, cedar::EntityUidFromJson(resource));
    if (!context.is_null()) {
      PACTUM_ASSIGN_OR_RETURN(r.context, cedar::ContextFromJson(context));
    }
    return r;
  }();
  if (!request.ok()) return InFile(f.request, request.status());

  PACTUM_ASSIGN_OR_RETURN(std::string entities_text, ReadFile(f.entities));
  Result<cedar::Entities> entities =
      schema ? cedar::ReadEntities(entities_text, *schema) : cedar::ReadEntities(entities_text);
  if (!entities.ok()) return InFile(f.entities, entities.status());
  return Loaded{std::move(*request), std::move(*entities)};
}

int Check(const PolicyFlags& f) {
  auto fail = [](const Status& s) {
    std::cerr << "pactum policy check: " << s.message() << "\n";
    return kExitFailure;
  };
  Result<cedar::Authorizer> authorizer = LoadPolicies(f.policies);
  if (!authorizer.ok()) return fail(authorizer.status());
  std::optional<cedar::schema::Schema> schema;
  if (!f.schema.empty()) {
    Result<cedar::schema::Schema> s = LoadSchema(f.schema);
    if (!s.ok()) return fail(s.status());
    schema.emplace(std::move(*s));
  }
  Result<Loaded> loaded = LoadRequestAndEntities(f, schema);
  if (!loaded.ok()) return fail(loaded.status());

  cedar::Response response = authorizer->IsAuthorized(loaded->request, loaded->entities);
  const char* decision = response.decision == cedar::Decision::kAllow ? "allow" : "deny";
  if (f.json) {
    Json errors = Json::array();
    for (const cedar::PolicyError& e : response.errors)
      errors.push_back({{"policy", e.policy_id}, {"message", e.message}});
    std::cout
        << Json{{"decision", decision}, {"reasons", response.reasons}, {"errors", errors}}.dump(2)
        << "\n";
    return 0;
  }
  std::cout << "decision: " << decision << "\nreasons:";
  for (const std::string& id : response.reasons)
    std::cout << " " << id;
  std::cout << (response.reasons.empty() ? " (none)\n" : "\n") << "errors:";
  std::cout << (response.errors.empty() ? " (none)\n" : "\n");
  for (const cedar::PolicyError& e : response.errors)
    std::cout << "  " << e.policy_id << ": " << e.message << "\n";
  return 0;
}

}  // namespace

void RegisterPolicy(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<PolicyFlags>();
  CLI::App* policy = app.add_subcommand("policy", "Cedar policies");
  policy->require_subcommand(1);
  CLI::App* check = policy->add_subcommand(
      "check", "Decide one request: decision, determining policies, erroring policies");
  check
      ->add_option("--policies", flags->policies,
                   "Policies: Cedar text, or Cedar's JSON policy format if the name ends in .json")
      ->required();
  check->add_option("--entities", flags->entities, "Entities: Cedar entity JSON")->required();
  check->add_option("--schema", flags->schema,
                    "Schema (.cedarschema or JSON): entities and context are read by it, the "
                    "request is validated, and its action entities are added");
  check
      ->add_option("--request", flags->request,
                   "Request JSON: {\"principal\", \"action\", \"resource\", \"context\"}; uids "
                   "as `Type::\"id\"` or {\"type\", \"id\"}")
      ->required();
  check->add_flag("--json", flags->json, "Print {decision, reasons, errors} as JSON");
  check->callback([flags, exit_code] { *exit_code = Check(*flags); });
}

}  // namespace pactum::cli
