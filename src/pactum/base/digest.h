// Hashes, MACs and secure randomness, on OpenSSL.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "pactum/base/status.h"

namespace pactum {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest Sha256(std::string_view data);
// Incremental SHA-256 for data that arrives in parts (e.g. RFC 6962 prefix + payload).
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;
  void Update(std::string_view data);
  // The digest of everything since construction or the last Finish; the hasher starts over.
  Sha256Digest Finish();

 private:
  void* ctx_;  // EVP_MD_CTX
};

Sha256Digest HmacSha256(std::string_view key, std::string_view data);

// Constant-time equality: the time taken depends only on the lengths, never on where the
// inputs first differ. Use it for every secret comparison (API key hashes, MACs).
bool ConstantTimeEqual(std::string_view a, std::string_view b);

// `n` bytes from the operating system's CSPRNG. Fails only if OpenSSL cannot seed.
Result<std::string> SecureRandomBytes(std::size_t n);

// The digest as a byte string, for APIs that take string_view.
inline std::string_view AsBytes(const Sha256Digest& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

}  // namespace pactum
