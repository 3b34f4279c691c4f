// Ed25519 (RFC 8032) keys, signatures and verification on OpenSSL 3.
//
// Keys are immutable values that share their OpenSSL key object, so copies are cheap. A
// private key is held only inside OpenSSL; its 32-byte seed leaves it only through Seed() or
// ToPem(), for storing. Verification is OpenSSL's, which rejects non-canonical S (S >= L) and
// signatures of the wrong length, so signatures are not malleable.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "pactum/base/status.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of this header

namespace pactum::crypto {

inline constexpr std::size_t kEd25519KeySize = 32;  // seed and public key alike
inline constexpr std::size_t kEd25519SignatureSize = 64;

class Ed25519PublicKey {
 public:
  // The 32-byte RFC 8032 encoding.
  static Result<Ed25519PublicKey> FromBytes(std::string_view raw);
  // A PEM "PUBLIC KEY" (SubjectPublicKeyInfo) holding an Ed25519 key.
  static Result<Ed25519PublicKey> FromPem(std::string_view pem);

  const std::string& bytes() const { return raw_; }
  Result<std::string> ToPem() const;
  // Lowercase hex SHA-256 of the raw key: a stable identifier for the key.
  std::string Fingerprint() const;

  // OK only if `signature` is a valid signature of `message` under this key.
  Status Verify(std::string_view message, std::string_view signature) const;

  bool operator==(const Ed25519PublicKey& other) const { return raw_ == other.raw_; }

 private:
  Ed25519PublicKey(std::shared_ptr<evp_pkey_st> pkey, std::string raw)
      : pkey_(std::move(pkey)), raw_(std::move(raw)) {}

  std::shared_ptr<evp_pkey_st> pkey_;
  std::string raw_;
};

class Ed25519PrivateKey {
 public:
  // A fresh key from the operating system's CSPRNG.
  static Result<Ed25519PrivateKey> Generate();
  // The 32-byte RFC 8032 private key (seed).
  static Result<Ed25519PrivateKey> FromSeed(std::string_view seed);
  // A PEM "PRIVATE KEY" (unencrypted PKCS#8) holding an Ed25519 key.
  static Result<Ed25519PrivateKey> FromPem(std::string_view pem);

  // The secret seed, for storing it (the caller protects it, e.g. a 0600 file).
  std::string Seed() const;
  Result<std::string> ToPem() const;

  const Ed25519PublicKey& public_key() const { return public_key_; }

  // Ed25519 is deterministic: the same key and message always give the same signature.
  // Fails only if OpenSSL does (out of memory).
  Result<std::string> Sign(std::string_view message) const;

 private:
  Ed25519PrivateKey(std::shared_ptr<evp_pkey_st> pkey, Ed25519PublicKey public_key)
      : pkey_(std::move(pkey)), public_key_(std::move(public_key)) {}
  static Result<Ed25519PrivateKey> FromPkey(evp_pkey_st* pkey);

  std::shared_ptr<evp_pkey_st> pkey_;
  Ed25519PublicKey public_key_;
};

}  // namespace pactum::crypto
