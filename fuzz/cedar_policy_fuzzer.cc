// libFuzzer target: Cedar policy text (ParsePolicySet). Any input must give a PolicySet or an
// error, never a crash, leak or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pactum/cedar/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)pactum::cedar::ParsePolicySet(text);
  return 0;
}
