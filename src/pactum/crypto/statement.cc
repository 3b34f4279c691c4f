#include "pactum/crypto/statement.h"

#include <string>

#include "pactum/base/json.h"

namespace pactum::crypto {
namespace {

// Hex lengths of the DigestSet algorithms whose values the spec fixes as lowercase hex.
std::size_t HexDigestLength(std::string_view algorithm) {
  static const std::map<std::string_view, std::size_t> kLengths = {
      {"sha256", 64},     {"sha224", 56},   {"sha384", 96},    {"sha512", 128},  {"sha512_224", 56},
      {"sha512_256", 64}, {"sha3_224", 56}, {"sha3_256", 64},  {"sha3_384", 96}, {"sha3_512", 128},
      {"sha1", 40},       {"md5", 32},      {"ripemd160", 40}, {"sm3", 64}};
  auto it = kLengths.find(algorithm);
  return it == kLengths.end() ? 0 : it->second;
}

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Status ValidateSubject(const StatementSubject& subject, const std::string& field) {
  if (subject.digest.empty()) return FieldError(field + ".digest", "must have at least one digest");
  for (const auto& [algorithm, value] : subject.digest) {
    const std::string digest_field = field + ".digest." + algorithm;
    if (value.empty()) return FieldError(digest_field, "must not be empty");
    const std::size_t length = HexDigestLength(algorithm);
    if (length != 0 && (value.size() != length || !IsLowerHex(value))) {
      return FieldError(digest_field,
                        "must be " + std::to_string(length) + " lowercase hex digits");
    }
  }
  return Status::Ok();
}

Status Validate(const Statement& statement) {
  if (statement.subject.empty()) return FieldError("subject", "must have at least one subject");
  for (std::size_t i = 0; i < statement.subject.size(); ++i) {
    PACTUM_TRY(ValidateSubject(statement.subject[i], "subject[" + std::to_string(i) + "]"));
  }
  if (statement.predicate_type.empty()) return FieldError("predicateType", "must not be empty");
  if (!statement.predicate.is_object()) return FieldError("predicate", "must be an object");
  return Status::Ok();
}

Result<StatementSubject> SubjectFromJson(const Json& json, const std::string& field) {
  if (!json.is_object()) return FieldError(field, "must be an object");
  StatementSubject subject;
  if (auto name = json.find("name"); name != json.end()) {
    if (!name->is_string()) return FieldError(field + ".name", "must be a string");
    subject.name = name->get<std::string>();
  }
  auto digest = json.find("digest");
  if (digest == json.end()) return FieldError(field + ".digest", "missing");
  if (!digest->is_object()) return FieldError(field + ".digest", "must be an object");
  for (const auto& [algorithm, value] : digest->items()) {
    if (!value.is_string()) return FieldError(field + ".digest." + algorithm, "must be a string");
    subject.digest[algorithm] = value.get<std::string>();
  }
  return subject;
}

}  // namespace

Result<Json> Statement::ToJson() const {
  PACTUM_TRY(Validate(*this));
  Json subjects = Json::array();
  for (const StatementSubject& s : subject) {
    Json entry = {{"digest", s.digest}};
    if (!s.name.empty()) entry["name"] = s.name;
    subjects.push_back(std::move(entry));
  }
  Json json = {{"_type", kStatementType}, {"subject", subjects}, {"predicateType", predicate_type}};
  if (!predicate.empty()) json["predicate"] = predicate;
  return json;
}

Result<Statement> Statement::FromJson(const Json& json) {
  if (!json.is_object()) return InvalidArgument("in-toto statement must be a JSON object");
  auto type = json.find("_type");
  if (type == json.end()) return FieldError("_type", "missing");
  if (!type->is_string() || type->get<std::string>() != kStatementType) {
    return FieldError("_type", "must be \"" + std::string(kStatementType) + "\"");
  }
  Statement statement;
  auto subjects = json.find("subject");
  if (subjects == json.end()) return FieldError("subject", "missing");
  if (!subjects->is_array()) return FieldError("subject", "must be an array");
  for (std::size_t i = 0; i < subjects->size(); ++i) {
    PACTUM_ASSIGN_OR_RETURN(StatementSubject subject,
                            SubjectFromJson((*subjects)[i], "subject[" + std::to_string(i) + "]"));
    statement.subject.push_back(std::move(subject));
  }
  auto predicate_type = json.find("predicateType");
  if (predicate_type == json.end()) return FieldError("predicateType", "missing");
  if (!predicate_type->is_string()) return FieldError("predicateType", "must be a string");
  statement.predicate_type = predicate_type->get<std::string>();
  if (auto predicate = json.find("predicate"); predicate != json.end()) {
    statement.predicate = *predicate;
  }
  PACTUM_TRY(Validate(statement));
  return statement;
}

Result<Statement> Statement::Parse(std::string_view text) {
  PACTUM_ASSIGN_OR_RETURN(Json json, ParseJson(text));
  return FromJson(json);
}

}  // namespace pactum::crypto
