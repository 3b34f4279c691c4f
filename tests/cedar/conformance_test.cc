// Runs Cedar's integration-test corpus: every test JSON under cedar/tests and the fuzz-generated
// corpus (untarred into the build folder), comparing decision, reasons and errors per request.
// The number of requests that must pass is read from docs/CONFORMANCE.md, so a regression fails
// the test while the goal stays all of them.
#include "pactum/cedar/schema/conformance.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pactum/base/json.h"
#include "pactum/cedar/authorizer.h"
#include "pactum/cedar/cedar.h"
#include "pactum/cedar/entity_json.h"
#include "pactum/cedar/est.h"
#include "pactum/cedar/parser.h"
#include "pactum/cedar/schema/schema.h"

namespace pactum::cedar {
namespace {

namespace fs = std::filesystem;

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Tally {
  int tests = 0;
  int should_validate = 0;
  int requests = 0;
  int passed = 0;
  std::vector<std::string> failures;

  void Fail(const std::string& what) {
    if (failures.size() < 20) failures.push_back(what);
  }
};

std::string Names(std::set<std::string> ids) {
  std::string out = "[";
  for (const std::string& id : ids)
    out += (out.size() > 1 ? ", " : "") + id;
  return out + "]";
}

// The one-pass reader must build what the document path builds (ParseJson, NormalizeEntities,
// the action entities, Entities::FromJson): the same entities with the same attributes, tags
// and ancestors. Returns what differs, or "".
std::string DiffFromDocumentPath(const schema::Schema& schema, const std::string& entity_text,
                                 const Entities& read) {
  Result<Json> json = ParseJson(entity_text);
  if (!json.ok()) return "the document path cannot parse the entities";
  Result<Json> normalized = schema::NormalizeEntities(schema, *json);
  if (!normalized.ok()) return "the document path rejects the entities";
  std::set<std::pair<std::string, std::string>> present;
  for (const Json& e : *normalized)
    present.emplace(e["uid"]["type"].get<std::string>(), e["uid"]["id"].get<std::string>());
  for (const Json& action : schema::ActionEntities(schema)) {
    auto key = std::make_pair(action["uid"]["type"].get<std::string>(),
                              action["uid"]["id"].get<std::string>());
    if (!present.count(key)) normalized->push_back(action);
  }
  Result<Entities> reference = Entities::FromJson(*normalized);
  if (!reference.ok()) return "the document path fails: " + reference.status().ToString();
  if (reference->size() != read.size()) return "different entity counts";
  for (const Json& e : *normalized) {
    EntityUid uid{e["uid"]["type"].get<std::string>(), e["uid"]["id"].get<std::string>()};
    const Entity* want = reference->Find(uid);
    Entities::Resolved got = read.Resolve(uid);
    if (got.entity() == nullptr) return uid.ToString() + " missing";
    auto ancestors = [](std::span<const EntityUid> a) {  // a set, in no particular order
      return std::set<EntityUid>(a.begin(), a.end());
    };
    if (Value::MakeRecord(want->attrs) != Value::MakeRecord(got.entity()->attrs) ||
        Value::MakeRecord(want->tags) != Value::MakeRecord(got.entity()->tags) ||
        ancestors(reference->Resolve(uid).ancestors()) != ancestors(got.ancestors())) {
      return uid.ToString() + " differs";
    }
  }
  return "";
}

Result<Request> LoadRequest(const schema::Schema& schema, const Json& r) {
  Request request;
  PACTUM_ASSIGN_OR_RETURN(request.principal, EntityUidFromJson(r.at("principal")));
  PACTUM_ASSIGN_OR_RETURN(request.action, EntityUidFromJson(r.at("action")));
  PACTUM_ASSIGN_OR_RETURN(request.resource, EntityUidFromJson(r.at("resource")));
  Json action{{"type", request.action.type}, {"id", request.action.id}};
  PACTUM_ASSIGN_OR_RETURN(Json context, schema::NormalizeContext(schema, action, r.at("context")));
  PACTUM_ASSIGN_OR_RETURN(request.context, ContextFromJson(context));
  if (r.value("validateRequest", true)) {
    PACTUM_TRY(schema::ValidateRequest(schema, r.at("principal"), r.at("action"), r.at("resource"),
                                       r.at("context")));
  }
  return request;
}

void RunTest(const fs::path& test_file, const fs::path& base, Tally& tally) {
  ++tally.tests;
  std::string name = test_file.filename().string();
  auto fail_all = [&](const Json& test, const std::string& why) {
    int n = test.contains("requests") ? static_cast<int>(test["requests"].size()) : 1;
    tally.requests += n;
    tally.Fail(name + ": " + why);
  };
  Result<std::string> text = ReadFile(test_file);
  if (!text.ok()) return fail_all(Json(), text.status().ToString());
  Result<Json> parsed = ParseJson(*text);
  if (!parsed.ok()) return fail_all(Json(), parsed.status().ToString());
  const Json& test = *parsed;
  if (test.value("shouldValidate", false)) ++tally.should_validate;

  Result<std::string> policy_text = ReadFile(base / test.at("policies").get<std::string>());
  Result<std::string> schema_text = ReadFile(base / test.at("schema").get<std::string>());
  Result<std::string> entity_text = ReadFile(base / test.at("entities").get<std::string>());
  for (const auto* r : {&policy_text, &schema_text, &entity_text}) {
    if (!r->ok()) return fail_all(test, r->status().ToString());
  }
  Result<PolicySet> policies = ParsePolicySet(*policy_text);
  if (!policies.ok()) return fail_all(test, "policies: " + policies.status().ToString());
  // The JSON policy format must carry the same meaning: every request also runs against the
  // policies converted to JSON and back.
  Result<PolicySet> via_json = PolicySetFromJson(PolicySetToJson(*policies));
  if (!via_json.ok()) return fail_all(test, "policies via JSON: " + via_json.status().ToString());
  // The indexed Authorizer must agree with evaluating every policy.
  Authorizer indexed(*policies);
  Result<schema::Schema> schema = schema::ParseCedarSchema(*schema_text);
  if (!schema.ok()) return fail_all(test, "schema: " + schema.status().ToString());
  // The entity store as Cedar's test harness loads it (schema-directed, plus the schema's action
  // entities), by the one-pass reader.
  const EntityReader reader(*schema);
  Result<Entities> entities = reader.Read(*entity_text);
  if (!entities.ok()) return fail_all(test, "entities: " + entities.status().ToString());
  if (std::string diff = DiffFromDocumentPath(*schema, *entity_text, *entities); !diff.empty()) {
    return fail_all(test, "entities: the reader and the document path differ: " + diff);
  }

  for (const Json& r : test.at("requests")) {
    ++tally.requests;
    std::string where = name + " \"" + r.value("description", "") + "\"";
    Result<Request> request = LoadRequest(*schema, r);
    if (!request.ok()) {
      tally.Fail(where + ": request: " + request.status().ToString());
      continue;
    }
    // The reader's request checks (what the benchmark's json path runs) agree.
    Status scope = reader.CheckScope(request->principal, request->action, request->resource);
    Status want_scope =
        schema::ValidateRequestScope(*schema, r.at("principal"), r.at("action"), r.at("resource"));
    if (scope.ToString() != want_scope.ToString()) {
      tally.Fail(where + ": EntityReader::CheckScope says " + scope.ToString() +
                 ", ValidateRequestScope " + want_scope.ToString());
      continue;
    }
    Response response = IsAuthorized(*policies, *request, *entities);
    std::string decision = response.decision == Decision::kAllow ? "allow" : "deny";
    std::set<std::string> reasons(response.reasons.begin(), response.reasons.end());
    std::set<std::string> errors;
    for (const PolicyError& e : response.errors)
      errors.insert(e.policy_id);
    std::set<std::string> want_reasons = r.at("reason").get<std::set<std::string>>();
    std::set<std::string> want_errors = r.at("errors").get<std::set<std::string>>();
    if (decision != r.at("decision").get<std::string>() || reasons != want_reasons ||
        errors != want_errors) {
      std::string detail;
      for (const PolicyError& e : response.errors)
        detail += " [" + e.policy_id + ": " + e.message + "]";
      tally.Fail(where + ": got " + decision + " " + Names(reasons) + " errors " + Names(errors) +
                 ", want " + r.at("decision").get<std::string>() + " " + Names(want_reasons) +
                 " errors " + Names(want_errors) + detail);
      continue;
    }
    Response again = IsAuthorized(*via_json, *request, *entities);
    std::set<std::string> again_reasons(again.reasons.begin(), again.reasons.end());
    std::set<std::string> again_errors;
    for (const PolicyError& e : again.errors)
      again_errors.insert(e.policy_id);
    if (again.decision != response.decision || again_reasons != reasons || again_errors != errors) {
      tally.Fail(where + ": policies converted to JSON and back decide differently");
      continue;
    }
    Response via_index = indexed.IsAuthorized(*request, *entities);
    if (via_index.decision != response.decision || via_index.reasons != response.reasons ||
        via_index.errors.size() != response.errors.size()) {
      tally.Fail(where + ": the indexed authorizer decides differently");
      continue;
    }
    ++tally.passed;
  }
}

// The "Passing requests: N" line of docs/CONFORMANCE.md.
int RequiredPasses() {
  fs::path doc = fs::path(PACTUM_SOURCE_DIR) / "docs" / "CONFORMANCE.md";
  Result<std::string> text = ReadFile(doc);
  if (!text.ok()) {
    ADD_FAILURE() << text.status().ToString();
    return -1;
  }
  std::smatch m;
  static const std::regex kLine(R"(Passing requests:\s*\**\s*([0-9,]+))");
  if (!std::regex_search(*text, m, kLine)) {
    ADD_FAILURE() << doc << " has no \"Passing requests: N\" line";
    return -1;
  }
  std::string digits = m[1];
  digits.erase(std::remove(digits.begin(), digits.end(), ','), digits.end());
  return std::stoi(digits);
}

TEST(CedarConformance, IntegrationCorpus) {
  Tally tally;
  fs::path data = fs::path(PACTUM_SHARED_DATA) / "cedar";
  fs::path hand_written = data / "tests";
  fs::path corpus = fs::path(CEDAR_CORPUS_DIR) / "corpus-tests";
  ASSERT_TRUE(fs::is_directory(hand_written)) << "missing " << hand_written;
  ASSERT_TRUE(fs::is_directory(corpus)) << "missing " << corpus << " (untarred at build time)";

  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(hand_written)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files)
    RunTest(f, data, tally);

  files.clear();
  for (const auto& e : fs::directory_iterator(corpus)) {
    std::string n = e.path().filename().string();
    if (e.path().extension() == ".json" && n.find(".entities.") == std::string::npos) {
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files)
    RunTest(f, corpus.parent_path(), tally);

  std::cout << "Cedar conformance: " << tally.tests << " tests, " << tally.requests << " requests, "
            << tally.passed << " passed, " << (tally.requests - tally.passed) << " failed; "
            << tally.should_validate
            << " tests carry shouldValidate=true (needs a policy validator, not checked)\n";
  for (const std::string& f : tally.failures)
    std::cout << "  FAILED " << f << "\n";

  EXPECT_EQ(tally.tests, 22 + 6876);
  int required = RequiredPasses();
  EXPECT_GE(tally.passed, required) << "fewer requests pass than docs/CONFORMANCE.md states";
}

}  // namespace
}  // namespace pactum::cedar
