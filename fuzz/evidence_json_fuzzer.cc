// libFuzzer target: an evidence body as POST /v1/evidence receives it (ParseJson, then
// EvidenceFromJson). Any input must give evidence or an error naming a field, never a crash or
// undefined behaviour; evidence that loads must survive its JSON form unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pactum/base/json.h"
#include "pactum/trust/evidence.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto json = pactum::ParseJson(text);
  if (!json.ok()) return 0;
  auto evidence = pactum::trust::EvidenceFromJson(*json, 1.8e9);
  if (!evidence.ok()) {
    (void)evidence.status().details().dump();
    return 0;
  }
  pactum::Json again = pactum::trust::ToJson(*evidence);
  auto back = pactum::trust::EvidenceFromJson(again, 0);
  if (!back.ok() || pactum::trust::ToJson(*back) != again) std::abort();
  return 0;
}
