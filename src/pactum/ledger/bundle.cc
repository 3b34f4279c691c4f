#include "pactum/ledger/bundle.h"

#include <set>

#include "pactum/base/encoding.h"
#include "pactum/base/json.h"
#include "pactum/crypto/dsse.h"
#include "pactum/crypto/statement.h"
#include "pactum/merkle/verify.h"

namespace pactum::ledger {
namespace {

Json ProofJson(const merkle::Proof& proof) {
  Json list = Json::array();
  for (const std::string& element : proof)
    list.push_back(Base64Encode(element));
  return list;
}

Status Field(const std::string& name, const std::string& problem) {
  return InvalidArgument(name + ": " + problem, {{"field", name}});
}

Status RejectUnknown(const Json& bundle, std::initializer_list<std::string_view> known) {
  for (auto it = bundle.begin(); it != bundle.end(); ++it) {
    bool ok = false;
    for (std::string_view k : known)
      ok = ok || it.key() == k;
    if (!ok) return Field(it.key(), "unknown field");
  }
  return Status::Ok();
}

Result<std::uint64_t> UintField(const Json& bundle, const std::string& name) {
  auto it = bundle.find(name);
  if (it == bundle.end()) return Field(name, "missing");
  if (!it->is_number_unsigned()) return Field(name, "must be a non-negative integer");
  return it->get<std::uint64_t>();
}

Result<std::string> StringField(const Json& bundle, const std::string& name) {
  auto it = bundle.find(name);
  if (it == bundle.end()) return Field(name, "missing");
  if (!it->is_string()) return Field(name, "must be a string");
  return it->get<std::string>();
}

Result<std::string> Base64Field(const Json& bundle, const std::string& name) {
  PACTUM_ASSIGN_OR_RETURN(std::string text, StringField(bundle, name));
  auto bytes = Base64Decode(text);
  if (!bytes.ok()) return Field(name, "bad base64: " + bytes.status().message());
  return *bytes;
}

Result<merkle::Proof> ProofField(const Json& bundle) {
  auto it = bundle.find("proof");
  if (it == bundle.end()) return Field("proof", "missing");
  if (!it->is_array()) return Field("proof", "must be an array of base64 hashes");
  merkle::Proof proof;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const std::string name = "proof[" + std::to_string(i) + "]";
    if (!(*it)[i].is_string()) return Field(name, "must be a string");
    auto bytes = Base64Decode((*it)[i].get<std::string>());
    if (!bytes.ok()) return Field(name, "bad base64: " + bytes.status().message());
    proof.push_back(std::move(*bytes));
  }
  return proof;
}

// The origin a note names on its first line (verified later, with the signature).
std::string NoteOrigin(std::string_view note) {
  return std::string(note.substr(0, note.find('\n')));
}

Result<crypto::Checkpoint> OpenNote(std::string_view note, const TrustedKeys& trusted,
                                    const VerifyOptions& options) {
  const std::string origin = options.origin.empty() ? NoteOrigin(note) : options.origin;
  std::vector<crypto::NoteVerifier> verifiers;
  std::set<std::pair<std::string, std::uint32_t>> seen;
  auto add = [&](crypto::NoteVerifier v) {
    if (seen.emplace(v.name(), v.key_id()).second) verifiers.push_back(std::move(v));
  };
  for (const auto& v : trusted.note_verifiers)
    add(v);
  if (crypto::ValidateNoteKeyName(origin).ok()) {
    for (const auto& key : trusted.keys) {
      PACTUM_ASSIGN_OR_RETURN(auto v, crypto::NoteVerifier::Create(origin, key));
      add(std::move(v));
    }
  }
  return crypto::OpenCheckpoint(note, origin, verifiers);
}

Result<crypto::Checkpoint> CheckpointField(const Json& bundle, const std::string& name,
                                           std::uint64_t size, const TrustedKeys& trusted,
                                           const VerifyOptions& options) {
  PACTUM_ASSIGN_OR_RETURN(std::string note, StringField(bundle, name));
  auto checkpoint = OpenNote(note, trusted, options);
  if (!checkpoint.ok()) return Field(name, checkpoint.status().message());
  if (checkpoint->size != size)
    return Field(name, "is of size " + std::to_string(checkpoint->size) + ", the proof of size " +
                           std::to_string(size));
  return checkpoint;
}

std::string Root(const crypto::Checkpoint& checkpoint) {
  return std::string(AsBytes(checkpoint.root));
}

Result<VerifiedArtifact> VerifyInclusionBundle(const Json& bundle, const TrustedKeys& trusted,
                                               const VerifyOptions& options) {
  PACTUM_TRY(
      RejectUnknown(bundle, {"kind", "index", "size", "leaf_hash", "proof", "checkpoint", "leaf"}));
  PACTUM_ASSIGN_OR_RETURN(std::uint64_t index, UintField(bundle, "index"));
  PACTUM_ASSIGN_OR_RETURN(std::uint64_t size, UintField(bundle, "size"));
  PACTUM_ASSIGN_OR_RETURN(std::string leaf_hash, Base64Field(bundle, "leaf_hash"));
  PACTUM_ASSIGN_OR_RETURN(merkle::Proof proof, ProofField(bundle));
  if (bundle.contains("leaf")) {
    PACTUM_ASSIGN_OR_RETURN(std::string leaf, StringField(bundle, "leaf"));
    if (AsBytes(merkle::HashLeaf(leaf)) != leaf_hash)
      return Field("leaf", "does not hash to leaf_hash");
  }
  PACTUM_ASSIGN_OR_RETURN(auto checkpoint,
                          CheckpointField(bundle, "checkpoint", size, trusted, options));
  if (Status s = merkle::VerifyInclusion(index, size, leaf_hash, proof, Root(checkpoint)); !s.ok())
    return Field("proof", s.message());
  return VerifiedArtifact{"inclusion", "leaf " + std::to_string(index) + " is in " +
                                           checkpoint.origin + " at size " + std::to_string(size)};
}

Result<VerifiedArtifact> VerifyConsistencyBundle(const Json& bundle, const TrustedKeys& trusted,
                                                 const VerifyOptions& options) {
  PACTUM_TRY(
      RejectUnknown(bundle, {"kind", "from", "to", "proof", "from_checkpoint", "to_checkpoint"}));
  PACTUM_ASSIGN_OR_RETURN(std::uint64_t from, UintField(bundle, "from"));
  PACTUM_ASSIGN_OR_RETURN(std::uint64_t to, UintField(bundle, "to"));
  PACTUM_ASSIGN_OR_RETURN(merkle::Proof proof, ProofField(bundle));
  PACTUM_ASSIGN_OR_RETURN(auto old_checkpoint,
                          CheckpointField(bundle, "from_checkpoint", from, trusted, options));
  PACTUM_ASSIGN_OR_RETURN(auto new_checkpoint,
                          CheckpointField(bundle, "to_checkpoint", to, trusted, options));
  if (old_checkpoint.origin != new_checkpoint.origin)
    return Field("to_checkpoint",
                 "is of log " + new_checkpoint.origin + ", not " + old_checkpoint.origin);
  if (Status s =
          merkle::VerifyConsistency(from, to, proof, Root(old_checkpoint), Root(new_checkpoint));
      !s.ok())
    return Field("proof", s.message());
  return VerifiedArtifact{"consistency", new_checkpoint.origin + " at size " + std::to_string(to) +
                                             " extends its tree of size " + std::to_string(from)};
}

// The log part of a trust packet whose signature verified: the checkpoint against the trusted
// keys, then every proof against it. Errors name the field ("log.proofs[2] (pact.version, leaf
// 7): ...").
Result<VerifiedArtifact> VerifyPacketLog(const crypto::Statement& statement,
                                         const TrustedKeys& trusted, const VerifyOptions& options) {
  const Json& packet = statement.predicate;
  auto log = packet.find("log");
  if (log == packet.end() || !log->is_object()) return Field("log", "missing");
  PACTUM_ASSIGN_OR_RETURN(std::uint64_t size, UintField(*log, "size"));
  auto checkpoint = CheckpointField(*log, "checkpoint", size, trusted, options);
  if (!checkpoint.ok()) return checkpoint.status().WithContext("log");
  auto proofs = log->find("proofs");
  if (proofs == log->end() || !proofs->is_array())
    return Field("log.proofs", "must be an array of inclusion proofs");
  for (std::size_t i = 0; i < proofs->size(); ++i) {
    const Json& p = (*proofs)[i];
    std::string name = "log.proofs[" + std::to_string(i) + "]";
    if (!p.is_object()) return Field(name, "must be an object");
    if (p.contains("cites") && p["cites"].is_string() && p.contains("index") &&
        p["index"].is_number_unsigned())
      name += " (" + p["cites"].get<std::string>() + ", leaf " +
              std::to_string(p["index"].get<std::uint64_t>()) + ")";
    auto verified = [&]() -> Status {
      PACTUM_TRY(RejectUnknown(p, {"cites", "index", "leaf_hash", "proof", "leaf"}));
      PACTUM_ASSIGN_OR_RETURN(std::uint64_t index, UintField(p, "index"));
      PACTUM_ASSIGN_OR_RETURN(std::string leaf_hash, Base64Field(p, "leaf_hash"));
      PACTUM_ASSIGN_OR_RETURN(merkle::Proof proof, ProofField(p));
      PACTUM_ASSIGN_OR_RETURN(std::string leaf, StringField(p, "leaf"));
      if (AsBytes(merkle::HashLeaf(leaf)) != leaf_hash)
        return Field("leaf", "does not hash to leaf_hash");
      if (Status s = merkle::VerifyInclusion(index, size, leaf_hash, proof, Root(*checkpoint));
          !s.ok())
        return Field("proof", s.message() + " (not in the checkpoint's tree)");
      return Status::Ok();
    }();
    if (!verified.ok()) return verified.WithContext(name);
  }
  // The statement is about the agent the packet describes.
  auto text = [](const Json& object, const char* key) {
    return object.is_object() && object.contains(key) && object[key].is_string()
               ? object[key].get<std::string>()
               : std::string();
  };
  const Json& agent = packet.contains("agent") ? packet["agent"] : packet;
  const std::string fingerprint = text(agent, "fingerprint");
  if (statement.subject.size() != 1 || statement.subject[0].digest.count("sha256") == 0 ||
      statement.subject[0].digest.at("sha256") != fingerprint)
    return Field("subject", "is not the agent's fingerprint \"" + fingerprint + "\"");
  return VerifiedArtifact{"trust packet",
                          "agent " + text(agent, "id") + " in " + text(packet, "workflow") +
                              ": signature, checkpoint (" + checkpoint->origin + " at size " +
                              std::to_string(size) + ") and " + std::to_string(proofs->size()) +
                              " inclusion proofs verified"};
}

// The statement of an envelope if it is a trust packet (read before its signature is checked,
// only to tell which kind of artifact it is).
std::optional<crypto::Statement> PacketStatement(const crypto::DsseEnvelope& envelope) {
  if (envelope.payload_type != crypto::kInTotoPayloadType) return std::nullopt;
  auto statement = crypto::Statement::Parse(envelope.payload);
  if (!statement.ok() || statement->predicate_type != kTrustPacketType) return std::nullopt;
  return std::move(*statement);
}

Result<VerifiedArtifact> VerifyEnvelope(std::string_view text, const TrustedKeys& trusted,
                                        const VerifyOptions& options) {
  PACTUM_ASSIGN_OR_RETURN(auto envelope, crypto::DsseEnvelope::Parse(text));
  const std::optional<crypto::Statement> packet = PacketStatement(envelope);
  std::vector<crypto::DsseTrustedKey> keys;
  std::set<std::string> seen;
  auto add = [&](const crypto::Ed25519PublicKey& key) {
    std::string keyid = options.dsse_keyid.empty() ? key.Fingerprint() : options.dsse_keyid;
    if (seen.insert(key.bytes()).second) keys.push_back({std::move(keyid), key});
  };
  for (const auto& key : trusted.keys)
    add(key);
  for (const auto& v : trusted.note_verifiers)
    add(v.key());
  if (!options.dsse_keyid.empty() && keys.size() > 1)
    return InvalidArgument("--keyid names one key, but " + std::to_string(keys.size()) +
                           " keys are trusted");
  auto verified = crypto::VerifyEnvelope(envelope, options.payload_type, keys, 1);
  if (!verified.ok())
    return packet ? verified.status().WithContext("signature") : verified.status();
  if (packet) return VerifyPacketLog(*packet, trusted, options);
  std::string by;
  for (const auto& id : *verified)
    by += (by.empty() ? "" : ", ") + id;
  return VerifiedArtifact{"envelope", "a " + envelope.payload_type + " payload of " +
                                          std::to_string(envelope.payload.size()) +
                                          " bytes signed by " + by};
}

}  // namespace

