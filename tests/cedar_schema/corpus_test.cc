// Every schema in the shared Cedar data must parse, every entity file must conform to its
// schema, every request Cedar validated must validate here, and the Cedar syntax must
// round-trip through the JSON format.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "pactum/base/json.h"
#include "pactum/cedar/schema/conformance.h"
#include "pactum/cedar/schema/schema.h"

namespace pactum::cedar::schema {
namespace {

namespace fs = std::filesystem;

const fs::path kCedarData = fs::path(PACTUM_SHARED_DATA) / "cedar";
const fs::path kCorpus = fs::path(CEDAR_CORPUS_DIR);
const fs::path kBench = fs::path(PACTUM_SHARED_DATA) / "cedar-bench";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<fs::path> FilesEndingWith(const fs::path& dir, const std::string& suffix) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() >= suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Same entity types and actions (ToJsonSchema expands common types, so those are not compared).
void ExpectEquivalent(const Schema& a, const Schema& b, const std::string& what) {
  ASSERT_EQ(a.entity_types.size(), b.entity_types.size()) << what;
  for (const auto& [name, type] : a.entity_types) {
    const EntityType* other = b.FindEntityType(name);
    ASSERT_NE(other, nullptr) << what << ": " << name;
    EXPECT_EQ(type.member_of_types, other->member_of_types) << what << ": " << name;
    EXPECT_TRUE(SameType(*type.shape, *other->shape)) << what << ": " << name;
    EXPECT_EQ(type.tags == nullptr, other->tags == nullptr) << what << ": " << name;
    if (type.tags && other->tags) {
      EXPECT_TRUE(SameType(*type.tags, *other->tags)) << what;
    }
    EXPECT_EQ(type.enum_choices, other->enum_choices) << what << ": " << name;
  }
  ASSERT_EQ(a.actions.size(), b.actions.size()) << what;
  for (const auto& [uid, action] : a.actions) {
    const Action* other = b.FindAction(uid);
    ASSERT_NE(other, nullptr) << what << ": " << uid.id;
    EXPECT_EQ(action.member_of, other->member_of) << what << ": " << uid.id;
    EXPECT_EQ(action.principal_types, other->principal_types) << what << ": " << uid.id;
    EXPECT_EQ(action.resource_types, other->resource_types) << what << ": " << uid.id;
    EXPECT_TRUE(SameType(*action.context, *other->context)) << what << ": " << uid.id;
  }
}

TEST(CedarCorpusTest, EveryCorpusSchemaParsesAndRoundTripsThroughJson) {
  ASSERT_TRUE(fs::exists(kCorpus / "corpus-tests"))
      << "missing " << (kCorpus / "corpus-tests") << " (unpacked from "
      << (kCedarData / "corpus-tests.tar.gz") << " at configure time)";
  std::size_t parsed = 0;
  for (const auto& path : FilesEndingWith(kCorpus / "corpus-tests", ".cedarschema")) {
    Result<Schema> schema = ParseCedarSchema(ReadFile(path));
    ASSERT_TRUE(schema.ok()) << path << ": " << schema.status().ToString();
    Result<Schema> again = ParseJsonSchema(ToJsonSchema(*schema));
    ASSERT_TRUE(again.ok()) << path << ": " << again.status().ToString();
    ExpectEquivalent(*schema, *again, path.string());
    ++parsed;
  }
  EXPECT_EQ(parsed, 6876u);
}

TEST(CedarCorpusTest, HandWrittenAndBenchmarkSchemasParse) {
  std::size_t cedar_syntax = 0, json_syntax = 0;
  for (const auto& path : FilesEndingWith(kCedarData / "sample-data", ".cedarschema")) {
    Result<Schema> schema = ParseCedarSchema(ReadFile(path));
    EXPECT_TRUE(schema.ok()) << path << ": " << schema.status().ToString();
    ++cedar_syntax;
  }
  for (const auto& path : FilesEndingWith(kBench, ".cedarschema.json")) {
    Result<Json> json = ParseJson(ReadFile(path));
    ASSERT_TRUE(json.ok()) << path;
    Result<Schema> schema = ParseJsonSchema(*json);
    ASSERT_TRUE(schema.ok()) << path << ": " << schema.status().ToString();
    EXPECT_FALSE(schema->actions.empty()) << path;
    Result<Schema> again = ParseJsonSchema(ToJsonSchema(*schema));
    ASSERT_TRUE(again.ok()) << path << ": " << again.status().ToString();
    ExpectEquivalent(*schema, *again, path.string());
    ++json_syntax;
  }
  EXPECT_EQ(cedar_syntax, 3u) << "under " << kCedarData / "sample-data";
  EXPECT_EQ(json_syntax, 5u) << "under " << kBench;
}

// Every prefix of a real schema, and every single-byte corruption of it, either parses or is
// an error with a position: never a crash (the sanitizer build checks the "never").
TEST(CedarCorpusTest, TruncatedAndCorruptedSchemasFailCleanly) {
  const fs::path path = kCedarData / "sample-data" / "sandbox_b" / "schema.cedarschema";
  const std::string text = ReadFile(path);
  ASSERT_FALSE(text.empty()) << "missing " << path;
  std::size_t errors = 0;
  for (std::size_t cut = 0; cut < text.size(); ++cut) {
    Result<Schema> schema = ParseCedarSchema(std::string_view(text).substr(0, cut));
    if (!schema.ok()) {
      ++errors;
      EXPECT_NE(schema.status().message().find("line "), std::string::npos)
          << schema.status().message();
    }
  }
  EXPECT_GT(errors, text.size() / 2);
  for (std::size_t at = 0; at < text.size(); ++at) {
    for (char replacement : {'{', '"', ';', '<', '\\', '@'}) {
      std::string corrupted = text;
      corrupted[at] = replacement;
      Result<Schema> schema = ParseCedarSchema(corrupted);
      if (!schema.ok()) {
        EXPECT_EQ(schema.status().code(), Code::kInvalidArgument);
      }
    }
  }
}

// Runs every test case (`<name>.json` with "schema", "entities" and "requests") under `dir`,
// whose paths are relative to `base`. Returns the number of requests checked.
std::size_t CheckTestCases(const fs::path& dir, const fs::path& base, std::size_t& entity_files) {
  std::size_t requests = 0;
  for (const auto& path : FilesEndingWith(dir, ".json")) {
    const std::string name = path.filename().string();
    if (name.find(".entities.") != std::string::npos || name == "entities.json") continue;
    Result<Json> test = ParseJson(ReadFile(path));
    if (!test.ok() || !test->is_object() || !test->contains("schema")) continue;
    Result<Schema> schema = ParseCedarSchema(ReadFile(base / (*test)["schema"].get<std::string>()));
    EXPECT_TRUE(schema.ok()) << path << ": " << schema.status().ToString();
    if (!schema.ok()) continue;
    Result<Json> entities = ParseJson(ReadFile(base / (*test)["entities"].get<std::string>()));
    EXPECT_TRUE(entities.ok()) << path;
    if (!entities.ok()) continue;
    Result<Json> normalized = NormalizeEntities(*schema, *entities);
    EXPECT_TRUE(normalized.ok()) << path << ": " << normalized.status().ToString();
    if (normalized.ok()) {
      ++entity_files;
      // Normalizing is idempotent: the explicit form is accepted and unchanged.
      Result<Json> twice = NormalizeEntities(*schema, *normalized);
      EXPECT_TRUE(twice.ok() && *twice == *normalized) << path;
      // The Cedar syntax has no open records, so an extra attribute never conforms.
      for (std::size_t i = 0; i < entities->size(); ++i) {
        Json& uid = (*entities)[i]["uid"];
        if (uid.value("type", "").find("Action") != std::string::npos) continue;
        (*entities)[i]["attrs"]["undeclared attribute"] = 1;
        EXPECT_FALSE(NormalizeEntities(*schema, *entities).ok()) << path;
        break;
      }
    }
    for (const auto& request : (*test)["requests"]) {
      if (request.contains("validateRequest") && !request["validateRequest"].get<bool>()) continue;
      Status status = ValidateRequest(*schema, request["principal"], request["action"],
                                      request["resource"], request["context"]);
      EXPECT_TRUE(status.ok()) << path << " " << request["description"] << ": "
                               << status.ToString();
      // The same request with an undeclared action or principal type must not validate.
      Json action = request["action"];
      action["id"] = "undeclared action";
      EXPECT_FALSE(ValidateRequest(*schema, request["principal"], action, request["resource"],
                                   request["context"])
                       .ok())
          << path;
      Json principal = request["principal"];
      principal["type"] = "Undeclared";
      EXPECT_FALSE(ValidateRequest(*schema, principal, request["action"], request["resource"],
                                   request["context"])
                       .ok())
          << path;
      ++requests;
    }
  }
  return requests;
}

TEST(CedarCorpusTest, CorpusEntitiesConformAndRequestsValidate) {
  ASSERT_TRUE(fs::exists(kCorpus / "corpus-tests")) << "missing " << kCorpus / "corpus-tests";
  std::size_t entity_files = 0;
  std::size_t requests = CheckTestCases(kCorpus / "corpus-tests", kCorpus, entity_files);
  EXPECT_EQ(entity_files, 6876u);
  EXPECT_GT(requests, 6876u);
}

TEST(CedarCorpusTest, HandWrittenEntitiesConformAndRequestsValidate) {
  std::size_t entity_files = 0;
  std::size_t requests = CheckTestCases(kCedarData / "tests", kCedarData, entity_files);
  EXPECT_GT(entity_files, 0u) << "no test cases under " << kCedarData / "tests";
  EXPECT_GT(requests, 0u);
}

}  // namespace
}  // namespace pactum::cedar::schema
