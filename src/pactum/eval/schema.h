// A subset of JSON Schema (2020-12 keywords) for output checks: type, enum, const, required,
// properties, additionalProperties (boolean or schema), items, minItems, maxItems, minLength,
// maxLength (in code points), pattern, minimum, maximum, exclusiveMinimum, exclusiveMaximum,
// and the annotations title, description, $schema. A schema using any other keyword is
// rejected when the check is read, so a keyword never silently passes.
#pragma once

#include <string>

#include "pactum/base/status.h"

namespace pactum::eval {

// kInvalidArgument naming the path of the offending keyword ("properties.label.minLenght").
Status ValidateSchemaDefinition(const Json& schema);
// Whether `value` satisfies the (already validated) schema; `why` gets the first reason not.
bool SchemaAccepts(const Json& schema, const Json& value, std::string* why = nullptr);

}  // namespace pactum::eval
