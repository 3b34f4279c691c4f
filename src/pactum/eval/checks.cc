#include "pactum/eval/checks.h"

#include <map>
#include <set>

#include "pactum/eval/schema.h"

namespace pactum::eval {
namespace {

Status Bad(const std::string& name, const std::string& field, const std::string& message) {
  return InvalidArgument("checks." + name + (field.empty() ? "" : ": " + field) + ": " + message,
                         {{"field", "checks." + name + (field.empty() ? "" : "." + field)}});
}

bool ValidName(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

bool ValidPointer(const std::string& pointer) {
  try {
    Json::json_pointer p(pointer);
    return true;
  } catch (const Json::exception&) {
    return false;
  }
}

// The value at `pointer`, or null when nothing is there.
const Json* At(const Json& document, const std::string& pointer) {
  try {
    const Json::json_pointer p(pointer);
    if (!document.contains(p)) return nullptr;
    return &document.at(p);
  } catch (const Json::exception&) {
    return nullptr;
  }
}

bool Compare(double a, const std::string& op, double b) {
  if (op == "lt") return a < b;
  if (op == "lte") return a <= b;
  if (op == "gt") return a > b;
  if (op == "gte") return a >= b;
  if (op == "eq") return a == b;
  return a != b;
}

}  // namespace

Result<Check> ParseCheck(const std::string& name, const Json& spec) {
  if (!ValidName(name)) return Bad(name, "", "a check name is [a-z0-9_]+");
  if (!spec.is_object()) return Bad(name, "", "must be an object");
  static const std::map<std::string, Check::Type> kTypes = {
      {"equals", Check::Type::kEquals},   {"one_of", Check::Type::kOneOf},
      {"regex", Check::Type::kRegex},     {"schema", Check::Type::kSchema},
      {"compare", Check::Type::kCompare}, {"latency", Check::Type::kLatency},
      {"cost", Check::Type::kCost}};
  const auto type = kTypes.find(spec.value("type", ""));
  if (type == kTypes.end())
    return Bad(name, "type", "must be one of equals one_of regex schema compare latency cost");
  Check check;
  check.name = name;
  check.type = type->second;
  // The fields each type takes; any other is a typo to report, not to ignore.
  static const std::map<Check::Type, std::set<std::string>> kFields = {
      {Check::Type::kEquals, {"actual", "expected", "value"}},
      {Check::Type::kOneOf, {"actual", "expected", "values"}},
      {Check::Type::kRegex, {"actual", "pattern"}},
      {Check::Type::kSchema, {"actual", "schema"}},
      {Check::Type::kCompare, {"actual", "expected", "value", "op"}},
      {Check::Type::kLatency, {"max_ms"}},
      {Check::Type::kCost, {"max_usd"}}};
  for (const auto& [key, unused] : spec.items())
    if (key != "type" && !kFields.at(check.type).count(key))
      return Bad(name, key, "not a field of a " + type->first + " check");
  if (spec.contains("actual")) {
    if (!spec["actual"].is_string() || !ValidPointer(spec["actual"].get<std::string>()))
      return Bad(name, "actual", "must be a JSON pointer (\"/field\", \"\" for all)");
    check.actual = spec["actual"].get<std::string>();
  } else if (check.type != Check::Type::kSchema && check.type != Check::Type::kLatency &&
             check.type != Check::Type::kCost) {
    return Bad(name, "actual", "is required");
  }
  if (spec.contains("expected")) {
    if (!spec["expected"].is_string() || !ValidPointer(spec["expected"].get<std::string>()))
      return Bad(name, "expected", "must be a JSON pointer into the case's expected");
    check.expected = spec["expected"].get<std::string>();
  }
  switch (check.type) {
    case Check::Type::kEquals:
      if (spec.contains("value") == check.expected.has_value())
        return Bad(name, "value", "give either value or expected");
      check.value = spec.value("value", Json());
      break;
    case Check::Type::kOneOf:
      if (spec.contains("values") == check.expected.has_value())
        return Bad(name, "values", "give either values or expected");
      if (spec.contains("values") && !spec["values"].is_array())
        return Bad(name, "values", "must be a list");
      check.value = spec.value("values", Json::array());
      break;
    case Check::Type::kRegex: {
      if (!spec.contains("pattern") || !spec["pattern"].is_string())
        return Bad(name, "pattern", "must be a string");
      try {
        check.pattern = std::make_shared<const std::regex>(spec["pattern"].get<std::string>(),
                                                           std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        return Bad(name, "pattern", std::string("not a valid regular expression: ") + e.what());
      }
      break;
    }
    case Check::Type::kSchema: {
      if (!spec.contains("schema")) return Bad(name, "schema", "is required");
      Status valid = ValidateSchemaDefinition(spec["schema"]);
      if (!valid.ok()) return Bad(name, "schema", valid.message());
      check.schema = spec["schema"];
      break;
    }
    case Check::Type::kCompare: {
      static const std::set<std::string> kOps = {"lt", "lte", "gt", "gte", "eq", "neq"};
      check.op = spec.value("op", "");
      if (!kOps.count(check.op)) return Bad(name, "op", "must be one of lt lte gt gte eq neq");
      if (spec.contains("value") == check.expected.has_value())
        return Bad(name, "value", "give either value or expected");
      if (spec.contains("value") && !spec["value"].is_number())
        return Bad(name, "value", "must be a number");
      check.value = spec.value("value", Json());
      break;
    }
    case Check::Type::kLatency:
    case Check::Type::kCost: {
      const char* field = check.type == Check::Type::kLatency ? "max_ms" : "max_usd";
      if (!spec.contains(field) || !spec[field].is_number() || spec[field].get<double>() < 0)
        return Bad(name, field, "must be a number ≥ 0");
      check.limit = spec[field].get<double>();
      break;
    }
  }
  return check;
}

bool RunCheck(const Check& check, const Observation& o) {
  if (check.type == Check::Type::kLatency) return o.latency_ms && *o.latency_ms <= check.limit;
  if (check.type == Check::Type::kCost) return o.cost_usd && *o.cost_usd <= check.limit;
  const Json* actual = At(o.output, check.actual);
  if (actual == nullptr) return false;
  const Json* reference = &check.value;
  if (check.expected) {
    reference = At(o.expected, *check.expected);
    if (reference == nullptr) return false;
  }
  switch (check.type) {
    case Check::Type::kEquals:
      return *actual == *reference;
    case Check::Type::kOneOf:
      if (!reference->is_array()) return false;
      for (const Json& option : *reference)
        if (option == *actual) return true;
      return false;
    case Check::Type::kRegex:
      return actual->is_string() &&
             std::regex_search(actual->get_ref<const std::string&>(), *check.pattern);
    case Check::Type::kSchema:
      return SchemaAccepts(check.schema, *actual);
    case Check::Type::kCompare:
      return actual->is_number() && reference->is_number() &&
             Compare(actual->get<double>(), check.op, reference->get<double>());
    case Check::Type::kLatency:
    case Check::Type::kCost:
      break;
  }
  return false;
}

}  // namespace pactum::eval
