// libFuzzer target: Cedar entity JSON, both without a schema (ParseEntities) and schema-directed
// (NormalizeEntities against a schema with every kind of attribute type, then Entities::FromJson).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pactum/base/json.h"
#include "pactum/cedar/cedar.h"
#include "pactum/cedar/schema/conformance.h"
#include "pactum/cedar/schema/schema.h"

namespace {

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

const pactum::cedar::schema::Schema& TheSchema() {
  static const auto* schema = [] {
    auto parsed = pactum::cedar::schema::ParseCedarSchema(kSchema);
    if (!parsed.ok()) std::abort();
    return new pactum::cedar::schema::Schema(std::move(*parsed));
  }();
  return *schema;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)pactum::cedar::ParseEntities(text);
  auto json = pactum::ParseJson(text);
  if (!json.ok()) return 0;
  auto normalized = pactum::cedar::schema::NormalizeEntities(TheSchema(), *json);
  // Schema conformance leaves store-level rules (e.g. duplicate uids) to the store: build it.
  if (normalized.ok()) (void)pactum::cedar::Entities::FromJson(*normalized);
  return 0;
}
