#include "pactum/jury/config.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <type_traits>

#include <yaml-cpp/yaml.h>

#include "pactum/base/file.h"

namespace pactum::jury {
namespace {

class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}

  Status Error(const YAML::Node& node, const std::string& field, const std::string& message) {
    const int line = node.Mark().line + 1;
    return InvalidArgument(source_ + ":" + std::to_string(line) + ": " + field + ": " + message,
                           {{"field", field}, {"line", line}});
  }

  template <typename T>
  Status Read(const YAML::Node& map, const std::string& key, const std::string& field, T* out,
              double min, double max) {
    const YAML::Node node = map[key];
    if (!node) return Status::Ok();
    try {
      const double value = node.as<double>();
      if (!(value >= min && value <= max))
        return Error(node, field, "must be between " + Format(min) + " and " + Format(max));
      if (std::is_integral_v<T> && value != std::floor(value))
        return Error(node, field, "must be a whole number");
      *out = static_cast<T>(value);
      return Status::Ok();
    } catch (const YAML::Exception&) {
      return Error(node, field, "must be a number");
    }
  }

  Status ReadString(const YAML::Node& map, const std::string& key, const std::string& field,
                    std::string* out, bool required) {
    const YAML::Node node = map[key];
    if (!node) return required ? Error(map, field, "is required") : Status::Ok();
    if (!node.IsScalar()) return Error(node, field, "must be a string");
    *out = node.Scalar();
    if (required && out->empty()) return Error(node, field, "must not be empty");
    return Status::Ok();
  }

 private:
  static std::string Format(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
  }
  std::string source_;
};

}  // namespace

Result<JuryConfig> ParseJuryConfig(std::string_view yaml, std::string_view source,
                                   const std::filesystem::path& base_dir) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::ParserException& e) {
    return InvalidArgument(std::string(source) + ":" + std::to_string(e.mark.line + 1) +
                           ": malformed YAML: " + e.msg);
  }
  Reader r(source);
  if (!root.IsMap()) return InvalidArgument(std::string(source) + ": expected a mapping");
  JuryConfig config;
  const YAML::Node judges = root["judges"];
  if (!judges || !judges.IsSequence() || judges.size() == 0)
    return r.Error(judges ? judges : root, "judges", "must be a non-empty list");
  for (std::size_t i = 0; i < judges.size(); ++i) {
    const YAML::Node j = judges[i];
    const std::string at = "judges[" + std::to_string(i) + "]";
    if (!j.IsMap()) return r.Error(j, at, "must be a mapping");
    JudgeConfig judge;
    PACTUM_TRY(r.ReadString(j, "name", at + ".name", &judge.name, true));
    PACTUM_TRY(r.ReadString(j, "base_url", at + ".base_url", &judge.base_url, true));
    PACTUM_TRY(r.ReadString(j, "model", at + ".model", &judge.model, true));
    PACTUM_TRY(r.ReadString(j, "api_key_env", at + ".api_key_env", &judge.api_key_env, false));
    PACTUM_TRY(r.Read(j, "timeout_ms", at + ".timeout_ms", &judge.timeout_ms, 1, 3'600'000));
    for (const JudgeConfig& other : config.judges)
      if (other.name == judge.name) return r.Error(j, at + ".name", "repeats " + judge.name);
    config.judges.push_back(std::move(judge));
  }
  PACTUM_TRY(r.Read(root, "concurrency", "concurrency", &config.concurrency, 1, 256));
  PACTUM_TRY(r.Read(root, "retries", "retries", &config.retries, 0, 10));
  PACTUM_TRY(r.Read(root, "backoff_ms", "backoff_ms", &config.backoff_ms, 0, 600'000));
  PACTUM_TRY(
      r.Read(root, "max_backoff_ms", "max_backoff_ms", &config.max_backoff_ms, 0, 3'600'000));
  PACTUM_TRY(r.Read(root, "max_retry_after_ms", "max_retry_after_ms", &config.max_retry_after_ms, 0,
                    3'600'000));
  PACTUM_TRY(r.Read(root, "pass_threshold", "pass_threshold", &config.pass_threshold, 0, 1));
  PACTUM_TRY(r.Read(root, "min_consensus", "min_consensus", &config.min_consensus, 0, 1));
  PACTUM_TRY(r.Read(root, "quorum", "quorum", &config.quorum, 0,
                    static_cast<double>(config.judges.size())));
  std::string cache_dir;
  PACTUM_TRY(r.ReadString(root, "cache_dir", "cache_dir", &cache_dir, false));
  if (!cache_dir.empty()) config.cache_dir = (base_dir / cache_dir).lexically_normal().string();
  static const char* kKnown[] = {"judges",         "concurrency",    "retries",
                                 "backoff_ms",     "max_backoff_ms", "max_retry_after_ms",
                                 "pass_threshold", "min_consensus",  "quorum",
                                 "cache_dir"};
  for (const auto& entry : root) {
    const std::string key = entry.first.Scalar();
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown))
      return r.Error(entry.first, key, "unknown field");
  }
  return config;
}

Result<JuryConfig> LoadJuryConfig(const std::filesystem::path& file) {
  PACTUM_ASSIGN_OR_RETURN(std::string text, ReadFile(file, "jury configuration"));
  return ParseJuryConfig(text, file.string(), file.parent_path());
}

}  // namespace pactum::jury
