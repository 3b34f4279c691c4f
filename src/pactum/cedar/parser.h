// The Cedar policy text syntax.
//
// ParsePolicySet reads a whole policy file: static policies and templates, named by their
// `@id("…")` annotation or else `policy0`, `policy1`, … in file order (templates share the
// count). Every error is kInvalidArgument with a message starting "line L, column C:" and
// details {"line", "column"}. Nesting is bounded (kMaxNesting) so hostile input is an error,
// never a stack overflow (the bound leaves room for sanitizer builds, whose frames are large).
#pragma once

#include <string_view>

#include "pactum/base/status.h"
#include "pactum/cedar/policy.h"

namespace pactum::cedar {

inline constexpr int kMaxNesting = 256;

Result<PolicySet> ParsePolicySet(std::string_view text);

// Parses one policy or template (the text must hold exactly one).
Result<Policy> ParsePolicy(std::string_view text);

// Parses one expression, as written in a `when` clause.
Result<ExprPtr> ParseExpression(std::string_view text);

// Parses an entity reference such as `NS::User::"alice"`.
Result<EntityUid> ParseEntityUid(std::string_view text);

// Splits a like-pattern literal body into a Pattern: `*` is a wildcard, `\*` a literal star,
// and the other escapes are Cedar's string escapes. Fails on a bad escape.
Result<Pattern> ParsePattern(std::string_view raw_body);

// Decodes the body of a Cedar string literal (between the quotes).
Result<std::string> UnescapeString(std::string_view raw_body);

}  // namespace pactum::cedar
