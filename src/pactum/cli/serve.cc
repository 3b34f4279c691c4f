#include <csignal>
#include <cstdio>
#include <iostream>

#include <spdlog/spdlog.h>

#include "pactum/base/log.h"
#include "pactum/cli/commands.h"
#include "pactum/server/api.h"
#include "pactum/server/http_server.h"
#include "pactum/server/options.h"
#include "pactum/service/service.h"

namespace pactum::cli {
namespace {

struct ServeFlags {
  std::string listen;
  std::string data;
  std::string config;
  std::int64_t webhook_retry_base_ms = 0;  // 0: from the config or the default
  int webhook_disable_after = 0;
};

int Serve(const ServeFlags& flags) {
  // A client or a closed stdout must never kill the server; writes report EPIPE instead.
  std::signal(SIGPIPE, SIG_IGN);
  server::ServerOptions options;
  auto fail = [](const Status& s) {
    std::cerr << "pactum serve: " << s.message() << "\n";
    return kExitFailure;
  };
  if (!flags.config.empty()) {
    Status s = server::LoadConfigFile(flags.config, &options);
    if (!s.ok()) return fail(s);
  }
  if (!flags.listen.empty()) {
    Status s = server::ParseListenAddress(flags.listen, &options);
    if (!s.ok()) return fail(s);
  }
  if (!flags.data.empty()) options.data_dir = flags.data;
  if (flags.webhook_retry_base_ms > 0)
    options.webhook_retry_base = std::chrono::milliseconds(flags.webhook_retry_base_ms);
  if (flags.webhook_disable_after > 0) options.webhook_disable_after = flags.webhook_disable_after;

  auto format = ParseLogFormat(options.log_format);
  if (!format.ok()) return fail(format.status());
  if (Status s = InitLogging(*format, options.log_level); !s.ok()) return fail(s);

  auto service = service::Service::Open({.data_dir = options.data_dir});
  if (!service.ok()) return fail(service.status());
  auto bootstrap = (*service)->Bootstrap();
  if (!bootstrap.ok()) return fail(bootstrap.status());

  service::Service::WebhookDeliveryOptions delivery;
  delivery.retry_base = options.webhook_retry_base;
  delivery.disable_after = options.webhook_disable_after;
  if (Status s = (*service)->StartWebhookDelivery(delivery); !s.ok()) return fail(s);

  server::Api api(**service, options.workers);
  server::HttpServer http(options, api);
  if (Status s = http.Listen(); !s.ok()) return fail(s);
  http.HandleSignals();
  // Decisions waiting for a review (?wait=) are answered at once when the server stops.
  http.OnDrain([&service] { (*service)->ReleaseReviewWaits(); });

  const std::string url = "http://" + options.host + ":" + std::to_string(http.port());
  std::cout << "pactum " << PACTUM_VERSION << " serving " << url
            << " (data: " << options.data_dir.string() << ")\n";
  if (*bootstrap) {
    const std::string& secret = (*bootstrap)->secret;
    std::cout << "bootstrap admin key for tenant \"default\" (shown once; store it now):\n"
              << "  " << secret << "\n"
              << "try: curl -H 'Authorization: Bearer " << secret << "' " << url << "/v1/whoami\n";
  }
  std::cout.flush();
  spdlog::info("listening on {}", url);
  http.Run();
  api.FinishWork();  // a handler still running when the drain timed out uses the service
  // The service's own threads (review waiters, the log's answers, webhook delivery) finish
  // while the server's io context still exists: an answer they are sending holds a session,
  // whose end is posted to that context.
  service->reset();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

void RegisterServe(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* cmd = app.add_subcommand("serve", "Run the HTTP API server");
  cmd->add_option(
      "--listen", flags->listen,
      "Address to listen on, HOST:PORT (default 127.0.0.1:7700; port 0 picks a free one)");
  cmd->add_option("--data", flags->data, "Data folder holding the SQLite store (default ./var)");
  cmd->add_option("--config", flags->config, "YAML config file (see docs/OPERATIONS.md)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--webhook-retry-base-ms", flags->webhook_retry_base_ms,
                  "Wait after a first failed webhook attempt, doubling after each further one "
                  "(default 5000)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{86'400'000}));
  cmd->add_option("--webhook-disable-after", flags->webhook_disable_after,
                  "Consecutive failed attempts that disable a webhook subscription (default 10)")
      ->check(CLI::Range(1, 1000));
  cmd->callback([flags, exit_code] { *exit_code = Serve(*flags); });
}

}  // namespace pactum::cli
