#include "pactum/base/id.h"

#include <array>
#include <cstdint>
#include <mutex>

#include "pactum/base/digest.h"
#include "pactum/base/encoding.h"

namespace pactum {

std::string NewUuidV7(const Clock& clock) {
  static std::mutex mu;
  static std::int64_t last_ms = -1;
  static std::uint16_t seq = 0;

  auto random = SecureRandomBytes(10);
  std::string r = random.ok() ? *random : std::string(10, '\0');
  std::int64_t ms = UnixMillis(clock.Now());
  std::uint16_t rand_a;
  {
    std::lock_guard lock(mu);
    if (ms <= last_ms) {
      // Same millisecond (or the clock stepped back): stay monotonic by counting on.
      ms = last_ms;
      if (++seq > 0x0FFF) {
        ++ms;
        seq = 0;
      }
    } else {
      seq = static_cast<std::uint16_t>((static_cast<unsigned char>(r[0]) << 4) & 0x07FF);
    }
    last_ms = ms;
    rand_a = seq;
  }
  std::array<std::uint8_t, 16> b{};
  for (int i = 0; i < 6; ++i)
    b[i] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
  b[6] = static_cast<std::uint8_t>(0x70 | (rand_a >> 8));
  b[7] = static_cast<std::uint8_t>(rand_a & 0xFF);
  for (int i = 8; i < 16; ++i)
    b[i] = static_cast<std::uint8_t>(r[static_cast<std::size_t>(i - 6)]);
  b[8] = static_cast<std::uint8_t>(0x80 | (b[8] & 0x3F));
  std::string hex = HexEncode(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

bool IsUuid(std::string_view t) {
  if (t.size() != 36) return false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    char c = t[i];
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace pactum
