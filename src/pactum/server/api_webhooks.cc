// The routes of webhook subscriptions (docs/WEBHOOKS.md): managing them needs `admin`, reading
// them `read`; every route stays within the caller's tenant.
#include "pactum/server/api.h"
#include "pactum/server/params.h"

namespace pactum::server {

void Api::AddWebhookRoutes() {
  router_.Add("POST", "/v1/webhooks", Access::Scope("admin"), [this](Request& req) {
    auto body = req.JsonBody();
    if (!body.ok()) return Response::Error(body.status());
    if (Status s = RejectUnknownFields(*body, {"url", "events", "description"}); !s.ok())
      return Response::Error(s);
    auto created = service_.CreateWebhook(*req.principal, *body);
    if (!created.ok()) return Response::Error(created.status());
    return Response::Json(201, *created);
  });

  router_.Add("GET", "/v1/webhooks", Access::Scope("read"), [this](Request& req) {
    auto webhooks = service_.ListWebhooks(*req.principal);
    if (!webhooks.ok()) return Response::Error(webhooks.status());
    return Response::Json(200, {{"webhooks", *webhooks}});
  });

  router_.Add("GET", "/v1/webhooks/{id}", Access::Scope("read"), [this](Request& req) {
    auto webhook = service_.GetWebhook(*req.principal, req.params["id"]);
    if (!webhook.ok()) return Response::Error(webhook.status());
    return Response::Json(200, *webhook);
  });

  router_.Add("DELETE", "/v1/webhooks/{id}", Access::Scope("admin"), [this](Request& req) {
    const std::string& id = req.params["id"];
    if (Status s = service_.DeleteWebhook(*req.principal, id); !s.ok()) return Response::Error(s);
    return Response::Json(200, {{"id", id}, {"deleted", true}});
  });

  router_.Add("POST", "/v1/webhooks/{id}/enable", Access::Scope("admin"), [this](Request& req) {
    auto webhook = service_.EnableWebhook(*req.principal, req.params["id"]);
    if (!webhook.ok()) return Response::Error(webhook.status());
    return Response::Json(200, *webhook);
  });

  router_.Add("GET", "/v1/webhooks/{id}/deliveries", Access::Scope("read"), [this](Request& req) {
    auto limit = UintParam(req.query, "limit", false);
    if (!limit.ok()) return Response::Error(limit.status());
    auto deliveries = service_.ListWebhookDeliveries(
        *req.principal, req.params["id"], StringParam(req.query, "status"),
        *limit ? static_cast<std::size_t>(**limit) : 100);
    if (!deliveries.ok()) return Response::Error(deliveries.status());
    return Response::Json(200, {{"deliveries", *deliveries}});
  });

  router_.Add("POST", "/v1/webhooks/{id}/test", Access::Scope("admin"), [this](Request& req) {
    auto answer = service_.TestWebhook(*req.principal, req.params["id"]);
    if (!answer.ok()) return Response::Error(answer.status());
    return Response::Json(200, *answer);
  });
}

}  // namespace pactum::server