Json InclusionBundle(const InclusionProof& proof, const std::optional<std::string>& leaf_data) {
  Json bundle = {{"kind", kInclusionKind},
                 {"index", proof.index},
                 {"size", proof.checkpoint.checkpoint.size},
                 {"leaf_hash", Base64Encode(AsBytes(proof.leaf_hash))},
                 {"proof", ProofJson(proof.path)},
                 {"checkpoint", proof.checkpoint.note}};
  if (leaf_data) bundle["leaf"] = *leaf_data;
  return bundle;
}

Json ConsistencyBundle(const ConsistencyProof& proof) {
  return {{"kind", kConsistencyKind},           {"from", proof.from.checkpoint.size},
          {"to", proof.to.checkpoint.size},     {"proof", ProofJson(proof.path)},
          {"from_checkpoint", proof.from.note}, {"to_checkpoint", proof.to.note}};
}

Result<TrustedKeys> ParseTrustedKeys(std::string_view text) {
  constexpr std::string_view kBegin = "-----BEGIN PUBLIC KEY-----";
  constexpr std::string_view kEnd = "-----END PUBLIC KEY-----";
  TrustedKeys trusted;
  std::size_t line_number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line == kBegin) {
      const std::size_t end = text.find(kEnd, pos);
      if (end == std::string_view::npos)
        return InvalidArgument("key file line " + std::to_string(line_number) +
                               ": PEM block without its END line");
      auto key = crypto::Ed25519PublicKey::FromPem(text.substr(pos, end + kEnd.size() - pos));
      if (!key.ok())
        return key.status().WithContext("key file line " + std::to_string(line_number));
      trusted.keys.push_back(std::move(*key));
      for (std::size_t i = pos; i < end; ++i)
        line_number += text[i] == '\n' ? 1 : 0;
      line_number -= 1;
      pos = end + kEnd.size();
      continue;
    }
    if (!line.empty() && line.front() != '#') {
      auto verifier = crypto::NoteVerifier::Parse(line);
      if (!verifier.ok())
        return verifier.status().WithContext("key file line " + std::to_string(line_number));
      trusted.note_verifiers.push_back(std::move(*verifier));
    }
    pos = eol + 1;
  }
  if (trusted.keys.empty() && trusted.note_verifiers.empty())
    return InvalidArgument("the key file holds no key (PEM public keys or note verifier keys)");
  return trusted;
}

