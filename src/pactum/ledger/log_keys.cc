#include "pactum/ledger/log_keys.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pactum/base/file.h"

namespace pactum::ledger {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPrivateKeyFile = "log-key.pem";
constexpr const char* kPublicKeysDir = "log-keys";

Status Errno(const std::string& what, const fs::path& path) {
  return IoError(what + " " + path.string() + ": " + std::strerror(errno));
}

Status SyncPath(const fs::path& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open", path);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Errno("cannot sync", path);
  return Status::Ok();
}

// Writes `contents` to `path` durably (temporary file, fsync, rename, fsync of the folder),
// created with `mode` so a secret is never readable by others, not even briefly.
Status WriteFileDurably(const fs::path& path, std::string_view contents, mode_t mode) {
  const fs::path tmp = path.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Errno("cannot create", tmp);
  ::fchmod(fd, mode);  // the umask may have narrowed it; make it exactly `mode`
  std::size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return Errno("cannot write", tmp);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    return Errno("cannot sync", tmp);
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Errno("cannot rename to", path);
  return SyncPath(path.parent_path(), O_RDONLY | O_DIRECTORY);
}

Status SavePublicKey(const fs::path& dir, const crypto::Ed25519PublicKey& key) {
  PACTUM_ASSIGN_OR_RETURN(std::string pem, key.ToPem());
  return WriteFileDurably(dir / kPublicKeysDir / (key.Fingerprint() + ".pem"), pem, 0644);
}

}  // namespace

Result<LogKeys> LogKeys::Open(const fs::path& data_dir, std::string name) {
  std::error_code ec;
  fs::create_directories(data_dir / kPublicKeysDir, ec);
  if (ec)
    return IoError("cannot create " + (data_dir / kPublicKeysDir).string() + ": " + ec.message());

  const fs::path private_path = data_dir / kPrivateKeyFile;
  std::optional<crypto::Ed25519PrivateKey> key;
  if (fs::exists(private_path)) {
    struct stat st {};
    if (::stat(private_path.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
      return FailedPrecondition(private_path.string() +
                                " is readable by other users; chmod 600 it (it signs the log)");
    PACTUM_ASSIGN_OR_RETURN(std::string pem, ReadFile(private_path));
    auto parsed = crypto::Ed25519PrivateKey::FromPem(pem);
    if (!parsed.ok()) return parsed.status().WithContext(private_path.string());
    key = std::move(*parsed);
  } else {
    PACTUM_ASSIGN_OR_RETURN(key, crypto::Ed25519PrivateKey::Generate());
    // The public key is recorded first: a key that signed something is always known.
    PACTUM_TRY(SavePublicKey(data_dir, key->public_key()));
    PACTUM_ASSIGN_OR_RETURN(std::string pem, key->ToPem());
    PACTUM_TRY(WriteFileDurably(private_path, pem, 0600));
  }
  // A key from an older install, or copied in by hand, is trusted from now on.
  if (!fs::exists(data_dir / kPublicKeysDir / (key->public_key().Fingerprint() + ".pem")))
    PACTUM_TRY(SavePublicKey(data_dir, key->public_key()));

  PACTUM_ASSIGN_OR_RETURN(auto signer, crypto::NoteSigner::Create(name, *key));
  std::vector<crypto::NoteVerifier> verifiers = {signer.verifier()};
  for (const auto& entry : fs::directory_iterator(data_dir / kPublicKeysDir)) {
    if (entry.path().extension() != ".pem") continue;
    PACTUM_ASSIGN_OR_RETURN(std::string pem, ReadFile(entry.path()));
    auto public_key = crypto::Ed25519PublicKey::FromPem(pem);
    if (!public_key.ok()) return public_key.status().WithContext(entry.path().string());
    if (*public_key == key->public_key()) continue;
    PACTUM_ASSIGN_OR_RETURN(auto verifier, crypto::NoteVerifier::Create(name, *public_key));
    verifiers.push_back(std::move(verifier));
  }
  return LogKeys(data_dir, std::move(name), std::move(*key), std::move(signer),
                 std::move(verifiers));
}

Status LogKeys::Rotate() {
  PACTUM_ASSIGN_OR_RETURN(auto key, crypto::Ed25519PrivateKey::Generate());
  PACTUM_TRY(SavePublicKey(dir_, key.public_key()));
  PACTUM_ASSIGN_OR_RETURN(std::string pem, key.ToPem());
  PACTUM_TRY(WriteFileDurably(dir_ / kPrivateKeyFile, pem, 0600));
  PACTUM_ASSIGN_OR_RETURN(auto signer, crypto::NoteSigner::Create(name_, key));
  verifiers_.insert(verifiers_.begin(), signer.verifier());
  signer_ = std::move(signer);
  key_ = std::move(key);
  return Status::Ok();
}

}  // namespace pactum::ledger
