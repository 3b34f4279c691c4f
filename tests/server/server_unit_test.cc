#include <fstream>
#include <future>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "pactum/server/api.h"
#include "pactum/server/metrics.h"
#include "pactum/server/options.h"
#include "pactum/server/router.h"

namespace pactum::server {
namespace {

std::filesystem::path TempPath(const char* prefix) {
  return std::filesystem::temp_directory_path() / (prefix + std::to_string(std::random_device{}()));
}

// The answer to `req`, waited for when its route answers later (on a worker).
Response Answer(Api& api, Request& req) {
  Response res = api.Handle(req);
  if (!res.later) return res;
  std::promise<Response> answered;
  auto answer = answered.get_future();
  res.later->OnSend([&answered](Reply::Make make) { answered.set_value(make()); });
  return answer.get();
}

TEST(Router, MatchesPatternsAndParameters) {
  Router r;
  auto ok = [](Request&) { return Response::Json(200, {}); };
  r.Add("GET", "/v1/keys", Access::Scope("admin"), ok);
  r.Add("DELETE", "/v1/keys/{id}", Access::Scope("admin"), ok);
  r.Add("GET", "/v1/agents/{agent}/trust", Access::AnyKey(), ok);
  std::map<std::string, std::string> params;
  auto m = r.Find("DELETE", "/v1/keys/abc", &params);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.index, 1u);
  EXPECT_EQ(params["id"], "abc");
  m = r.Find("GET", "/v1/agents/triage-1/trust", &params);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(params["agent"], "triage-1");
  m = r.Find("POST", "/v1/keys/abc", &params);
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_exists);
  EXPECT_EQ(m.allowed_methods, std::vector<std::string>{"DELETE"});
  EXPECT_FALSE(r.Find("GET", "/v1/keys/", &params).path_exists);  // empty parameter
  EXPECT_FALSE(r.Find("GET", "/v1/keys/a/b", &params).path_exists);
  EXPECT_FALSE(r.Find("GET", "v1/keys", &params).path_exists);
}

TEST(Metrics, RendersPrometheusText) {
  Metrics m(std::vector<Metrics::RouteLabel>{{"GET", "/healthz"}});
  m.Record(0, 200, 0.0002);
  m.Record(0, 200, 0.2);
  m.Record(1, 404, 0.0001);
  std::string text = m.Render();
  EXPECT_NE(
      text.find("pactum_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2"),
      std::string::npos);
  EXPECT_NE(text.find("route=\"unmatched\",method=\"\",status=\"404\"} 1"), std::string::npos);
  EXPECT_NE(text.find("le=\"0.00025\"} 1"), std::string::npos);
  EXPECT_NE(text.find("le=\"0.25\"} 2"), std::string::npos);
  EXPECT_NE(
      text.find("pactum_http_request_duration_seconds_count{route=\"/healthz\",method=\"GET\"} 2"),
      std::string::npos);
}

TEST(Options, ParsesListenAddresses) {
  ServerOptions o;
  ASSERT_TRUE(ParseListenAddress("0.0.0.0:8080", &o).ok());
  EXPECT_EQ(o.host, "0.0.0.0");
  EXPECT_EQ(o.port, 8080);
  ASSERT_TRUE(ParseListenAddress("[::1]:0", &o).ok());
  EXPECT_EQ(o.host, "::1");
  ASSERT_TRUE(ParseListenAddress(":7701", &o).ok());
  EXPECT_EQ(o.host, "127.0.0.1");
  EXPECT_FALSE(ParseListenAddress("localhost", &o).ok());
  EXPECT_FALSE(ParseListenAddress("1.2.3.4:70000", &o).ok());
  EXPECT_FALSE(ParseListenAddress("1.2.3.4:7x", &o).ok());
}

TEST(Options, ConfigFileErrorsNameLineAndKey) {
  auto path = TempPath("pactum-config-");
  std::ofstream(path) << "listen: 127.0.0.1:9000\nheader_timeout_ms: 250\nthreads: -3\n";
  ServerOptions o;
  Status s = LoadConfigFile(path, &o);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.details()["line"], 3);
  EXPECT_EQ(s.details()["field"], "threads");
  EXPECT_EQ(o.port, 9000);
  EXPECT_EQ(o.header_timeout.count(), 250);
  std::ofstream(path) << "listen: [oops\n";
  EXPECT_EQ(LoadConfigFile(path, &o).code(), Code::kInvalidArgument);
  std::filesystem::remove(path);
  EXPECT_EQ(LoadConfigFile(path, &o).code(), Code::kNotFound);
}

