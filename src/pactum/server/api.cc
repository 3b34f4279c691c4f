#include "pactum/server/api.h"

#include <algorithm>
#include <chrono>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include "pactum/base/clock.h"
#include "pactum/base/json.h"
#include "pactum/server/params.h"

namespace pactum::server {
namespace {

// Reads a required string field; the error names it.
Result<std::string> StringField(const Json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end())
    return InvalidArgument(std::string("missing field \"") + name + "\"", {{"field", name}});
  if (!it->is_string())
    return InvalidArgument(std::string("field \"") + name + "\" must be a string",
                           {{"field", name}});
  return it->get<std::string>();
}

Result<std::vector<std::string>> StringListField(const Json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end())
    return InvalidArgument(std::string("missing field \"") + name + "\"", {{"field", name}});
  if (!it->is_array())
    return InvalidArgument(std::string("field \"") + name + "\" must be an array of strings",
                           {{"field", name}});
  std::vector<std::string> out;
  for (std::size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string())
      return InvalidArgument(
          std::string("field \"") + name + "[" + std::to_string(i) + "]\" must be a string",
          {{"field", std::string(name) + "[" + std::to_string(i) + "]"}});
    out.push_back((*it)[i].get<std::string>());
  }
  return out;
}

}  // namespace

Api::Api(service::Service& service, int workers)
    : service_(service),
      workers_(std::make_unique<boost::asio::thread_pool>(std::max(1, workers))) {
  AddRoutes();
  std::vector<Metrics::RouteLabel> labels;
  for (const Route& r : router_.routes())
    labels.push_back({r.method, r.pattern});
  metrics_ = std::make_unique<Metrics>(std::move(labels));
}

Api::~Api() {
  FinishWork();
}

void Api::FinishWork() {
  workers_->join();  // runs what is queued, so every request taken is answered
}

void Api::AddRoutes() {
  // Answered from memory (the health check reads the store at most once a second).
  router_.Add(
      "GET", "/healthz", Access::Public(),
      [this](Request&) {
        Status s = CheckHealth();
        if (!s.ok()) return Response::Error(Unavailable("store unavailable: " + s.message()));
        return Response::Json(200, {{"status", "ok"}});
      },
      Runs::kOnIoThread);

  router_.Add(
      "GET", "/metrics", Access::Public(),
      [this](Request&) {
        return Response::Text(
            200,
            metrics_->Render() + RenderLogMetrics(service_.LogSize(), service_.LogCommitStats()),
            "text/plain; version=0.0.4; charset=utf-8");
      },
      Runs::kOnIoThread);

  router_.Add(
      "GET", "/v1/openapi.json", Access::Public(),
      [](Request&) { return Response::Json(200, OpenApiDocument()); }, Runs::kOnIoThread);

  router_.Add(
      "GET", "/v1/whoami", Access::AnyKey(),
      [](Request& req) {
        const service::Principal& p = *req.principal;
        return Response::Json(200, {{"tenant", p.tenant_name},
                                    {"key", {{"id", p.key_id}, {"name", p.key_name}}},
                                    {"scopes", p.scopes}});
      },
      Runs::kOnIoThread);

  router_.Add("GET", "/v1/keys", Access::Scope("admin"), [this](Request& req) {
    auto keys = service_.ListKeys(*req.principal);
    if (!keys.ok()) return Response::Error(keys.status());
    Json list = Json::array();
    for (const auto& k : *keys)
      list.push_back(service::ApiKeyJson(k));
    return Response::Json(200, {{"keys", list}});
  });

  router_.Add("POST", "/v1/keys", Access::Scope("admin"), [this](Request& req) {
    auto body = req.JsonBody();
    if (!body.ok()) return Response::Error(body.status());
    if (!body->is_object())
      return Response::Error(InvalidArgument("the body must be a JSON object"));
    Status known = RejectUnknownFields(*body, {"name", "scopes"});
    if (!known.ok()) return Response::Error(known);
    auto name = StringField(*body, "name");
    if (!name.ok()) return Response::Error(name.status());
    auto scopes = StringListField(*body, "scopes");
    if (!scopes.ok()) return Response::Error(scopes.status());
    auto issued = service_.CreateKey(*req.principal, *name, *scopes);
    if (!issued.ok()) return Response::Error(issued.status());
    Json out = service::ApiKeyJson(issued->key);
    out["secret"] = issued->secret;
    return Response::Json(201, out);
  });

  router_.Add("DELETE", "/v1/keys/{id}", Access::Scope("admin"), [this](Request& req) {
    const std::string& id = req.params["id"];
    if (id == req.principal->key_id)
      return Response::Error(FailedPrecondition("a key cannot revoke itself", {{"field", "id"}}));
    Status s = service_.RevokeKey(*req.principal, id);
    if (!s.ok()) return Response::Error(s);
    return Response::Json(200, {{"id", id}, {"revoked", true}});
  });
  // The transparency log (docs/LOG.md). Checkpoints and proofs carry only hashes and are the
  // same for every tenant; a leaf's contents are shown to its own tenant only.
  router_.Add("GET", "/v1/log/checkpoint", Access::Scope("read"), [this](Request&) {
    auto note = service_.LogCheckpoint();
    if (!note.ok()) return Response::Error(note.status());
    return Response::Text(200, *note, "text/plain; charset=utf-8");
  });

  router_.Add("GET", "/v1/log/proof/inclusion", Access::Scope("read"), [this](Request& req) {
    auto index = UintParam(req.query, "index", true);
    if (!index.ok()) return Response::Error(index.status());
    auto size = UintParam(req.query, "size", false);
    if (!size.ok()) return Response::Error(size.status());
    auto bundle = service_.LogInclusionProof(**index, *size);
    if (!bundle.ok()) return Response::Error(bundle.status());
    return Response::Json(200, *bundle);
  });

  router_.Add("GET", "/v1/log/proof/consistency", Access::Scope("read"), [this](Request& req) {
    auto from = UintParam(req.query, "from", true);
    if (!from.ok()) return Response::Error(from.status());
    auto to = UintParam(req.query, "to", false);
    if (!to.ok()) return Response::Error(to.status());
    auto bundle = service_.LogConsistencyProof(**from, *to);
    if (!bundle.ok()) return Response::Error(bundle.status());
    return Response::Json(200, *bundle);
  });

  AddLoopRoutes();
  AddReviewRoutes();
  AddWebhookRoutes();
  AddReportRoutes();

  router_.Add("GET", "/v1/log/leaves/{index}", Access::Scope("read"), [this](Request& req) {
    auto index = UintParam(req.params, "index", true);
    if (!index.ok()) return Response::Error(index.status());
    auto leaf = service_.LogLeaf(*req.principal, **index);
    if (!leaf.ok()) return Response::Error(leaf.status());
    return Response::Json(200, *leaf);
  });
}

