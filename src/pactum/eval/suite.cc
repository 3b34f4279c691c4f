#include "pactum/eval/suite.h"

#include <set>

#include "pactum/base/file.h"
#include "pactum/base/json.h"

namespace pactum::eval {
namespace {

constexpr std::size_t kMaxSuiteBytes = std::size_t{256} << 20;

Status Bad(std::string_view source, std::size_t line, const std::string& message) {
  return InvalidArgument(std::string(source) + ":" + std::to_string(line) + ": " + message,
                         {{"line", line}});
}

Status ReadHeader(const Json& header, std::string_view source, std::size_t line, Suite* suite) {
  for (const auto& [key, unused] : header.items())
    if (key != "suite" && key != "checks" && key != "jury")
      return Bad(source, line, key + ": unknown header field (suite, checks, jury)");
  if (!header["suite"].is_string() || header["suite"].get<std::string>().empty())
    return Bad(source, line, "suite: must be a non-empty string");
  suite->name = header["suite"].get<std::string>();
  const Json checks = header.value("checks", Json::object());
  if (!checks.is_object()) return Bad(source, line, "checks: must be an object of named checks");
  for (const auto& [name, spec] : checks.items()) {
    auto check = ParseCheck(name, spec);
    if (!check.ok()) return Bad(source, line, check.status().message());
    suite->checks.push_back(std::move(*check));
  }
  const Json jury = header.value("jury", Json::object());
  if (!jury.is_object()) return Bad(source, line, "jury: must be an object of criteria");
  for (const auto& [criterion, spec] : jury.items()) {
    const std::string at = "jury." + criterion;
    if (!spec.is_object()) return Bad(source, line, at + ": must be an object");
    for (const auto& [key, unused] : spec.items())
      if (key != "content") return Bad(source, line, at + "." + key + ": unknown field");
    const Json content = spec.value("content", Json(""));
    if (!content.is_string()) return Bad(source, line, at + ".content: must be a JSON pointer");
    try {
      Json::json_pointer pointer(content.get<std::string>());
    } catch (const Json::exception&) {
      return Bad(source, line, at + ".content: must be a JSON pointer (\"/field\")");
    }
    suite->jury_content[criterion] = content.get<std::string>();
  }
  return Status::Ok();
}

}  // namespace

Result<Suite> ParseSuite(std::string_view text, std::string_view source) {
  Suite suite;
  std::set<std::string> ids;
  std::size_t line_number = 0, from = 0;
  bool first = true;
  while (from < text.size()) {
    ++line_number;
    auto end = text.find('\n', from);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(from, end - from);
    from = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    auto json = ParseJson(line);
    if (!json.ok()) return Bad(source, line_number, json.status().message());
    if (!json->is_object()) return Bad(source, line_number, "expected a JSON object");
    if (first && json->contains("suite")) {
      first = false;
      PACTUM_TRY(ReadHeader(*json, source, line_number, &suite));
      continue;
    }
    first = false;
    Case c;
    for (const auto& [key, unused] : json->items())
      if (key != "id" && key != "input" && key != "expected" && key != "tags")
        return Bad(source, line_number, key + ": unknown case field (id, input, expected, tags)");
    if (!(*json)["id"].is_string() || (*json)["id"].get<std::string>().empty())
      return Bad(source, line_number, "id: must be a non-empty string");
    c.id = (*json)["id"].get<std::string>();
    if (!ids.insert(c.id).second) return Bad(source, line_number, "id: repeats " + c.id);
    if (!json->contains("input")) return Bad(source, line_number, "input: is required");
    c.input = (*json)["input"];
    c.expected = json->value("expected", Json());
    const Json tags = json->value("tags", Json::array());
    if (!tags.is_array()) return Bad(source, line_number, "tags: must be a list of strings");
    for (const Json& tag : tags) {
      if (!tag.is_string()) return Bad(source, line_number, "tags: must be a list of strings");
      c.tags.push_back(tag.get<std::string>());
    }
    suite.cases.push_back(std::move(c));
  }
  if (suite.cases.empty()) return InvalidArgument(std::string(source) + ": no cases");
  if (suite.name.empty()) suite.name = std::string(source);
  return suite;
}

Result<Suite> LoadSuite(const std::filesystem::path& file) {
  PACTUM_ASSIGN_OR_RETURN(std::string text, ReadFile(file, "suite"));
  if (text.size() > kMaxSuiteBytes)
    return InvalidArgument(file.string() + ": a suite is at most 256 MiB");
  return ParseSuite(text, file.string());
}

}  // namespace pactum::eval
