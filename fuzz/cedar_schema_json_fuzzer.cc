// libFuzzer target: Cedar schemas in the JSON syntax (ParseJson, then ParseJsonSchema).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pactum/base/json.h"
#include "pactum/cedar/schema/schema.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto json = pactum::ParseJson(text);
  if (json.ok()) (void)pactum::cedar::schema::ParseJsonSchema(*json);
  return 0;
}
