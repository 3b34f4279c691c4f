#include "pactum/base/id.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>

#include <pthread.h>

#include "pactum/base/digest.h"
#include "pactum/base/encoding.h"

namespace pactum {

namespace {

// Bumped in every forked child: a child must not hand out the random bits its parent's buffers
// still hold (both would then make the same ids).
std::atomic<unsigned> fork_generation{0};

// Random bytes for ids from the system's generator, drawn 4 KiB at a time per thread: one
// RAND_bytes call costs a microsecond or two whatever its size (measured 1.7 µs for 10 bytes,
// 12 ns per 10 bytes in 4 KiB draws), which was most of an id's cost.
void IdRandomBytes(std::uint8_t* out, std::size_t n) {
  static const bool registered = [] {
    pthread_atfork(nullptr, nullptr, [] { fork_generation.fetch_add(1); });
    return true;
  }();
  (void)registered;
  struct Buffer {
    std::array<std::uint8_t, 4096> bytes;
    std::size_t used = sizeof(bytes);
    unsigned generation = 0;
  };
  thread_local Buffer buffer;
  const unsigned generation = fork_generation.load(std::memory_order_relaxed);
  if (buffer.used + n > buffer.bytes.size() || buffer.generation != generation) {
    Result<std::string> fresh = SecureRandomBytes(buffer.bytes.size());
    // Without the system's generator ids still differ by time and counter, not by chance.
    if (fresh.ok()) {
      std::memcpy(buffer.bytes.data(), fresh->data(), buffer.bytes.size());
    } else {
      buffer.bytes.fill(0);
    }
    buffer.used = 0;
    buffer.generation = generation;
  }
  std::memcpy(out, buffer.bytes.data() + buffer.used, n);
  buffer.used += n;
}

}  // namespace

std::string NewUuidV7(const Clock& clock) {
  static std::mutex mu;
  static std::int64_t last_ms = -1;
  static std::uint16_t seq = 0;

  std::array<std::uint8_t, 10> r;
  IdRandomBytes(r.data(), r.size());
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
      seq = static_cast<std::uint16_t>((r[0] << 4) & 0x07FF);
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
    b[i] = r[static_cast<std::size_t>(i - 6)];
  b[8] = static_cast<std::uint8_t>(0x80 | (b[8] & 0x3F));
  const std::string hex =
      HexEncode(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < hex.size(); ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    out += hex[i];
  }
  return out;
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
