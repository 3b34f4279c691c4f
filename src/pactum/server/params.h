// Reading request bodies and parameters the same way on every route: errors name the field
// or parameter at fault.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>

#include "pactum/base/status.h"

namespace pactum::server {

// kInvalidArgument naming the first key of `body` that is not in `known`.
Status RejectUnknownFields(const Json& body, std::initializer_list<const char*> known);

// A non-negative decimal integer from the query or path; the error names the parameter.
Result<std::optional<std::uint64_t>> UintParam(const std::map<std::string, std::string>& params,
                                               const char* name, bool required);

// A wait such as "30s", "500ms", "2m" or plain seconds ("30"), at most `max`; none if absent.
Result<std::optional<std::chrono::milliseconds>> WaitParam(
    const std::map<std::string, std::string>& params, const char* name,
    std::chrono::milliseconds max);

// An optional non-empty string parameter.
std::optional<std::string> StringParam(const std::map<std::string, std::string>& params,
                                       const char* name);

}  // namespace pactum::server
