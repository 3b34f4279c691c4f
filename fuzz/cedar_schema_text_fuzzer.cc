// libFuzzer target: Cedar schemas in the Cedar syntax (ParseCedarSchema); a schema that parses
// is also converted to the JSON syntax and parsed back, which must succeed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pactum/cedar/schema/schema.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace schema = pactum::cedar::schema;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = schema::ParseCedarSchema(text);
  if (parsed.ok() && !schema::ParseJsonSchema(schema::ToJsonSchema(*parsed)).ok()) std::abort();
  return 0;
}
