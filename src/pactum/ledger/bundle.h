// What the log hands out, as self-contained JSON files, and their offline verification.
//
// An inclusion bundle:
//   {"kind": "pactum.log.inclusion/v1", "index": I, "size": N, "leaf_hash": "<base64>",
//    "proof": ["<base64>", ...], "checkpoint": "<signed note of size N>"[, "leaf": "<data>"]}
// A consistency bundle:
//   {"kind": "pactum.log.consistency/v1", "from": A, "to": B, "proof": [...],
//    "from_checkpoint": "<signed note of size A>", "to_checkpoint": "<signed note of size B>"}
// Hashes are standard padded base64 of 32 bytes; "leaf", when present, is the leaf's
// canonical JSON, whose RFC 6962 hash must be leaf_hash.
//
// A trust packet (docs/PACKETS.md) is a DSSE envelope around an in-toto statement of
// predicateType kTrustPacketType whose predicate's "log" holds a checkpoint and inclusion
// proofs of the leaves the packet cites, all of that checkpoint's size:
//   "log": {"origin", "size": N, "checkpoint": "<signed note of size N>",
//           "proofs": [{"cites", "index", "leaf_hash", "proof": [...], "leaf": "<data>"}]}
//
// VerifyArtifact checks a bundle, a bare checkpoint (signed note), a DSSE envelope or a trust
// packet (its signature, its checkpoint's signature, every proof) against keys the verifier
// trusts, without contacting the log. It is strict: unknown fields, a
// checkpoint of another size, a proof of the wrong length, bad base64 are all rejected, with
// the reason.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/crypto/ed25519.h"
#include "pactum/crypto/signed_note.h"
#include "pactum/ledger/ledger.h"

namespace pactum::ledger {

inline constexpr std::string_view kInclusionKind = "pactum.log.inclusion/v1";
inline constexpr std::string_view kConsistencyKind = "pactum.log.consistency/v1";
inline constexpr std::string_view kTrustPacketType = "https://pactum.dev/trust-packet/v1";

Json InclusionBundle(const InclusionProof& proof, const std::optional<std::string>& leaf_data);
Json ConsistencyBundle(const ConsistencyProof& proof);

// Keys a verifier trusts: PEM public keys and note verifier keys ("<name>+<id>+<base64>"),
// as read from a key file. A PEM key verifies checkpoints of any origin and DSSE signatures
// whose key id is its fingerprint (or `dsse_keyid`, when set).
struct TrustedKeys {
  std::vector<crypto::Ed25519PublicKey> keys;
  std::vector<crypto::NoteVerifier> note_verifiers;
};
// Parses a file holding one or more PEM "PUBLIC KEY" blocks and/or note verifier key lines.
Result<TrustedKeys> ParseTrustedKeys(std::string_view text);

struct VerifyOptions {
  std::string payload_type = "application/vnd.in-toto+json";  // for DSSE envelopes
  std::string dsse_keyid;  // key id of the trusted key(s) in envelopes; default: fingerprint
  std::string origin;      // expected checkpoint origin; default: the one the note names
};

// The artifact verified: its kind ("checkpoint", "inclusion", "consistency", "envelope",
// "trust packet") and
// a one-line account of what was proven.
struct VerifiedArtifact {
  std::string kind;
  std::string summary;
};

Result<VerifiedArtifact> VerifyArtifact(std::string_view text, const TrustedKeys& trusted,
                                        const VerifyOptions& options);

}  // namespace pactum::ledger
