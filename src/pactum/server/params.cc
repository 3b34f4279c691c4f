#include "pactum/server/params.h"

#include <charconv>

namespace pactum::server {

Status RejectUnknownFields(const Json& body, std::initializer_list<const char*> known) {
  for (auto it = body.begin(); it != body.end(); ++it) {
    bool ok = false;
    for (const char* k : known)
      ok = ok || it.key() == k;
    if (!ok) return InvalidArgument("unknown field \"" + it.key() + "\"", {{"field", it.key()}});
  }
  return Status::Ok();
}

Result<std::optional<std::uint64_t>> UintParam(const std::map<std::string, std::string>& params,
                                               const char* name, bool required) {
  auto it = params.find(name);
  if (it == params.end() || it->second.empty()) {
    if (required)
      return InvalidArgument(std::string("missing parameter \"") + name + "\"", {{"field", name}});
    return std::optional<std::uint64_t>();
  }
  const std::string& text = it->second;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    return InvalidArgument(
        std::string("parameter \"") + name + "\" must be a non-negative integer below 2^64",
        {{"field", name}});
  return std::optional<std::uint64_t>(value);
}

Result<std::optional<std::chrono::milliseconds>> WaitParam(
    const std::map<std::string, std::string>& params, const char* name,
    std::chrono::milliseconds max) {
  auto it = params.find(name);
  if (it == params.end() || it->second.empty()) return std::optional<std::chrono::milliseconds>();
  const std::string& text = it->second;
  std::uint64_t count = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  std::uint64_t millis_per = 0;
  if (unit == "ms") {
    millis_per = 1;
  } else if (unit == "s" || unit.empty()) {
    millis_per = 1000;
  } else if (unit == "m") {
    millis_per = 60'000;
  }
  const auto limit = static_cast<std::uint64_t>(max.count());
  if (ec != std::errc() || end == text.data() || millis_per == 0 || count > limit / millis_per)
    return InvalidArgument(std::string("parameter \"") + name +
                               "\" must be a wait such as 30s or 500ms, at most " +
                               std::to_string(max.count() / 1000) + "s",
                           {{"field", name}});
  return std::optional<std::chrono::milliseconds>(count * millis_per);
}

std::optional<std::string> StringParam(const std::map<std::string, std::string>& params,
                                       const char* name) {
  auto it = params.find(name);
  if (it == params.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

}  // namespace pactum::server
