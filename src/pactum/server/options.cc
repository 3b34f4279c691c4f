#include "pactum/server/options.h"

#include <charconv>

#include <yaml-cpp/yaml.h>

namespace pactum::server {

Status ParseListenAddress(std::string_view text, ServerOptions* options) {
  std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos)
    return InvalidArgument("bad listen address \"" + std::string(text) + "\": expected HOST:PORT",
                           {{"field", "listen"}});
  std::string host(text.substr(0, colon));
  std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "127.0.0.1";
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535)
    return InvalidArgument("bad listen address \"" + std::string(text) + "\": port must be 0-65535",
                           {{"field", "listen"}});
  options->host = host;
  options->port = static_cast<std::uint16_t>(port);
  return Status::Ok();
}

Status LoadConfigFile(const std::filesystem::path& file, ServerOptions* options) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(file.string());
  } catch (const YAML::BadFile&) {
    return NotFound("cannot read config file " + file.string());
  } catch (const YAML::Exception& e) {
    return InvalidArgument(file.string() + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg,
                           {{"file", file.string()}, {"line", e.mark.line + 1}});
  }
  if (root.IsNull()) return Status::Ok();
  if (!root.IsMap()) return InvalidArgument(file.string() + ": the config must be a YAML mapping");
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>();
    const YAML::Node& v = kv.second;
    const int line = v.Mark().line + 1;
    auto where = [&](const std::string& why) {
      return InvalidArgument(file.string() + ":" + std::to_string(line) + ": " + key + ": " + why,
                             {{"file", file.string()}, {"line", line}, {"field", key}});
    };
    try {
      auto millis = [&](std::chrono::milliseconds* out) -> Status {
        auto ms = v.as<std::int64_t>();
        if (ms <= 0) return where("must be a positive number of milliseconds");
        *out = std::chrono::milliseconds(ms);
        return Status::Ok();
      };
      if (key == "listen") {
        Status s = ParseListenAddress(v.as<std::string>(), options);
        if (!s.ok()) return where(s.message());
      } else if (key == "data") {
        options->data_dir = v.as<std::string>();
      } else if (key == "threads") {
        int n = v.as<int>();
        if (n < 0 || n > 256) return where("must be 0 (half the cores) to 256");
        options->threads = n;
      } else if (key == "workers") {
        int n = v.as<int>();
        if (n < 1 || n > 256) return where("must be 1 to 256");
        options->workers = n;
      } else if (key == "max_body_bytes") {
        auto n = v.as<std::int64_t>();
        if (n < 1) return where("must be at least 1");
        options->max_body_bytes = static_cast<std::size_t>(n);
      } else if (key == "header_timeout_ms") {
        PACTUM_TRY(millis(&options->header_timeout));
      } else if (key == "body_timeout_ms") {
        PACTUM_TRY(millis(&options->body_timeout));
      } else if (key == "idle_timeout_ms") {
        PACTUM_TRY(millis(&options->idle_timeout));
      } else if (key == "drain_timeout_ms") {
        PACTUM_TRY(millis(&options->drain_timeout));
      } else if (key == "log_format") {
        options->log_format = v.as<std::string>();
        if (options->log_format != "text" && options->log_format != "json")
          return where("must be text or json");
      } else if (key == "log_level") {
        options->log_level = v.as<std::string>();
      } else if (key == "webhook_retry_base_ms") {
        PACTUM_TRY(millis(&options->webhook_retry_base));
      } else if (key == "webhook_disable_after") {
        int n = v.as<int>();
        if (n < 1 || n > 1000) return where("must be 1 to 1000");
        options->webhook_disable_after = n;
      } else {
        return where("unknown key");
      }
    } catch (const YAML::Exception& e) {
      return where("bad value (" + e.msg + ")");
    }
  }
  return Status::Ok();
}

}  // namespace pactum::server
