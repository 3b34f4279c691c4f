#include "pactum/cedar/ext/literal.h"

#include <fmt/format.h>

namespace pactum::cedar::ext {

std::string Quoted(std::string_view text) {
  return Json(std::string(text)).dump(-1, ' ', false, Json::error_handler_t::replace);
}

Status InvalidLiteral(std::string_view type, std::string_view literal, std::string_view why) {
  return InvalidArgument(fmt::format("invalid {} {}: {}", type, Quoted(literal), why));
}

}  // namespace pactum::cedar::ext
