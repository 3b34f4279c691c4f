// libFuzzer target: Cedar entity JSON through the one-pass reader (EntityReader), without a
// schema and directed by a schema with every kind of attribute type. Besides crashes it checks
// the reader against the document path (ParseJson, then NormalizeEntities + the schema's action
// entities + Entities::FromJson, or Entities::FromJson alone): on the document's own
// serialisation, where duplicate keys are gone, both must accept the same inputs and build
// stores of the same size; a disagreement aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "pactum/base/json.h"
#include "pactum/cedar/cedar.h"
#include "pactum/cedar/entity_json.h"
#include "pactum/cedar/schema/conformance.h"
#include "pactum/cedar/schema/schema.h"

namespace {

namespace cedar = pactum::cedar;

constexpr std::string_view kSchema = R"(
namespace App {
  type Address = { street: String, zip?: Long };
  entity Group in [Group] { name: String };
  entity User in [Group] {
    age: Long, admin: Bool, home: Address, tags: Set<String>, manager?: User,
    ip: ipaddr, limit: decimal, seen: datetime, ttl: duration
  } tags String;
  entity Doc { owner: User, readers: Set<User>, meta: { level: Long, label?: String } } tags Long;
  entity Color enum ["red", "green"];
  action read appliesTo { principal: [User], resource: [Doc], context: { ip?: ipaddr } };
}
)";

const cedar::schema::Schema& TheSchema() {
  static const auto* schema = [] {
    auto parsed = cedar::schema::ParseCedarSchema(kSchema);
    if (!parsed.ok()) std::abort();
    return new cedar::schema::Schema(std::move(*parsed));
  }();
  return *schema;
}

pactum::Result<cedar::Entities> DocumentPath(const pactum::Json& json) {
  PACTUM_ASSIGN_OR_RETURN(pactum::Json normalized,
                          cedar::schema::NormalizeEntities(TheSchema(), json));
  std::set<std::pair<std::string, std::string>> present;
  for (const pactum::Json& e : normalized)
    present.emplace(e["uid"]["type"].get<std::string>(), e["uid"]["id"].get<std::string>());
  for (const pactum::Json& action : cedar::schema::ActionEntities(TheSchema())) {
    if (!present.count(
            {action["uid"]["type"].get<std::string>(), action["uid"]["id"].get<std::string>()})) {
      normalized.push_back(action);
    }
  }
  return cedar::Entities::FromJson(normalized);
}

void MustAgree(const pactum::Result<cedar::Entities>& read,
               const pactum::Result<cedar::Entities>& reference) {
  if (read.ok() != reference.ok()) std::abort();
  if (read.ok() && read->size() != reference->size()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const cedar::EntityReader schema_reader(TheSchema());
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)cedar::ReadEntities(text);
  (void)schema_reader.Read(text);
  auto json = pactum::ParseJson(text);
  if (!json.ok()) return 0;
  const std::string canonical = json->dump();
  MustAgree(cedar::ReadEntities(canonical), cedar::Entities::FromJson(*json));
  MustAgree(schema_reader.Read(canonical), DocumentPath(*json));
  return 0;
}
