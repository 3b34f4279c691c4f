// libFuzzer target: pact YAML (ParsePactYaml). Any input must give a pact or diagnostics, never
// a crash, leak or undefined behaviour; boundary and rubric files resolve against the pact
// tests' fixture folder, so inputs can name real Cedar files. A pact that loads must survive
// its canonical JSON form unchanged: FromJson(ToJson(p)) gives the same JSON and hash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pactum/pact/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto pact = pactum::pact::ParsePactYaml(text, "fuzz.yaml", PACT_TESTDATA);
  if (!pact.ok()) {
    // The diagnostics quote the input; they must still print as JSON.
    (void)pact.status().details().dump();
    return 0;
  }
  pactum::Json json = pactum::pact::ToJson(*pact);
  auto back = pactum::pact::FromJson(json);
  if (!back.ok() || pactum::pact::ToJson(*back) != json ||
      pactum::pact::Hash(*back) != pactum::pact::Hash(*pact)) {
    std::abort();
  }
  return 0;
}
