// pactum's side of the differential oracle: reads the cases JSONL written by gen_cases.mjs and
// writes answers JSONL in oracle.mjs's format, so compare.mjs can diff the two engines.
//
//   pactum_oracle CASES.jsonl ANSWERS.jsonl
//
// A case is decided as cedar-wasm decides it: without a schema, entities and context are plain
// Cedar JSON; with one, they are parsed schema-directed, the schema's action entities are added
// and the request is validated. Policies are named positionally (policy0, policy1, ... in text
// order), cedar-wasm's naming, even when they carry an `@id` annotation, which pactum would
// otherwise use as the id. Exit status: 0 when every case was answered (a "failure" decision is
// an answer), 2 on bad usage or unreadable input.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "pactum/base/json.h"
#include "pactum/base/status.h"
#include "pactum/cedar/cedar.h"
#include "pactum/cedar/parser.h"
#include "pactum/cedar/schema/conformance.h"
#include "pactum/cedar/schema/schema.h"

namespace pactum::cedar {
namespace {

// Positional names, as Cedar gives policies parsed from text. Templates are not renamed:
// Cedar counts them among the positions too, and the cases carry none.
void NamePositionally(PolicySet& policies) {
  if (!policies.templates.empty()) return;
  for (std::size_t i = 0; i < policies.policies.size(); ++i) {
    policies.policies[i].id = "policy" + std::to_string(i);
  }
}

// Entities as Cedar's harness loads them with a schema: schema-directed, plus the schema's
// action entities unless the file has them (EntityReader does both). cedar-wasm receives them
// as JSON text; so does the reader.
Result<Entities> LoadEntities(const schema::Schema* schema, const Json& entities) {
  const std::string text = entities.dump();
  return schema == nullptr ? ReadEntities(text) : ReadEntities(text, *schema);
}

Result<Request> LoadRequest(const schema::Schema* schema, const Json& c) {
  Request request;
  PACTUM_ASSIGN_OR_RETURN(request.principal, EntityUidFromJson(c.at("principal")));
  PACTUM_ASSIGN_OR_RETURN(request.action, EntityUidFromJson(c.at("action")));
  PACTUM_ASSIGN_OR_RETURN(request.resource, EntityUidFromJson(c.at("resource")));
  const Json given = c.contains("context") ? c["context"] : Json::object();
  Json context = given;
  if (schema != nullptr) {
    Json action{{"type", request.action.type}, {"id", request.action.id}};
    PACTUM_ASSIGN_OR_RETURN(context, schema::NormalizeContext(*schema, action, given));
    PACTUM_TRY(schema::ValidateRequest(*schema, c.at("principal"), c.at("action"), c.at("resource"),
                                       given));
  }
  PACTUM_ASSIGN_OR_RETURN(request.context, ContextFromJson(context));
  return request;
}

Json Failure(const Json& id, const std::string& stage, const Status& status) {
  return Json{{"id", id},
              {"decision", "failure"},
              {"reasons", Json::array()},
              {"errors", Json::array()},
              {"failure", Json::array({stage + ": " + status.ToString()})}};
}

Json Answer(const Json& c) {
  const Json& id = c.at("id");
  Result<PolicySet> policies = ParsePolicySet(c.at("policies").get<std::string>());
  if (!policies.ok()) return Failure(id, "policies", policies.status());
  NamePositionally(*policies);
  Authorizer authorizer(std::move(*policies));

  Result<schema::Schema> schema = InvalidArgument("no schema");
  const bool has_schema = c.contains("schema") && c["schema"].is_string();
  if (has_schema) {
    schema = schema::ParseCedarSchema(c["schema"].get<std::string>());
    if (!schema.ok()) return Failure(id, "schema", schema.status());
  }
  const schema::Schema* s = has_schema ? &*schema : nullptr;
  Result<Entities> entities = LoadEntities(s, c.at("entities"));
  if (!entities.ok()) return Failure(id, "entities", entities.status());
  Result<Request> request = LoadRequest(s, c);
  if (!request.ok()) return Failure(id, "request", request.status());

  Response response = authorizer.IsAuthorized(*request, *entities);
  std::vector<std::string> reasons = response.reasons;
  std::sort(reasons.begin(), reasons.end());
  std::set<std::string> errors;
  for (const PolicyError& e : response.errors)
    errors.insert(e.policy_id);
  return Json{{"id", id},
              {"decision", response.decision == Decision::kAllow ? "allow" : "deny"},
              {"reasons", reasons},
              {"errors", errors}};
}

int Main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " CASES.jsonl ANSWERS.jsonl\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << argv[1] << "\n";
    return 2;
  }
  std::ofstream out(argv[2], std::ios::binary);
  if (!out) {
    std::cerr << "cannot write " << argv[2] << "\n";
    return 2;
  }
  std::string line;
  int line_no = 0;
  int answered = 0;
  int failures = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    Result<Json> c = ParseJson(line);
    if (!c.ok() || !c->is_object() || !c->contains("id")) {
      std::cerr << argv[1] << ":" << line_no
                << ": not a case: " << (c.ok() ? std::string("no id") : c.status().ToString())
                << "\n";
      return 2;
    }
    Json answer;
    try {
      answer = Answer(*c);
    } catch (const Json::exception& e) {  // a case missing a field the format requires
      std::cerr << argv[1] << ":" << line_no << ": malformed case: " << e.what() << "\n";
      return 2;
    }
    if (answer["decision"] == "failure") ++failures;
    out << answer.dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
    ++answered;
  }
  std::cout << "{\"cases\":" << answered << ",\"failure\":" << failures << "}\n";
  return out ? 0 : 2;
}

}  // namespace
}  // namespace pactum::cedar

int main(int argc, char** argv) {
  return pactum::cedar::Main(argc, argv);
}