Result<VerifiedArtifact> VerifyArtifact(std::string_view text, const TrustedKeys& trusted,
                                        const VerifyOptions& options) {
  std::size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return InvalidArgument("the file is empty");
  if (text[start] != '{') {
    PACTUM_ASSIGN_OR_RETURN(auto checkpoint, OpenNote(text, trusted, options));
    return VerifiedArtifact{"checkpoint", checkpoint.origin + " has " +
                                              std::to_string(checkpoint.size) + " leaves, root " +
                                              Base64Encode(AsBytes(checkpoint.root))};
  }
  PACTUM_ASSIGN_OR_RETURN(Json json, ParseJson(text));
  if (!json.is_object()) return InvalidArgument("the file is not a JSON object");
  if (json.contains("payloadType")) return VerifyEnvelope(text, trusted, options);
  PACTUM_ASSIGN_OR_RETURN(std::string kind, StringField(json, "kind"));
  if (kind == kInclusionKind) return VerifyInclusionBundle(json, trusted, options);
  if (kind == kConsistencyKind) return VerifyConsistencyBundle(json, trusted, options);
  return Field("kind", "\"" + kind + "\" is not a proof bundle kind (" +
                           std::string(kInclusionKind) + ", " + std::string(kConsistencyKind) +
                           ")");
}

}  // namespace pactum::ledger
