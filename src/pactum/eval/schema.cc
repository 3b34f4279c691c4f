#include "pactum/eval/schema.h"

#include <regex>
#include <set>

namespace pactum::eval {
namespace {

const std::set<std::string>& Keywords() {
  static const std::set<std::string> keywords = {"type",
                                                 "enum",
                                                 "const",
                                                 "required",
                                                 "properties",
                                                 "additionalProperties",
                                                 "items",
                                                 "minItems",
                                                 "maxItems",
                                                 "minLength",
                                                 "maxLength",
                                                 "pattern",
                                                 "minimum",
                                                 "maximum",
                                                 "exclusiveMinimum",
                                                 "exclusiveMaximum",
                                                 "title",
                                                 "description",
                                                 "$schema"};
  return keywords;
}

const std::set<std::string>& TypeNames() {
  static const std::set<std::string> names = {"null",   "boolean", "object", "array",
                                              "number", "integer", "string"};
  return names;
}

Status Bad(const std::string& path, const std::string& message) {
  return InvalidArgument(path + ": " + message, {{"field", path}});
}

Status Validate(const Json& schema, const std::string& path) {
  if (schema.is_boolean()) return Status::Ok();
  if (!schema.is_object()) return Bad(path, "a schema must be an object or a boolean");
  const std::string prefix = path.empty() ? "" : path + ".";
  for (const auto& [key, value] : schema.items()) {
    if (!Keywords().count(key)) return Bad(prefix + key, "unsupported keyword");
    const std::string at = prefix + key;
    if (key == "type") {
      const Json list = value.is_array() ? value : Json::array({value});
      for (const Json& t : list)
        if (!t.is_string() || !TypeNames().count(t.get<std::string>()))
          return Bad(at, "unknown type");
    } else if (key == "enum" || key == "required") {
      if (!value.is_array()) return Bad(at, "must be an array");
      if (key == "required")
        for (const Json& r : value)
          if (!r.is_string()) return Bad(at, "must list property names");
    } else if (key == "properties") {
      if (!value.is_object()) return Bad(at, "must be an object");
      for (const auto& [name, sub] : value.items())
        PACTUM_TRY(Validate(sub, at + "." + name));
    } else if (key == "additionalProperties" || key == "items") {
      PACTUM_TRY(Validate(value, at));
    } else if (key == "pattern") {
      if (!value.is_string()) return Bad(at, "must be a string");
      try {
        std::regex re(value.get<std::string>(), std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        return Bad(at, std::string("not a valid regular expression: ") + e.what());
      }
    } else if (key == "title" || key == "description" || key == "$schema") {
      if (!value.is_string()) return Bad(at, "must be a string");
    } else if (key != "const") {
      if (!value.is_number()) return Bad(at, "must be a number");
      if ((key.rfind("min", 0) == 0 || key.rfind("max", 0) == 0) && key.find("Length") != key.npos)
        if (value.get<double>() < 0) return Bad(at, "must not be negative");
    }
  }
  return Status::Ok();
}

bool HasType(const Json& value, const std::string& type) {
  if (type == "null") return value.is_null();
  if (type == "boolean") return value.is_boolean();
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "number") return value.is_number();
  if (type == "integer")
    return value.is_number_integer() ||
           (value.is_number_float() &&
            value.get<double>() ==
                static_cast<double>(static_cast<long long>(value.get<double>())));
  return false;
}

std::size_t CodePoints(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

bool Fail(std::string* why, const std::string& path, const std::string& message) {
  if (why) *why = (path.empty() ? "/" : path) + ": " + message;
  return false;
}

bool Accepts(const Json& schema, const Json& value, const std::string& path, std::string* why) {
  if (schema.is_boolean()) return schema.get<bool>() ? true : Fail(why, path, "not allowed");
  if (schema.contains("type")) {
    const Json& t = schema["type"];
    const Json list = t.is_array() ? t : Json::array({t});
    bool any = false;
    for (const Json& name : list)
      any = any || HasType(value, name.get<std::string>());
    if (!any) return Fail(why, path, "must be of type " + t.dump());
  }
  if (schema.contains("const") && schema["const"] != value)
    return Fail(why, path, "must equal " + schema["const"].dump());
  if (schema.contains("enum")) {
    bool found = false;
    for (const Json& option : schema["enum"])
      found = found || option == value;
    if (!found) return Fail(why, path, "must be one of " + schema["enum"].dump());
  }
  if (value.is_object()) {
    for (const Json& name : schema.value("required", Json::array()))
      if (!value.contains(name.get<std::string>()))
        return Fail(why, path, "lacks required property " + name.get<std::string>());
    const Json properties = schema.value("properties", Json::object());
    for (const auto& [name, member] : value.items()) {
      const std::string at = path + "/" + name;
      if (properties.contains(name)) {
        if (!Accepts(properties[name], member, at, why)) return false;
      } else if (schema.contains("additionalProperties")) {
        if (!Accepts(schema["additionalProperties"], member, at, why)) return false;
      }
    }
  }
  if (value.is_array()) {
    const double n = static_cast<double>(value.size());
    if (schema.contains("minItems") && n < schema["minItems"].get<double>())
      return Fail(why, path, "has too few items");
    if (schema.contains("maxItems") && n > schema["maxItems"].get<double>())
      return Fail(why, path, "has too many items");
    if (schema.contains("items"))
      for (std::size_t i = 0; i < value.size(); ++i)
        if (!Accepts(schema["items"], value[i], path + "/" + std::to_string(i), why)) return false;
  }
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    const double n = static_cast<double>(CodePoints(s));
    if (schema.contains("minLength") && n < schema["minLength"].get<double>())
      return Fail(why, path, "is too short");
    if (schema.contains("maxLength") && n > schema["maxLength"].get<double>())
      return Fail(why, path, "is too long");
    if (schema.contains("pattern")) {
      const std::regex re(schema["pattern"].get<std::string>(), std::regex::ECMAScript);
      if (!std::regex_search(s, re))
        return Fail(why, path, "does not match " + schema["pattern"].get<std::string>());
    }
  }
  if (value.is_number()) {
    const double x = value.get<double>();
    if (schema.contains("minimum") && x < schema["minimum"].get<double>())
      return Fail(why, path, "is below the minimum");
    if (schema.contains("maximum") && x > schema["maximum"].get<double>())
      return Fail(why, path, "is above the maximum");
    if (schema.contains("exclusiveMinimum") && x <= schema["exclusiveMinimum"].get<double>())
      return Fail(why, path, "is not above the exclusive minimum");
    if (schema.contains("exclusiveMaximum") && x >= schema["exclusiveMaximum"].get<double>())
      return Fail(why, path, "is not below the exclusive maximum");
  }
  return true;
}

}  // namespace

Status ValidateSchemaDefinition(const Json& schema) {
  return Validate(schema, "");
}

bool SchemaAccepts(const Json& schema, const Json& value, std::string* why) {
  return Accepts(schema, value, "", why);
}

}  // namespace pactum::eval