// Every route is documented in the OpenAPI document with its method, and every documented
// operation is a route: a route missing from the document (or a stale entry) fails here.
TEST(OpenApi, DocumentIsInStepWithTheRoutingTable) {
  auto dir = TempPath("pactum-openapi-");
  auto service = service::Service::Open({.data_dir = dir, .clock = &SystemClock()});
  ASSERT_TRUE(service.ok());
  Api api(**service);
  const Json& doc = OpenApiDocument();
  EXPECT_EQ(doc["openapi"], "3.1.0");
  std::set<std::pair<std::string, std::string>> routes, documented;
  for (const Route& r : api.router().routes()) {
    std::string method = r.method;
    for (char& c : method)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    routes.insert({r.pattern, method});
    ASSERT_TRUE(doc["paths"].contains(r.pattern))
        << "route " << r.pattern << " is not in openapi.json";
    const Json& op = doc["paths"][r.pattern];
    ASSERT_TRUE(op.contains(method)) << r.method << " " << r.pattern << " is not in openapi.json";
    // Public routes say so; the others document the scope they need.
    if (!r.access.needs_key) {
      EXPECT_EQ(op[method]["security"], Json::array()) << r.pattern;
    } else if (!r.access.scope.empty()) {
      EXPECT_EQ(op[method].value("x-pactum-scope", ""), r.access.scope) << r.pattern;
    }
  }
  for (auto it = doc["paths"].begin(); it != doc["paths"].end(); ++it)
    for (auto op = it.value().begin(); op != it.value().end(); ++op)
      documented.insert({it.key(), op.key()});
  EXPECT_EQ(routes, documented);
  std::filesystem::remove_all(dir);
}

TEST(Api, ErrorsAlwaysHaveTheSameShape) {
  auto dir = TempPath("pactum-api-");
  auto service = service::Service::Open({.data_dir = dir, .clock = &SystemClock()});
  ASSERT_TRUE(service.ok());
  Api api(**service);
  for (auto [method, path] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/nope"},
                                                        {"GET", "/v1/whoami"},
                                                        {"POST", "/healthz"},
                                                        {"DELETE", "/v1/keys/x"}}) {
    Request req;
    req.method = method;
    req.path = path;
    Response res = Answer(api, req);
    EXPECT_GE(res.status, 400);
    Json body = Json::parse(res.body);
    EXPECT_TRUE(body["error"]["code"].is_string()) << res.body;
    EXPECT_TRUE(body["error"]["message"].is_string()) << res.body;
    EXPECT_TRUE(body["error"]["details"].is_object()) << res.body;
  }
  std::filesystem::remove_all(dir);
}

// Routes that wait on the store run on the workers, answering later; decide and the routes that
// answer from memory stay on the io thread.
TEST(Api, RoutesThatWaitOnTheStoreRunOnWorkers) {
  auto dir = TempPath("pactum-api-");
  auto service = service::Service::Open({.data_dir = dir, .clock = &SystemClock()});
  ASSERT_TRUE(service.ok());
  Api api(**service);
  std::map<std::string, Runs> runs;
  for (const Route& r : api.router().routes())
    runs[r.method + " " + r.pattern] = r.runs;
  for (const char* inline_route :
       {"GET /healthz", "GET /metrics", "GET /v1/openapi.json", "GET /v1/whoami", "POST /v1/decide",
        "POST /v1/decide:batch", "GET /v1/agents/{id}/trust"})
    EXPECT_EQ(runs.at(inline_route), Runs::kOnIoThread) << inline_route;
  for (const char* worker_route : {"POST /v1/evidence", "POST /v1/evidence:bulk", "POST /v1/pacts",
                                   "GET /v1/scorecards", "POST /v1/packets", "GET /v1/keys",
                                   "POST /v1/webhooks/{id}/test", "POST /v1/reviews/{id}/resolve"})
    EXPECT_EQ(runs.at(worker_route), Runs::kOnWorker) << worker_route;

  // A worker's answer carries the route's real status, and is counted under the route.
  Request req;
  req.method = "GET";
  req.path = "/v1/keys";
  Response later = api.Handle(req);
  ASSERT_NE(later.later, nullptr);
  std::promise<Response> answered;
  auto answer = answered.get_future();
  later.later->OnSend([&answered](Reply::Make make) { answered.set_value(make()); });
  EXPECT_EQ(answer.get().status, 401);
  Request metrics;
  metrics.method = "GET";
  metrics.path = "/metrics";
  EXPECT_NE(Answer(api, metrics).body.find("route=\"/v1/keys\",method=\"GET\",status=\"401\"} 1"),
            std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace pactum::server
