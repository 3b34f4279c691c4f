// Logging setup. Code logs through spdlog's default logger (spdlog::info(...)); this decides
// where it goes and in which shape: human-readable text, or one JSON object per line for log
// shippers ({"time","level","logger","msg"}).
#pragma once

#include <string_view>

#include "pactum/base/status.h"

namespace pactum {

enum class LogFormat { kText, kJsonLines };

// Configures the default logger to write to stderr. `level` is one of trace, debug, info,
// warn, error, critical, off.
Status InitLogging(LogFormat format, std::string_view level);

// "text" or "json" → LogFormat.
Result<LogFormat> ParseLogFormat(std::string_view name);

}  // namespace pactum