Status Api::CheckHealth() {
  // Probes load-balance health checks hit often; ask the store at most once per interval.
  constexpr std::int64_t kHealthInterval = 1'000'000'000;  // ns
  const std::int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
  std::lock_guard lock(health_mu_);
  if (health_checked_at_ == 0 || now - health_checked_at_ >= kHealthInterval) {
    health_ = service_.CheckHealth();
    health_checked_at_ = now;
  }
  return health_;
}

Response Api::Handle(Request& request) {
  const auto start = std::chrono::steady_clock::now();
  Router::Match match = router_.Find(request.method, request.path, &request.params);
  Response response;
  std::size_t route_index = router_.routes().size();
  if (match.route == nullptr) {
    if (match.path_exists) {
      response =
          Response::Error(Status(Code::kInvalidArgument, "method " + request.method +
                                                             " is not allowed on " + request.path));
      response.status = 405;
      std::string allow;
      for (const auto& m : match.allowed_methods)
        allow += (allow.empty() ? "" : ", ") + m;
      response.headers.emplace_back("Allow", allow);
    } else {
      response =
          Response::Error(NotFound("no such endpoint: " + request.method + " " + request.path));
    }
  } else {
    route_index = match.index;
    response = match.route->runs == Runs::kOnWorker
                   ? DispatchOnWorker(*match.route, std::move(request))
                   : Dispatch(*match.route, request);
  }
  if (response.later) {
    // Answered later: counted when the answer is made, with its real status and duration.
    auto answered = std::make_shared<Reply>();
    response.later->OnSend([this, answered, route_index, start](Reply::Make make) {
      answered->SendMade([this, make = std::move(make), route_index, start] {
        Response r = make();
        metrics_->Record(
            route_index, r.status,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        return r;
      });
    });
    response.later = answered;
    return response;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_->Record(route_index, response.status, seconds);
  return response;
}

Response Api::Dispatch(const Route& route, Request& request) {
  if (route.access.needs_key) {
    const std::string* auth = request.Header("authorization");
    constexpr std::string_view kBearer = "Bearer ";
    Response unauthorized;
    if (auth == nullptr || auth->size() <= kBearer.size() ||
        std::string_view(*auth).substr(0, kBearer.size()) != kBearer) {
      unauthorized =
          Response::Error(Unauthenticated("missing API key: send Authorization: Bearer pk_..."));
    } else {
      auto principal = service_.Authenticate(std::string_view(*auth).substr(kBearer.size()));
      if (!principal.ok()) {
        unauthorized = Response::Error(principal.status());
      } else {
        request.principal = std::move(*principal);
      }
    }
    if (!request.principal) {
      unauthorized.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"pactum\"");
      return unauthorized;
    }
    if (!route.access.scope.empty() && !request.principal->HasScope(route.access.scope)) {
      return Response::Error(
          PermissionDenied("this key lacks the \"" + route.access.scope + "\" scope",
                           {{"required_scope", route.access.scope}}));
    }
  }
  try {
    return route.handler(request);
  } catch (const std::exception& e) {
    // A bug, not the caller's fault: log it, answer 500, keep serving.
    spdlog::error("{} {} failed: {}", request.method, route.pattern, e.what());
    return Response::Error(Internal("internal error"));
  }
}

Response Api::DispatchOnWorker(const Route& route, Request request) {
  auto reply = std::make_shared<Reply>();
  boost::asio::post(*workers_, [this, &route, request = std::move(request), reply]() mutable {
    Response response = Dispatch(route, request);
    if (!response.later) return reply->Send(std::move(response));
    response.later->OnSend([reply](Reply::Make make) { reply->SendMade(std::move(make)); });
  });
  return Response::Later(std::move(reply));
}

void Api::OnTransportError(int status) {
  metrics_->Record(router_.routes().size(), status, 0);
}

void Api::OnConnection(bool opened) {
  if (opened) {
    metrics_->ConnectionOpened();
  } else {
    metrics_->ConnectionClosed();
  }
}

// Defined in the build-generated openapi_document.cc, from openapi.json.
extern const char* const kOpenApiJson;

const Json& OpenApiDocument() {
  static const Json doc = Json::parse(kOpenApiJson);
  return doc;
}

}  // namespace pactum::server
