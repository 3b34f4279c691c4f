#include "pactum/crypto/ed25519.h"

#include <string>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "pactum/base/digest.h"
#include "pactum/base/encoding.h"

namespace pactum::crypto {
namespace {

std::shared_ptr<EVP_PKEY> Own(EVP_PKEY* pkey) {
  return {pkey, EVP_PKEY_free};
}

// OpenSSL leaves failures on a thread-local queue; drain it so that it cannot be mistaken
// later for the error of an unrelated call.
Status OpenSslError(std::string message) {
  ERR_clear_error();
  return InvalidArgument(std::move(message));
}

// Null if OpenSSL cannot allocate, or if the text is too long to be a key.
std::unique_ptr<BIO, decltype(&BIO_free)> ReadBio(std::string_view text) {
  constexpr std::size_t kMaxPem = 64 * 1024;
  if (text.size() > kMaxPem) return {nullptr, BIO_free};
  return {BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), BIO_free};
}

Result<std::string> WriteBio(int (*write)(BIO*, EVP_PKEY*), EVP_PKEY* pkey) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || write(bio.get(), pkey) != 1) {
    ERR_clear_error();
    return Internal("OpenSSL could not write a PEM key");
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

int WritePrivateKey(BIO* bio, EVP_PKEY* pkey) {
  return PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
}
int WritePublicKey(BIO* bio, EVP_PKEY* pkey) {
  return PEM_write_bio_PUBKEY(bio, pkey);
}

// Never prompt on a terminal for the passphrase of an encrypted key: refuse it.
int NoPassphrase(char*, int, int, void*) {
  return -1;
}

bool IsEd25519(EVP_PKEY* pkey) {
  return EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED25519;
}

Result<std::string> RawPublicKey(EVP_PKEY* pkey) {
  std::string raw(kEd25519KeySize, '\0');
  std::size_t size = raw.size();
  if (EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<unsigned char*>(raw.data()), &size) != 1 ||
      size != kEd25519KeySize) {
    return OpenSslError("cannot read the Ed25519 public key");
  }
  return raw;
}

}  // namespace

Result<Ed25519PublicKey> Ed25519PublicKey::FromBytes(std::string_view raw) {
  if (raw.size() != kEd25519KeySize) {
    return InvalidArgument("Ed25519 public key is " + std::to_string(raw.size()) +
                           " bytes, not 32");
  }
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  if (pkey == nullptr) return OpenSslError("invalid Ed25519 public key");
  return Ed25519PublicKey(Own(pkey), std::string(raw));
}

Result<Ed25519PublicKey> Ed25519PublicKey::FromPem(std::string_view pem) {
  auto bio = ReadBio(pem);
  if (!bio) return InvalidArgument("PEM text is too long for a key");
  auto pkey = Own(PEM_read_bio_PUBKEY(bio.get(), nullptr, NoPassphrase, nullptr));
  if (!pkey) return OpenSslError("not a PEM public key");
  if (!IsEd25519(pkey.get())) return InvalidArgument("PEM public key is not an Ed25519 key");
  PACTUM_ASSIGN_OR_RETURN(std::string raw, RawPublicKey(pkey.get()));
  return Ed25519PublicKey(std::move(pkey), std::move(raw));
}

Result<std::string> Ed25519PublicKey::ToPem() const {
  return WriteBio(WritePublicKey, pkey_.get());
}

std::string Ed25519PublicKey::Fingerprint() const {
  return HexEncode(AsBytes(Sha256(raw_)));
}

Status Ed25519PublicKey::Verify(std::string_view message, std::string_view signature) const {
  if (signature.size() != kEd25519SignatureSize) {
    return InvalidArgument("Ed25519 signature is " + std::to_string(signature.size()) +
                           " bytes, not 64");
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey_.get()) != 1) {
    ERR_clear_error();
    return Internal("OpenSSL could not start an Ed25519 verification");
  }
  if (EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1) {
    return OpenSslError("Ed25519 signature does not verify");
  }
  return Status::Ok();
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::FromPkey(EVP_PKEY* pkey) {
  auto owned = Own(pkey);
  PACTUM_ASSIGN_OR_RETURN(std::string raw, RawPublicKey(pkey));
  PACTUM_ASSIGN_OR_RETURN(Ed25519PublicKey public_key, Ed25519PublicKey::FromBytes(raw));
  return Ed25519PrivateKey(std::move(owned), std::move(public_key));
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::Generate() {
  PACTUM_ASSIGN_OR_RETURN(std::string seed, SecureRandomBytes(kEd25519KeySize));
  auto key = FromSeed(seed);
  OPENSSL_cleanse(seed.data(), seed.size());
  return key;
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::FromSeed(std::string_view seed) {
  if (seed.size() != kEd25519KeySize) {
    return InvalidArgument("Ed25519 private key seed is " + std::to_string(seed.size()) +
                           " bytes, not 32");
  }
  EVP_PKEY* pkey = EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed.data()), seed.size());
  if (pkey == nullptr) return OpenSslError("invalid Ed25519 private key seed");
  return FromPkey(pkey);
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::FromPem(std::string_view pem) {
  auto bio = ReadBio(pem);
  if (!bio) return InvalidArgument("PEM text is too long for a key");
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr);
  if (pkey == nullptr) return OpenSslError("not an unencrypted PEM private key");
  if (!IsEd25519(pkey)) {
    EVP_PKEY_free(pkey);
    return InvalidArgument("PEM private key is not an Ed25519 key");
  }
  return FromPkey(pkey);
}

std::string Ed25519PrivateKey::Seed() const {
  std::string seed(kEd25519KeySize, '\0');
  std::size_t size = seed.size();
  // Cannot fail: OpenSSL keeps the raw private key of every Ed25519 key it holds.
  EVP_PKEY_get_raw_private_key(pkey_.get(), reinterpret_cast<unsigned char*>(seed.data()), &size);
  return seed;
}

Result<std::string> Ed25519PrivateKey::ToPem() const {
  return WriteBio(WritePrivateKey, pkey_.get());
}

Result<std::string> Ed25519PrivateKey::Sign(std::string_view message) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::string signature(kEd25519SignatureSize, '\0');
  std::size_t size = signature.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    ERR_clear_error();
    return Internal("OpenSSL could not sign with Ed25519");
  }
  return signature;
}

}  // namespace pactum::crypto
