#include "pactum/crypto/signed_note.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include <openssl/crypto.h>

#include "pactum/base/digest.h"
#include "pactum/base/encoding.h"

namespace pactum::crypto {
namespace {

constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 ";  // U+2014 EM DASH, space
constexpr std::string_view kSignerPrefix = "PRIVATE+KEY+";
constexpr char kAlgEd25519 = 0x01;
constexpr std::size_t kMaxSignatures = 100;

// Decodes one UTF-8 sequence at `pos`, advancing it; nullopt for ill-formed input
// (overlong forms, surrogates and values past U+10FFFF included).
std::optional<char32_t> NextCodePoint(std::string_view s, std::size_t& pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(pos);
  std::size_t length;
  char32_t cp;
  if (lead < 0x80) {
    ++pos;
    return lead;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, cp = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, cp = lead & 0x07;
  } else {
    return std::nullopt;
  }
  if (pos + length > s.size()) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (byte(pos + i) & 0x3F);
  }
  const char32_t min = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  pos += length;
  return cp;
}

// Unicode White_Space, as Go's unicode.IsSpace (which the reference implementation uses).
bool IsUnicodeSpace(char32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

Status ValidateNoteChars(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t at = pos;
    const auto cp = NextCodePoint(text, pos);
    if (!cp) {
      return InvalidArgument("signed note is not valid UTF-8 at byte " + std::to_string(at),
                             Json{{"offset", at}});
    }
    if (*cp < 0x20 && *cp != '\n') {
      return InvalidArgument("signed note has a control character at byte " + std::to_string(at),
                             Json{{"offset", at}});
    }
  }
  return Status::Ok();
}

std::string KeyIdHex(std::uint32_t id) {
  const char bytes[4] = {static_cast<char>(id >> 24), static_cast<char>(id >> 16),
                         static_cast<char>(id >> 8), static_cast<char>(id)};
  return HexEncode(std::string_view(bytes, 4));
}

std::uint32_t BigEndian32(std::string_view b) {
  return (std::uint32_t{static_cast<unsigned char>(b[0])} << 24) |
         (std::uint32_t{static_cast<unsigned char>(b[1])} << 16) |
         (std::uint32_t{static_cast<unsigned char>(b[2])} << 8) |
         std::uint32_t{static_cast<unsigned char>(b[3])};
}

// The parts of "<name>+<id hex>+<base64(0x01 || key)>": the name, the id and the 32 key bytes.
struct KeyString {
  std::string name;
  std::uint32_t key_id;
  std::string key;
};

Result<KeyString> ParseKeyString(std::string_view text, const char* what) {
  const auto bad = [&](const std::string& problem) {
    return InvalidArgument(std::string(what) + ": " + problem);
  };
  const std::size_t plus1 = text.find('+');
  if (plus1 == std::string_view::npos) return bad("expected <name>+<key id>+<key>");
  const std::string_view name = text.substr(0, plus1);
  PACTUM_TRY(ValidateNoteKeyName(name));
  const std::string_view rest = text.substr(plus1 + 1);
  if (rest.size() < 9 || rest[8] != '+') return bad("key id must be 8 hex digits");
  auto id = HexDecode(rest.substr(0, 8));
  if (!id.ok()) return bad("key id must be 8 hex digits");
  auto key = Base64Decode(rest.substr(9));
  if (!key.ok()) return bad("key is not base64: " + key.status().message());
  if (key->empty() || (*key)[0] != kAlgEd25519) return bad("key is not an Ed25519 key");
  if (key->size() != 1 + kEd25519KeySize) return bad("Ed25519 key is not 32 bytes");
  return KeyString{std::string(name), BigEndian32(*id), key->substr(1)};
}

}  // namespace

Status ValidateNoteKeyName(std::string_view name) {
  if (name.empty()) return InvalidArgument("key name is empty");
  for (std::size_t pos = 0; pos < name.size();) {
    const auto cp = NextCodePoint(name, pos);
    if (!cp) return InvalidArgument("key name is not valid UTF-8");
    if (*cp == '+' || IsUnicodeSpace(*cp) || *cp < 0x20) {
      return InvalidArgument("key name '" + std::string(name) + "' has a space, '+' or control");
    }
  }
  return Status::Ok();
}

std::uint32_t NoteKeyId(std::string_view name, const Ed25519PublicKey& key) {
  Sha256Hasher hasher;
  hasher.Update(name);
  hasher.Update("\n");
  hasher.Update(std::string_view(&kAlgEd25519, 1));
  hasher.Update(key.bytes());
  const Sha256Digest digest = hasher.Finish();
  return BigEndian32(AsBytes(digest));
}

NoteVerifier::NoteVerifier(std::string name, Ed25519PublicKey key)
    : name_(std::move(name)), key_(std::move(key)), key_id_(NoteKeyId(name_, key_)) {}

Result<NoteVerifier> NoteVerifier::Create(std::string name, Ed25519PublicKey key) {
  PACTUM_TRY(ValidateNoteKeyName(name));
  return NoteVerifier(std::move(name), std::move(key));
}

Result<NoteVerifier> NoteVerifier::Parse(std::string_view vkey) {
  PACTUM_ASSIGN_OR_RETURN(KeyString parts, ParseKeyString(vkey, "note verifier key"));
  PACTUM_ASSIGN_OR_RETURN(Ed25519PublicKey key, Ed25519PublicKey::FromBytes(parts.key));
  NoteVerifier verifier(std::move(parts.name), std::move(key));
  if (verifier.key_id() != parts.key_id) {
    return InvalidArgument("note verifier key: key id does not match the name and key");
  }
  return verifier;
}

