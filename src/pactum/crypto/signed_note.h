// C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys.
//
// A signed note is a text ending in a newline, a blank line, and one or more lines
// "— <key name> <base64(key id (4 bytes, big-endian) || signature)>". A key is named by its
// name and id together; the id of an Ed25519 key is the first four bytes of
// SHA-256(name || 0x0A || 0x01 || public key). Verifier keys travel as
// "<name>+<8 hex digits of the id>+<base64(0x01 || public key)>" and signer keys as
// "PRIVATE+KEY+<name>+<id>+<base64(0x01 || seed)>" (the golang.org/x/mod/sumdb/note forms).
//
// Opening a note is strict, as the spec demands: valid UTF-8, no control characters but
// newline, signatures separated from the text by the last blank line, every signature line
// well formed and ending in a newline, at most 100 signatures. Signatures from unknown keys
// are ignored, a known key's signature that fails to verify rejects the note, and at least
// one known signature must verify. Several verifiers may be trusted at once, so that notes
// signed with a retired key keep verifying after rotation.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/crypto/ed25519.h"

namespace pactum::crypto {

// Key names must be non-empty and contain neither Unicode spaces nor '+'.
Status ValidateNoteKeyName(std::string_view name);
std::uint32_t NoteKeyId(std::string_view name, const Ed25519PublicKey& key);

class NoteVerifier {
 public:
  static Result<NoteVerifier> Create(std::string name, Ed25519PublicKey key);
  // Parses the "<name>+<id>+<base64>" form, checking the id against the name and key.
  static Result<NoteVerifier> Parse(std::string_view vkey);

  const std::string& name() const { return name_; }
  std::uint32_t key_id() const { return key_id_; }
  const Ed25519PublicKey& key() const { return key_; }
  std::string ToString() const;

 private:
  NoteVerifier(std::string name, Ed25519PublicKey key);

  std::string name_;
  Ed25519PublicKey key_;
  std::uint32_t key_id_;
};

class NoteSigner {
 public:
  static Result<NoteSigner> Create(std::string name, Ed25519PrivateKey key);
  // Parses the "PRIVATE+KEY+<name>+<id>+<base64>" form.
  static Result<NoteSigner> Parse(std::string_view skey);

  const std::string& name() const { return verifier_.name(); }
  std::uint32_t key_id() const { return verifier_.key_id(); }
  const NoteVerifier& verifier() const { return verifier_; }
  // The secret key in the "PRIVATE+KEY+..." form, for storing it.
  std::string ToString() const;

 private:
  NoteSigner(Ed25519PrivateKey key, NoteVerifier verifier)
      : key_(std::move(key)), verifier_(std::move(verifier)) {}
  friend Result<std::string> SignNote(std::string_view, std::span<const NoteSigner>);

  Ed25519PrivateKey key_;
  NoteVerifier verifier_;
};

// One signature line of a note.
struct NoteSignature {
  std::string name;
  std::uint32_t key_id = 0;
  std::string base64;  // key id and signature, as written on the line

  bool operator==(const NoteSignature&) const = default;
};

struct Note {
  std::string text;                       // including its final newline
  std::vector<NoteSignature> verified;    // by the given verifiers, in note order
  std::vector<NoteSignature> unverified;  // from unknown keys, each distinct line once
};

// The signed note: `text` (which must end in a newline and satisfy the note rules) followed
// by one signature per signer, in order.
Result<std::string> SignNote(std::string_view text, std::span<const NoteSigner> signers);

// Parses and verifies `message`. The verifiers must be distinct by (name, key id).
Result<Note> OpenNote(std::string_view message, std::span<const NoteVerifier> verifiers);

}  // namespace pactum::crypto
