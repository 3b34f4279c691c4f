#include "pactum/base/log.h"

#include <memory>
#include <string>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "pactum/base/clock.h"

namespace pactum {
namespace {

// Writes each record as one JSON object; the message is escaped by nlohmann.
class JsonLinesFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    Json line = {
        {"time", FormatRfc3339(msg.time)},
        {"level", std::string(spdlog::level::to_string_view(msg.level).data(),
                              spdlog::level::to_string_view(msg.level).size())},
        {"msg", std::string(msg.payload.data(), msg.payload.size())},
    };
    if (msg.logger_name.size() > 0)
      line["logger"] = std::string(msg.logger_name.data(), msg.logger_name.size());
    std::string text = line.dump(-1, ' ', false, Json::error_handler_t::replace);
    text.push_back('\n');
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonLinesFormatter>();
  }
};

}  // namespace

Result<LogFormat> ParseLogFormat(std::string_view name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJsonLines;
  return InvalidArgument("unknown log format \"" + std::string(name) + "\" (use text or json)");
}

Status InitLogging(LogFormat format, std::string_view level) {
  auto lvl = spdlog::level::from_str(std::string(level));
  if (lvl == spdlog::level::off && level != "off")
    return InvalidArgument("unknown log level \"" + std::string(level) + "\"");
  auto logger =
      std::make_shared<spdlog::logger>("pactum", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  if (format == LogFormat::kJsonLines) {
    logger->set_formatter(std::make_unique<JsonLinesFormatter>());
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  }
  logger->set_level(lvl);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  return Status::Ok();
}

}  // namespace pactum