std::string NoteVerifier::ToString() const {
  return name_ + "+" + KeyIdHex(key_id_) + "+" +
         Base64Encode(std::string(1, kAlgEd25519) + key_.bytes());
}

Result<NoteSigner> NoteSigner::Create(std::string name, Ed25519PrivateKey key) {
  PACTUM_ASSIGN_OR_RETURN(NoteVerifier verifier,
                          NoteVerifier::Create(std::move(name), key.public_key()));
  return NoteSigner(std::move(key), std::move(verifier));
}

Result<NoteSigner> NoteSigner::Parse(std::string_view skey) {
  if (!skey.starts_with(kSignerPrefix)) {
    return InvalidArgument("note signer key: must start with PRIVATE+KEY+");
  }
  PACTUM_ASSIGN_OR_RETURN(KeyString parts,
                          ParseKeyString(skey.substr(kSignerPrefix.size()), "note signer key"));
  auto key = Ed25519PrivateKey::FromSeed(parts.key);
  OPENSSL_cleanse(parts.key.data(), parts.key.size());
  if (!key.ok()) return key.status();
  PACTUM_ASSIGN_OR_RETURN(NoteSigner signer, Create(std::move(parts.name), std::move(*key)));
  if (signer.key_id() != parts.key_id) {
    return InvalidArgument("note signer key: key id does not match the name and key");
  }
  return signer;
}

std::string NoteSigner::ToString() const {
  std::string material = std::string(1, kAlgEd25519) + key_.Seed();
  std::string skey =
      std::string(kSignerPrefix) + name() + "+" + KeyIdHex(key_id()) + "+" + Base64Encode(material);
  OPENSSL_cleanse(material.data(), material.size());
  return skey;
}

Result<std::string> SignNote(std::string_view text, std::span<const NoteSigner> signers) {
  if (text.empty() || text.back() != '\n') {
    return InvalidArgument("note text must end with a newline");
  }
  PACTUM_TRY(ValidateNoteChars(text));
  if (signers.empty()) return InvalidArgument("a signed note needs at least one signer");
  std::string note(text);
  note += '\n';
  for (const NoteSigner& signer : signers) {
    PACTUM_ASSIGN_OR_RETURN(std::string sig, signer.key_.Sign(text));
    const std::uint32_t id = signer.key_id();
    const char id_bytes[4] = {static_cast<char>(id >> 24), static_cast<char>(id >> 16),
                              static_cast<char>(id >> 8), static_cast<char>(id)};
    note += kSignaturePrefix;
    note += signer.name();
    note += ' ';
    note += Base64Encode(std::string(id_bytes, 4) + sig);
    note += '\n';
  }
  return note;
}

Result<Note> OpenNote(std::string_view message, std::span<const NoteVerifier> verifiers) {
  std::set<std::pair<std::string_view, std::uint32_t>> distinct;
  for (const NoteVerifier& v : verifiers) {
    if (!distinct.emplace(v.name(), v.key_id()).second) {
      return InvalidArgument("ambiguous note verifiers: two keys " + v.name() + "+" +
                             KeyIdHex(v.key_id()));
    }
  }
  PACTUM_TRY(ValidateNoteChars(message));
  const std::size_t split = message.rfind("\n\n");
  if (split == std::string_view::npos) {
    return InvalidArgument("signed note has no blank line before its signatures");
  }
  Note note;
  note.text = std::string(message.substr(0, split + 1));
  std::string_view rest = message.substr(split + 2);
  if (rest.empty()) return InvalidArgument("signed note has no signature lines");

  std::size_t line_number =
      static_cast<std::size_t>(std::count(note.text.begin(), note.text.end(), '\n')) + 1;
  std::set<std::pair<std::string, std::uint32_t>> seen;
  std::set<std::string_view> seen_unverified;
  std::size_t count = 0;
  while (!rest.empty()) {
    ++line_number;
    const auto bad = [&](const std::string& problem) {
      return InvalidArgument("signed note line " + std::to_string(line_number) + ": " + problem,
                             Json{{"line", line_number}});
    };
    const std::size_t end = rest.find('\n');
    if (end == std::string_view::npos) return bad("does not end with a newline");
    std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end + 1);
    if (++count > kMaxSignatures) return bad("more than 100 signatures");
    if (!line.starts_with(kSignaturePrefix)) return bad("not a signature line (\"— name sig\")");
    line.remove_prefix(kSignaturePrefix.size());
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos) return bad("no space between key name and signature");
    const std::string_view name = line.substr(0, space);
    const std::string_view base64 = line.substr(space + 1);
    if (Status s = ValidateNoteKeyName(name); !s.ok()) return bad(s.message());
    auto blob = Base64Decode(base64);
    if (!blob.ok()) return bad("signature is not base64: " + blob.status().message());
    if (blob->size() < 5) return bad("signature is shorter than a key id and one byte");
    NoteSignature signature{std::string(name), BigEndian32(*blob), std::string(base64)};

    const NoteVerifier* verifier = nullptr;
    for (const NoteVerifier& v : verifiers) {
      if (v.name() == name && v.key_id() == signature.key_id) verifier = &v;
    }
    if (verifier == nullptr) {
      if (seen_unverified.insert(line).second) note.unverified.push_back(std::move(signature));
      continue;
    }
    if (!seen.emplace(signature.name, signature.key_id).second) continue;
    if (!verifier->key().Verify(note.text, std::string_view(*blob).substr(4)).ok()) {
      return bad("signature by " + verifier->ToString() + " does not verify");
    }
    note.verified.push_back(std::move(signature));
  }
  if (note.verified.empty()) {
    return InvalidArgument("signed note has no verified signature from a known key");
  }
  return note;
}

}  // namespace pactum::crypto
