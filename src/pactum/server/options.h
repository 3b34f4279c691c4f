// How `pactum serve` runs: where it listens, where its data lives, and the limits that guard
// it against large and slow clients. Defaults are safe for a single SOC deployment; a YAML
// config file (--config) may override any of them, and command-line flags override that.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "pactum/base/status.h"

namespace pactum::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 7700;
  std::filesystem::path data_dir = "var";
  int threads = 0;  // io threads; 0: half the cores, at least one
  int workers = 4;  // threads for the handlers that wait on the store (evidence, reports, ...)
  std::size_t max_body_bytes = 1 << 20;              // larger bodies get 413
  std::chrono::milliseconds header_timeout{10'000};  // request line + headers must arrive in this
  std::chrono::milliseconds body_timeout{30'000};    // the body must arrive in this
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive connections idle longer close
  std::chrono::milliseconds drain_timeout{15'000};   // shutdown waits this long for in-flight work
  std::string log_format = "text";                   // text | json
  std::string log_level = "info";
  // Webhook delivery (docs/WEBHOOKS.md): the wait after a first failed attempt (doubling after
  // each further one), and how many consecutive failed attempts disable a subscription.
  std::chrono::milliseconds webhook_retry_base{5'000};
  int webhook_disable_after = 10;
};

// "127.0.0.1:7700", "[::1]:7700" or ":7700" (loopback). Port 0 asks for an ephemeral port.
Status ParseListenAddress(std::string_view text, ServerOptions* options);

// Applies a YAML config file over `options`. Unknown keys and bad values are errors naming the
// file, line and key:
//   listen: 127.0.0.1:7700      data: ./var        threads: 2     workers: 4
//   max_body_bytes: 1048576     header_timeout_ms: 10000   body_timeout_ms: 30000
//   idle_timeout_ms: 60000      drain_timeout_ms: 15000
//   log_format: text            log_level: info
//   webhook_retry_base_ms: 5000 webhook_disable_after: 10
Status LoadConfigFile(const std::filesystem::path& file, ServerOptions* options);

}  // namespace pactum::server
