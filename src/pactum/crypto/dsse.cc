#include "pactum/crypto/dsse.h"

#include <set>
#include <string>

#include "pactum/base/encoding.h"
#include "pactum/base/json.h"

namespace pactum::crypto {
namespace {

Result<std::string> DecodeEitherBase64(std::string_view text, const std::string& field) {
  auto standard = Base64Decode(text);
  if (standard.ok()) return standard;
  auto url_safe = Base64UrlDecode(text);
  if (url_safe.ok()) return url_safe;
  return InvalidArgument(field + ": not base64 (standard or URL-safe)", Json{{"field", field}});
}

Result<std::string> RequiredString(const Json& object, const std::string& name,
                                   const std::string& field) {
  auto it = object.find(name);
  if (it == object.end()) {
    return InvalidArgument(field + ": missing", Json{{"field", field}});
  }
  if (!it->is_string()) {
    return InvalidArgument(field + ": must be a string", Json{{"field", field}});
  }
  return it->get<std::string>();
}

}  // namespace

std::string Pae(std::string_view payload_type, std::string_view payload) {
  std::string pae = "DSSEv1 ";
  pae += std::to_string(payload_type.size());
  pae += ' ';
  pae += payload_type;
  pae += ' ';
  pae += std::to_string(payload.size());
  pae += ' ';
  pae += payload;
  return pae;
}

Json DsseEnvelope::ToJson() const {
  Json sigs = Json::array();
  for (const DsseSignature& s : signatures) {
    Json sig = {{"sig", Base64Encode(s.sig)}};
    if (!s.keyid.empty()) sig["keyid"] = s.keyid;
    sigs.push_back(std::move(sig));
  }
  return {{"payload", Base64Encode(payload)}, {"payloadType", payload_type}, {"signatures", sigs}};
}

Result<DsseEnvelope> DsseEnvelope::FromJson(const Json& json) {
  if (!json.is_object()) return InvalidArgument("DSSE envelope must be a JSON object");
  DsseEnvelope envelope;
  PACTUM_ASSIGN_OR_RETURN(std::string payload, RequiredString(json, "payload", "payload"));
  PACTUM_ASSIGN_OR_RETURN(envelope.payload, DecodeEitherBase64(payload, "payload"));
  PACTUM_ASSIGN_OR_RETURN(envelope.payload_type,
                          RequiredString(json, "payloadType", "payloadType"));
  auto sigs = json.find("signatures");
  if (sigs == json.end() || !sigs->is_array()) {
    return InvalidArgument("signatures: must be an array", Json{{"field", "signatures"}});
  }
  for (std::size_t i = 0; i < sigs->size(); ++i) {
    const Json& entry = (*sigs)[i];
    const std::string field = "signatures[" + std::to_string(i) + "]";
    if (!entry.is_object()) {
      return InvalidArgument(field + ": must be an object", Json{{"field", field}});
    }
    DsseSignature signature;
    PACTUM_ASSIGN_OR_RETURN(std::string sig, RequiredString(entry, "sig", field + ".sig"));
    PACTUM_ASSIGN_OR_RETURN(signature.sig, DecodeEitherBase64(sig, field + ".sig"));
    if (entry.contains("keyid")) {
      PACTUM_ASSIGN_OR_RETURN(signature.keyid, RequiredString(entry, "keyid", field + ".keyid"));
    }
    envelope.signatures.push_back(std::move(signature));
  }
  return envelope;
}

Result<DsseEnvelope> DsseEnvelope::Parse(std::string_view text) {
  PACTUM_ASSIGN_OR_RETURN(Json json, ParseJson(text));
  return FromJson(json);
}

Status SignEnvelope(DsseEnvelope& envelope, std::string keyid, const Ed25519PrivateKey& key) {
  PACTUM_ASSIGN_OR_RETURN(std::string sig, key.Sign(Pae(envelope.payload_type, envelope.payload)));
  envelope.signatures.push_back({std::move(keyid), std::move(sig)});
  return Status::Ok();
}

Result<std::vector<std::string>> VerifyEnvelope(const DsseEnvelope& envelope,
                                                std::string_view payload_type,
                                                std::span<const DsseTrustedKey> trusted,
                                                std::size_t threshold) {
  if (threshold == 0) return InvalidArgument("DSSE threshold must be at least 1");
  std::set<std::string_view> ids;
  for (const DsseTrustedKey& t : trusted) {
    if (!ids.insert(t.keyid).second) {
      return InvalidArgument("trusted DSSE key id '" + t.keyid + "' is not unique");
    }
  }
  if (envelope.payload_type != payload_type) {
    return InvalidArgument("payloadType is '" + envelope.payload_type + "', expected '" +
                               std::string(payload_type) + "'",
                           Json{{"field", "payloadType"}});
  }
  const std::string pae = Pae(envelope.payload_type, envelope.payload);
  std::set<std::string> accepted;
  for (const DsseSignature& s : envelope.signatures) {
    for (const DsseTrustedKey& t : trusted) {
      if (!s.keyid.empty() && s.keyid != t.keyid) continue;
      if (t.key.Verify(pae, s.sig).ok()) accepted.insert(t.keyid);
    }
  }
  if (accepted.size() < threshold) {
    return InvalidArgument("DSSE envelope has valid signatures from " +
                           std::to_string(accepted.size()) + " trusted key(s), needs " +
                           std::to_string(threshold));
  }
  return std::vector<std::string>(accepted.begin(), accepted.end());
}

}  // namespace pactum::crypto
