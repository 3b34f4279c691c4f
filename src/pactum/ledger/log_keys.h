// The log's signing keys, kept in the data folder.
//
// The current private key is `log-key.pem` (PKCS#8, file mode 0600), generated on first open.
// The public half of every key the log has ever used is kept as `log-keys/<fingerprint>.pem`,
// written before the key signs anything, so checkpoints signed before a rotation keep
// verifying. Rotation writes the new key beside the old one and renames it into place, so a
// crash leaves either the old key or the new one, never neither.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/crypto/ed25519.h"
#include "pactum/crypto/signed_note.h"

namespace pactum::ledger {

class LogKeys {
 public:
  // Loads the keys of `data_dir`, generating the first key if there is none. `name` is the
  // note key name (the log's origin).
  static Result<LogKeys> Open(const std::filesystem::path& data_dir, std::string name);

  // Replaces the signing key with a fresh one; the old public key stays trusted.
  Status Rotate();

  const crypto::NoteSigner& signer() const { return signer_; }
  // The current private key itself, for signatures that are not notes (DSSE envelopes).
  const crypto::Ed25519PrivateKey& key() const { return key_; }
  // Current and retired keys, current first.
  const std::vector<crypto::NoteVerifier>& verifiers() const { return verifiers_; }

 private:
  LogKeys(std::filesystem::path dir, std::string name, crypto::Ed25519PrivateKey key,
          crypto::NoteSigner signer, std::vector<crypto::NoteVerifier> verifiers)
      : dir_(std::move(dir)),
        name_(std::move(name)),
        key_(std::move(key)),
        signer_(std::move(signer)),
        verifiers_(std::move(verifiers)) {}

  std::filesystem::path dir_;
  std::string name_;
  crypto::Ed25519PrivateKey key_;
  crypto::NoteSigner signer_;
  std::vector<crypto::NoteVerifier> verifiers_;
};

}  // namespace pactum::ledger
