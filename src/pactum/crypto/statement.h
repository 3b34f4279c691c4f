// in-toto Statement v1 (in-toto/attestation, spec/v1/statement.md): what an attestation is
// about (its subjects, matched by digest) and the type of the claim made (its predicate).
//
//   {"_type": "https://in-toto.io/Statement/v1",
//    "subject": [{"name": ..., "digest": {"sha256": "<lowercase hex>"}}, ...],
//    "predicateType": "<URI>", "predicate": {...}}
//
// Parsing validates the required fields and reports the one at fault by its JSON path
// ("subject[0].digest.sha256"). Digests of the standard algorithms must be lowercase hex of
// the algorithm's length; other algorithms are kept as given. Unknown fields are ignored, as
// the spec's parsing rules require.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/status.h"

namespace pactum::crypto {

inline constexpr std::string_view kStatementType = "https://in-toto.io/Statement/v1";
// The DSSE payloadType of an in-toto statement.
inline constexpr std::string_view kInTotoPayloadType = "application/vnd.in-toto+json";

struct StatementSubject {
  std::string name;                           // may be empty (unset)
  std::map<std::string, std::string> digest;  // algorithm -> value; at least one
};

struct Statement {
  std::vector<StatementSubject> subject;  // at least one
  std::string predicate_type;
  Json predicate = Json::object();  // an object; empty means unset

  // Validates first: a statement that could not be parsed back is not serialised.
  Result<Json> ToJson() const;
  static Result<Statement> FromJson(const Json& json);
  static Result<Statement> Parse(std::string_view text);
};

}  // namespace pactum::crypto
