// The HTTP API (DESIGN §10): the routing table of every endpoint, authentication by bearer
// key, scope checks, request metrics, and the translation between JSON and the service.
// Handlers talk only to service::Service.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>

#include "pactum/server/http_server.h"
#include "pactum/server/metrics.h"
#include "pactum/server/router.h"
#include "pactum/service/service.h"

namespace boost::asio {
class thread_pool;
}

namespace pactum::server {

// The OpenAPI 3.1 document served at /v1/openapi.json (kept in openapi.json beside this file).
const Json& OpenApiDocument();

class Api final : public RequestHandler {
 public:
  // `workers` threads run the routes that wait on the store (Runs::kOnWorker).
  explicit Api(service::Service& service, int workers = 4);
  ~Api() override;  // FinishWork()

  // Waits until every request handed to the workers is handled: for after the server has
  // stopped (a drain can time out with a handler still running) and before the service goes.
  void FinishWork();

  Response Handle(Request& request) override;
  void OnTransportError(int status) override;
  void OnConnection(bool opened) override;

  const Router& router() const { return router_; }

 private:
  void AddRoutes();
  // Agents, pacts, evidence, trust and events (api_loop.cc).
  void AddLoopRoutes();
  // Reviews and the shadow/enforce switch (api_reviews.cc).
  void AddReviewRoutes();
  // Webhook subscriptions and deliveries (api_webhooks.cc).
  void AddWebhookRoutes();
  // Scorecards and trust packets (api_reports.cc).
  void AddReportRoutes();
  Response Dispatch(const Route& route, Request& request);
  // Dispatches on a worker; the answer comes back through a Reply.
  Response DispatchOnWorker(const Route& route, Request request);
  Status CheckHealth();

  service::Service& service_;
  Router router_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<boost::asio::thread_pool> workers_;
  std::mutex health_mu_;
  std::int64_t health_checked_at_ = 0;  // steady clock, ns; 0: never
  Status health_;
};

}  // namespace pactum::server
