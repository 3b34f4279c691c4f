// Cedar's extension functions over the extension types of pactum/cedar/ext.
//
// CallExtension applies a constructor (`decimal`, `ip`, `datetime`, `duration`) or a method
// (`lessThan`, `isInRange`, `offset`, `toDays`, ...; receiver first) to evaluated arguments.
// A wrong argument type is a type error; a bad literal or an overflow an extension error. Both
// are kInvalidArgument statuses: the evaluator turns them into policy errors.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/cedar/value.h"

namespace pactum::cedar {

Result<Value> CallExtension(std::string_view name, const std::vector<Value>& args);

// The order of two datetimes or two durations, which Cedar's `<` family compares; nullopt
// for any other pair of values.
std::optional<std::strong_ordering> CompareOrderedExtensions(const Value& a, const Value& b);

}  // namespace pactum::cedar
