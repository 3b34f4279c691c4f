#include "pactum/cedar/schema/extension_values.h"

#include <array>
#include <string>

#include "pactum/cedar/ext/datetime.h"
#include "pactum/cedar/ext/decimal.h"
#include "pactum/cedar/ext/ipaddr.h"

namespace pactum::cedar::schema {
namespace {

const std::array<ExtensionFunction, 8>& Functions() {
  static const std::array<ExtensionFunction, 8> kFunctions = {{
      {"decimal", "decimal", {"String"}},
      {"ip", "ipaddr", {"String"}},
      {"datetime", "datetime", {"String"}},
      {"duration", "duration", {"String"}},
      {"offset", "datetime", {"datetime", "duration"}},
      {"durationSince", "duration", {"datetime", "datetime"}},
      {"toDate", "datetime", {"datetime"}},
      {"toTime", "duration", {"datetime"}},
  }};
  return kFunctions;
}

}  // namespace

const ExtensionFunction* FindExtensionFunction(std::string_view name) {
  for (const auto& fn : Functions()) {
    if (fn.name == name) return &fn;
  }
  return nullptr;
}

std::string_view ConstructorOf(std::string_view extension_type) {
  if (extension_type == "ipaddr") return "ip";
  return extension_type;
}

Status CheckExtensionLiteral(std::string_view constructor, std::string_view literal) {
  // The literal syntax is the extension library's; the schema only asks whether it parses.
  if (constructor == "decimal") return ext::Decimal::Parse(literal).status();
  if (constructor == "ip") return ext::IpAddr::Parse(literal).status();
  if (constructor == "datetime") return ext::Datetime::Parse(literal).status();
  if (constructor == "duration") return ext::Duration::Parse(literal).status();
  std::string message(constructor);
  message += " is not an extension constructor";
  return InvalidArgument(std::move(message));
}

}  // namespace pactum::cedar::schema
