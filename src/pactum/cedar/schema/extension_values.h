// The Cedar extension functions that may appear in entity and context JSON (`__extn`), with
// their signatures, and the literal syntax each constructor accepts. Internal to the schema
// library.
#pragma once

#include <string_view>
#include <vector>

#include "pactum/base/status.h"

namespace pactum::cedar::schema {

struct ExtensionFunction {
  std::string_view name;    // "decimal", "ip", "offset", ...
  std::string_view result;  // the extension type returned: "decimal", "ipaddr", ...
  // Parameter types: "String" for a literal, otherwise an extension type.
  std::vector<std::string_view> params;
};

// Null when `name` is not an extension function usable in entity data.
const ExtensionFunction* FindExtensionFunction(std::string_view name);

// The single-string constructor of an extension type ("ip" for "ipaddr").
std::string_view ConstructorOf(std::string_view extension_type);

// Checks a constructor's literal argument as Cedar parses it ("1.2345" for decimal,
// "10.0.0.0/8" for ip, "2024-10-15T11:35:00Z" for datetime, "1d2h" for duration).
Status CheckExtensionLiteral(std::string_view constructor, std::string_view literal);

}  // namespace pactum::cedar::schema
