// DSSE v1 (Dead Simple Signing Envelope, secure-systems-lab/dsse): the pre-authentication
// encoding, the JSON envelope, signing with Ed25519 and threshold verification.
//
// A signature covers PAE(payloadType, payload), so neither can be swapped without breaking
// it. Envelope parsing accepts standard and URL-safe base64, as the protocol requires of
// verifiers; serialisation writes standard padded base64. Key ids are unauthenticated hints:
// they only select which trusted key to try, and an envelope verifies only if signatures from
// at least `threshold` distinct trusted keys verify.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/crypto/ed25519.h"

namespace pactum::crypto {

// "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in decimal bytes.
std::string Pae(std::string_view payload_type, std::string_view payload);

struct DsseSignature {
  std::string keyid;  // may be empty
  std::string sig;    // raw signature bytes
};

struct DsseEnvelope {
  std::string payload;  // raw bytes
  std::string payload_type;
  std::vector<DsseSignature> signatures;

  // {"payload", "payloadType", "signatures": [{"keyid", "sig"}]}; an empty keyid is omitted.
  Json ToJson() const;
  // Fails with a message naming the field at fault ("signatures[1].sig: ...").
  static Result<DsseEnvelope> FromJson(const Json& json);
  static Result<DsseEnvelope> Parse(std::string_view text);
};

// Signs PAE(payload_type, payload) with `key` and appends the signature under `keyid`.
Status SignEnvelope(DsseEnvelope& envelope, std::string keyid, const Ed25519PrivateKey& key);

struct DsseTrustedKey {
  std::string keyid;
  Ed25519PublicKey key;
};

// Verifies `envelope` against `trusted` (unique key ids) and returns the ids of the trusted
// keys whose signatures verified, each once. A signature with a key id is tried only against
// the trusted key of that id; one without is tried against every trusted key. Fails if the
// payload type is not `payload_type`, or if fewer than `threshold` (>= 1) keys verified.
Result<std::vector<std::string>> VerifyEnvelope(const DsseEnvelope& envelope,
                                                std::string_view payload_type,
                                                std::span<const DsseTrustedKey> trusted,
                                                std::size_t threshold);

}  // namespace pactum::crypto
