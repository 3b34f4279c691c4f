// C2SP transparency log checkpoints (c2sp.org/tlog-checkpoint): a signed note whose text is
//
//   <origin>\n<tree size in decimal>\n<base64 of the 32-byte RFC 6962 root>\n[<extension>\n]...
//
// Parsing is strict: the origin and every extension line non-empty, the size without leading
// zeros (except "0") and within 64 bits, the root exactly 32 bytes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/digest.h"
#include "pactum/base/status.h"
#include "pactum/crypto/signed_note.h"

namespace pactum::crypto {

struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  Sha256Digest root{};
  std::vector<std::string> extensions;

  // The note text. Fails if a field could not be parsed back (an empty or multi-line origin
  // or extension).
  Result<std::string> ToText() const;
  static Result<Checkpoint> FromText(std::string_view text);

  bool operator==(const Checkpoint&) const = default;
};

// The checkpoint as a note signed by each signer (normally the log's key, whose name should
// be the origin).
Result<std::string> SignCheckpoint(const Checkpoint& checkpoint,
                                   std::span<const NoteSigner> signers);

// Opens the signed note with `verifiers` (current and retired log keys alike) and parses its
// text, which must name `origin`.
Result<Checkpoint> OpenCheckpoint(std::string_view message, std::string_view origin,
                                  std::span<const NoteVerifier> verifiers);

}  // namespace pactum::crypto
