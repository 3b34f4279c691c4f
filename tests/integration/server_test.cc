// The real `pactum serve` binary, over real HTTP on loopback.
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"

namespace pactum::testing {
namespace {

using std::chrono::milliseconds;

class ServerTest : public ::testing::Test {
 protected:
  void StartServer(const std::vector<std::string>& extra = {}) {
    server_ = ServerProcess::Start(dir_.path() / "data", extra);
    ASSERT_NE(server_, nullptr);
    admin_ = server_->bootstrap_key();
    ASSERT_FALSE(admin_.empty()) << "a first start prints a bootstrap admin key";
  }
  std::string WriteConfig(const std::string& yaml) {
    auto p = dir_.path() / "pactum.yaml";
    std::ofstream(p) << yaml;
    return p.string();
  }
  // Creates a key through the API and returns its secret.
  std::string CreateKey(const std::string& admin, const std::string& scopes_json) {
    auto r = server_->client().Post("/v1/keys", R"({"name":"test","scopes":)" + scopes_json + "}",
                                    admin);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("secret", "");
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string admin_;
};

void ExpectError(const HttpResult& r, long status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  Json j = r.json();
  ASSERT_TRUE(j.contains("error")) << r.body;
  EXPECT_EQ(j["error"]["code"], code) << r.body;
  EXPECT_TRUE(j["error"]["message"].is_string());
  EXPECT_TRUE(j["error"]["details"].is_object());
}

TEST_F(ServerTest, HealthAndMetrics) {
  StartServer();
  auto c = server_->client();
  auto health = c.Get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.json()["status"], "ok");
  c.Get("/v1/whoami");  // a 401, to be counted
  auto metrics = c.Get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.headers["content-type"].find("text/plain"), std::string::npos);
  EXPECT_NE(metrics.body.find(
                "pactum_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("route=\"/v1/whoami\",method=\"GET\",status=\"401\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("pactum_http_request_duration_seconds_bucket{route=\"/"
                              "healthz\",method=\"GET\",le=\"+Inf\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("# TYPE pactum_http_request_duration_seconds histogram"),
            std::string::npos);
  // The log's group commits, once an agent's registration has been logged: as many timed as
  // counted, none failed, none waiting.
  auto agent = c.Post("/v1/agents",
                      R"({"id":"triage-1","owner":"soc","assets":{"system_prompt":"x"}})", admin_);
  ASSERT_EQ(agent.status, 201) << agent.body;
  const std::string log = c.Get("/metrics").body;
  auto value = [&log](const std::string& series) -> long long {
    const std::size_t at = log.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stoll(log.substr(at + series.size() + 2));
  };
  EXPECT_NE(log.find("# TYPE pactum_log_commit_duration_seconds histogram"), std::string::npos);
  EXPECT_GE(value("pactum_log_commits_total"), 1) << log;
  EXPECT_EQ(value("pactum_log_commit_duration_seconds_count"), value("pactum_log_commits_total"));
  EXPECT_EQ(value("pactum_log_commit_failures_total"), 0);
  EXPECT_EQ(value("pactum_log_leaves_queued"), 0);
  EXPECT_GE(value("pactum_log_leaves_committed_total"), 1);
  EXPECT_GE(value("pactum_log_leaves"), value("pactum_log_leaves_committed_total"));
}

TEST_F(ServerTest, KeysAndScopes) {
  StartServer();
  auto c = server_->client();
  ExpectError(c.Get("/v1/whoami"), 401, "unauthenticated");
  ExpectError(c.Get("/v1/whoami", "pk_not-a-real-key"), 401, "unauthenticated");
  ExpectError(c.Get("/v1/whoami", "pk_" + std::string(43, 'A')), 401, "unauthenticated");

  auto who = c.Get("/v1/whoami", admin_);
  ASSERT_EQ(who.status, 200) << who.body;
  EXPECT_EQ(who.json()["tenant"], "default");
  EXPECT_EQ(who.json()["scopes"], Json::array({"admin"}));

  std::string reader = CreateKey(admin_, R"(["read"])");
  EXPECT_EQ(c.Get("/v1/whoami", reader).status, 200);
  auto forbidden = c.Get("/v1/keys", reader);
  ExpectError(forbidden, 403, "permission_denied");
  EXPECT_EQ(forbidden.json()["error"]["details"]["required_scope"], "admin");

  ExpectError(c.Post("/v1/keys", R"({"name":"x","scopes":["root"]})", admin_), 400,
              "invalid_argument");
  ExpectError(c.Post("/v1/keys", R"({"name":"x","scopes":["read"],"extra":1})", admin_), 400,
              "invalid_argument");

  // Revocation takes effect at once.
  auto listed = c.Get("/v1/keys", admin_).json()["keys"];
  ASSERT_EQ(listed.size(), 2u);
  std::string reader_id = listed[1]["id"];
  EXPECT_EQ(listed[1]["scopes"], Json::array({"read"}));
  EXPECT_FALSE(listed[1].contains("secret"));
  EXPECT_EQ(c.Delete("/v1/keys/" + reader_id, admin_).status, 200);
  ExpectError(c.Get("/v1/whoami", reader), 401, "unauthenticated");
  ExpectError(c.Delete("/v1/keys/" + reader_id, admin_), 404, "not_found");
}

// The server caches live keys; `pactum keys revoke`, another process on the same folder, must
// still end a key at once.
TEST_F(ServerTest, AKeyRevokedByTheCliWhileTheServerRunsIsRefusedAtOnce) {
  StartServer();
  auto c = server_->client();
  std::string reader = CreateKey(admin_, R"(["read"])");
  ASSERT_EQ(c.Get("/v1/whoami", reader).status, 200);
  ASSERT_EQ(c.Get("/v1/whoami", reader).status, 200);  // cached by now
  auto listed = c.Get("/v1/keys", admin_).json()["keys"];
  ASSERT_EQ(listed.size(), 2u);
  const std::string reader_id = listed[1]["id"];
  std::string out, err;
  ASSERT_EQ(RunPactum({"keys", "revoke", "--data", (dir_.path() / "data").string(), reader_id},
                      &out, &err),
            0)
      << err;
  ExpectError(c.Get("/v1/whoami", reader), 401, "unauthenticated");
  EXPECT_EQ(c.Get("/v1/whoami", admin_).status, 200);  // other keys are unaffected
}

TEST_F(ServerTest, TenantsNeverSeeEachOther) {
  StartServer();
  auto c = server_->client();
  // A second tenant, created by the operator CLI against the live data folder.
  std::string out, err;
  ASSERT_EQ(RunPactum({"keys", "create", "--data", (dir_.path() / "data").string(), "--tenant",
                       "acme-soc", "--name", "acme admin", "--scopes", "admin", "--json"},
                      &out, &err),
            0)
      << err;
  Json created = Json::parse(out);
  std::string acme = created["secret"];
  std::string acme_key_id = created["id"];
  EXPECT_EQ(c.Get("/v1/whoami", acme).json()["tenant"], "acme-soc");

  auto default_keys = c.Get("/v1/keys", admin_).json()["keys"];
  for (const auto& k : default_keys)
    EXPECT_EQ(k["tenant"], "default");
  auto acme_keys = c.Get("/v1/keys", acme).json()["keys"];
  ASSERT_EQ(acme_keys.size(), 1u);
  EXPECT_EQ(acme_keys[0]["tenant"], "acme-soc");
  // Another tenant's key cannot be revoked, nor told apart from a missing one.
  ExpectError(c.Delete("/v1/keys/" + acme_key_id, admin_), 404, "not_found");
  EXPECT_EQ(c.Get("/v1/whoami", acme).status, 200);
  // A key created by a tenant's admin belongs to that tenant.
  std::string acme_reader = CreateKey(acme, R"(["read"])");
  EXPECT_EQ(c.Get("/v1/whoami", acme_reader).json()["tenant"], "acme-soc");
}

TEST_F(ServerTest, OversizedBodyIs413) {
  StartServer();
  auto c = server_->client();
  std::string big = R"({"name":")" + std::string((1 << 20) + 10, 'x') + R"(","scopes":["read"]})";
  auto r = c.Post("/v1/keys", big, admin_);
  ExpectError(r, 413, "resource_exhausted");
  EXPECT_EQ(r.json()["error"]["details"]["limit_bytes"], 1 << 20);
  // The server is still fine.
  EXPECT_EQ(c.Get("/healthz").status, 200);
}

TEST_F(ServerTest, BodyLimitIsConfigurable) {
  StartServer({"--config", WriteConfig("max_body_bytes: 100\n")});
  auto c = server_->client();
  ExpectError(c.Post("/v1/keys", R"({"name":")" + std::string(200, 'x') + R"("})", admin_), 413,
              "resource_exhausted");
  EXPECT_EQ(c.Post("/v1/keys", R"({"name":"k","scopes":["read"]})", admin_).status, 201);
}

TEST_F(ServerTest, MalformedJsonNamesThePosition) {
  StartServer();
  auto r = server_->client().Post("/v1/keys", "{\n  \"name\": \"x\",\n  \"scopes\": [\"read\"\n}",
                                  admin_);
  ExpectError(r, 400, "invalid_argument");
  Json e = r.json()["error"];
  EXPECT_EQ(e["details"]["line"], 4) << r.body;
  EXPECT_NE(e["message"].get<std::string>().find("line 4, column 1"), std::string::npos) << r.body;
  ExpectError(server_->client().Post("/v1/keys", R"({"name": 1e999, "scopes": ["read"]})", admin_),
              400, "invalid_argument");
  ExpectError(server_->client().Post("/v1/keys", R"({"name": 5, "scopes": ["read"]})", admin_), 400,
              "invalid_argument");
}

TEST_F(ServerTest, UnknownRoutesAndMethods) {
  StartServer();
  auto c = server_->client();
  ExpectError(c.Get("/v1/nothing-here", admin_), 404, "not_found");
  auto r = c.Send("PUT", "/healthz", "", "");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers["allow"], "GET");
}

TEST_F(ServerTest, SlowClientIsCutOff) {
  StartServer({"--config", WriteConfig("header_timeout_ms: 300\nbody_timeout_ms: 300\n")});
  // Headers that never finish.
  RawConnection slow_headers(server_->port());
  ASSERT_TRUE(slow_headers.connected());
  ASSERT_TRUE(slow_headers.Send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "));
  // A body that never finishes.
  RawConnection slow_body(server_->port());
  ASSERT_TRUE(
      slow_body.Send("POST /v1/keys HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"na"));
  const auto start = std::chrono::steady_clock::now();
  bool closed_headers = false, closed_body = false;
  slow_headers.ReadUntilClosed(milliseconds(5'000), &closed_headers);
  slow_body.ReadUntilClosed(milliseconds(5'000), &closed_body);
  EXPECT_TRUE(closed_headers);
  EXPECT_TRUE(closed_body);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
  EXPECT_EQ(server_->client().Get("/healthz").status, 200);
}

// The header's time runs from its first byte, not from the last one: a client trickling a byte
// every 100 ms, each well within 300 ms of the one before, is still cut off.
TEST_F(ServerTest, AHeaderTricklingInIsCutOffAtItsTimeout) {
  StartServer({"--config", WriteConfig("header_timeout_ms: 300\n")});
  RawConnection trickle(server_->port());
  ASSERT_TRUE(trickle.connected());
  ASSERT_TRUE(trickle.Send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "));
  const auto start = std::chrono::steady_clock::now();
  bool sent = true;
  while (sent && std::chrono::steady_clock::now() - start < std::chrono::seconds(3)) {
    std::this_thread::sleep_for(milliseconds(100));
    sent = trickle.Send("a");  // fails once the server has closed
  }
  bool closed = false;
  trickle.ReadUntilClosed(milliseconds(1'000), &closed);
  EXPECT_TRUE(closed);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2'500));
}

// What is not HTTP, or too much of a header, gets its status and a closed connection; a client
// that hangs up mid-request is let go. The server carries on.
TEST_F(ServerTest, MalformedRequestsAreAnsweredAndClosed) {
  StartServer();
  auto exchange = [&](const std::string& bytes, bool half_close) {
    RawConnection raw(server_->port());
    EXPECT_TRUE(raw.Send(bytes));
    if (half_close) raw.HalfClose();
    bool closed = false;
    const std::string got = raw.ReadUntilClosed(milliseconds(5'000), &closed);
    EXPECT_TRUE(closed);
    return got;
  };
  EXPECT_EQ(exchange("NOT HTTP AT ALL\r\n\r\n", false).rfind("HTTP/1.1 400 ", 0), 0u);
  const std::string huge =
      "GET /healthz HTTP/1.1\r\nX-Big: " + std::string(20'000, 'x') + "\r\n\r\n";
  EXPECT_EQ(exchange(huge, false).rfind("HTTP/1.1 431 ", 0), 0u);
  EXPECT_EQ(exchange("GET /healthz HTTP/1.1\r\nHost:", true).rfind("HTTP/1.1 400 ", 0), 0u);
  EXPECT_EQ(server_->client().Get("/healthz").status, 200);
}

TEST_F(ServerTest, SigtermDrainsInFlightRequests) {
  StartServer();
  const std::string body = R"({"name":"drained","scopes":["read"]})";
  RawConnection in_flight(server_->port());
  ASSERT_TRUE(in_flight.Send("POST /v1/keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                             admin_ + "\r\nContent-Length: " + std::to_string(body.size()) +
                             "\r\n\r\n" + body.substr(0, 10)));
  RawConnection idle(server_->port());
  ASSERT_TRUE(idle.connected());
  std::this_thread::sleep_for(milliseconds(200));
  server_->Signal(SIGTERM);
  std::this_thread::sleep_for(milliseconds(300));
  // The idle keep-alive connection is closed at once; the server is still waiting on the other.
  bool idle_closed = false;
  idle.ReadUntilClosed(milliseconds(2'000), &idle_closed);
  EXPECT_TRUE(idle_closed);
  EXPECT_TRUE(server_->Alive());
  // The request in flight completes and is answered, with the connection closing after it.
  ASSERT_TRUE(in_flight.Send(body.substr(10)));
  bool closed = false;
  std::string response = in_flight.ReadUntilClosed(milliseconds(5'000), &closed);
  EXPECT_NE(response.find("HTTP/1.1 201"), std::string::npos) << response;
  EXPECT_NE(response.find("Connection: close"), std::string::npos) << response;
  EXPECT_TRUE(closed);
  EXPECT_EQ(server_->Wait(milliseconds(5'000)), 0) << server_->Log();
}

// A handler that waits on something slow runs on a worker, not on an io thread. Here the slow
// thing is a webhook test sent to a receiver that accepts and never answers (the sender gives up
// after 15 s): with a single io thread, other requests, store-backed ones included, are answered
// while it waits.
TEST_F(ServerTest, AHandlerWaitingOnTheNetworkDoesNotHoldTheIoThread) {
  StartServer({"--config", WriteConfig("threads: 1\n")});
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(listener, 4), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string hook_url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/hook";

  auto c = server_->client();
  auto hook = c.Post("/v1/webhooks", Json{{"url", hook_url}, {"events", {"*"}}}.dump(), admin_);
  ASSERT_EQ(hook.status, 201) << hook.body;
  HttpResult tested;
  std::thread stalled([&] {
    tested = c.Post("/v1/webhooks/" + hook.json()["id"].get<std::string>() + "/test", "", admin_);
  });
  // The handler is mid-call once the server has connected to the silent receiver.
  pollfd ready{listener, POLLIN, 0};
  ASSERT_EQ(poll(&ready, 1, 5'000), 1) << "the webhook test never reached the receiver";
  const int silent = accept(listener, nullptr, nullptr);
  ASSERT_GE(silent, 0);

  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(c.Get("/v1/whoami", admin_).status, 200);  // answered on the io thread
  EXPECT_EQ(c.Get("/v1/keys", admin_).status, 200);    // answered on another worker
  EXPECT_EQ(c.Get("/healthz").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));

  close(silent);  // the receiver hangs up: the test call ends, undelivered
  stalled.join();
  close(listener);
  EXPECT_EQ(tested.status, 200) << tested.body;
  EXPECT_EQ(tested.json()["delivered"], false) << tested.body;
}

// Answers the socket does not take at once (two hundred pipelined API descriptions, ~7 MB, to
// a client with a small receive buffer that starts reading late: more than the kernel buffers)
// are finished asynchronously, each whole and in order, and the connection then serves what
// was pipelined behind them; "Connection: close" ends it after the last answer.
TEST_F(ServerTest, AnswersTheSocketCannotTakeAtOnceArriveWholeAndInOrder) {
  StartServer();
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  const int small = 4096;
  ASSERT_EQ(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small), 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(server_->port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  constexpr int kLarge = 200;
  std::string requests;
  for (int i = 0; i < kLarge; ++i)
    requests += "GET /v1/openapi.json HTTP/1.1\r\nHost: x\r\n\r\n";
  requests += "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(send(fd, requests.data(), requests.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(requests.size()));
  std::this_thread::sleep_for(milliseconds(500));  // the server's writes fill the buffers
  std::string got;
  char chunk[65536];
  for (ssize_t n; (n = recv(fd, chunk, sizeof chunk, 0)) > 0;)
    got.append(chunk, static_cast<std::size_t>(n));
  close(fd);
  // Each answer in turn, by its Content-Length.
  std::vector<std::string> heads, bodies;
  for (std::size_t at = 0; at < got.size();) {
    const std::size_t head_end = got.find("\r\n\r\n", at);
    ASSERT_NE(head_end, std::string::npos) << "answer " << heads.size() << " is cut short";
    heads.push_back(got.substr(at, head_end - at));
    const std::size_t length_at = heads.back().find("Content-Length: ");
    ASSERT_NE(length_at, std::string::npos) << heads.back();
    const std::size_t length = std::stoul(heads.back().substr(length_at + 16));
    ASSERT_LE(head_end + 4 + length, got.size()) << "answer " << heads.size() << " is cut short";
    bodies.push_back(got.substr(head_end + 4, length));
    at = head_end + 4 + length;
  }
  ASSERT_EQ(heads.size(), static_cast<std::size_t>(kLarge + 1));
  for (int i = 0; i < kLarge; ++i) {
    EXPECT_EQ(heads[i].rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << heads[i];
    EXPECT_EQ(bodies[i], bodies[0]) << "answer " << i;
  }
  Json openapi = Json::parse(bodies[0], nullptr, false);
  ASSERT_FALSE(openapi.is_discarded());
  EXPECT_TRUE(openapi.contains("openapi"));
  EXPECT_GT(kLarge * bodies[0].size(), std::size_t{4} << 20);  // beyond the kernel's buffers
  EXPECT_NE(heads.back().find("Connection: close"), std::string::npos) << heads.back();
  EXPECT_EQ(Json::parse(bodies.back())["status"], "ok");
}

TEST_F(ServerTest, RestartKeepsKeys) {
  StartServer();
  std::string reader = CreateKey(admin_, R"(["read"])");
  server_->Signal(SIGINT);
  ASSERT_EQ(server_->Wait(milliseconds(5'000)), 0);
  server_ = ServerProcess::Start(dir_.path() / "data");
  ASSERT_NE(server_, nullptr);
  EXPECT_EQ(server_->bootstrap_key(), "") << "only the first start prints a bootstrap key";
  EXPECT_EQ(server_->client().Get("/v1/whoami", admin_).status, 200);
  EXPECT_EQ(server_->client().Get("/v1/whoami", reader).status, 200);
}

TEST_F(ServerTest, JsonLinesLogging) {
  StartServer({"--config", WriteConfig("log_format: json\n")});
  server_->Signal(SIGTERM);
  ASSERT_EQ(server_->Wait(milliseconds(5'000)), 0);
  std::istringstream log(server_->Log());
  int lines = 0;
  for (std::string line; std::getline(log, line);) {
    Json j = Json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << "not JSON: " << line;
    EXPECT_TRUE(j["time"].is_string());
    EXPECT_TRUE(j["level"].is_string());
    EXPECT_TRUE(j["msg"].is_string());
    ++lines;
  }
  EXPECT_GE(lines, 2);  // "listening on ..." and "stopped" at least
}

TEST_F(ServerTest, BadConfigNamesTheLine) {
  TempDir data;
  std::string out, err;
  std::string config = WriteConfig("listen: 127.0.0.1:0\nmax_body_byte: 5\n");
  EXPECT_EQ(RunPactum({"serve", "--data", data.path().string(), "--config", config}, &out, &err),
            1);
  EXPECT_NE(err.find(":2: max_body_byte: unknown key"), std::string::npos) << err;
}

TEST(Cli, BadFlagsAreOneLineAndExit2) {
  std::string out, err;
  EXPECT_EQ(RunPactum({"serve", "--no-such-flag"}, &out, &err), 2);
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_NE(err.find("--no-such-flag"), std::string::npos) << err;
  EXPECT_EQ(RunPactum({"frobnicate"}, &out, &err), 2);
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_EQ(RunPactum({"keys", "create", "--tenant", "t"}, &out, &err), 2);
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
}

TEST(Cli, HelpAndVersion) {
  std::string out, err;
  EXPECT_EQ(RunPactum({"--help"}, &out, &err), 0);
  EXPECT_NE(out.find("serve"), std::string::npos);
  EXPECT_EQ(RunPactum({"keys", "create", "--help"}, &out, &err), 0);
  EXPECT_NE(out.find("--scopes"), std::string::npos);
  EXPECT_EQ(RunPactum({"version"}, &out, &err), 0);
  EXPECT_EQ(out.rfind("pactum ", 0), 0u);
}

TEST(Cli, KeysLifecycle) {
  TempDir data;
  std::string out, err;
  const std::string d = data.path().string();
  ASSERT_EQ(RunPactum({"keys", "create", "--data", d, "--tenant", "soc", "--name", "ci", "--scopes",
                       "read,decide", "--json"},
                      &out, &err),
            0)
      << err;
  std::string id = Json::parse(out)["id"];
  EXPECT_EQ(RunPactum({"keys", "create", "--data", d, "--tenant", "soc", "--name", "bad",
                       "--scopes", "read,sudo"},
                      &out, &err),
            1);
  EXPECT_NE(err.find("unknown scope \"sudo\""), std::string::npos) << err;
  ASSERT_EQ(RunPactum({"keys", "list", "--data", d}, &out, &err), 0);
  EXPECT_NE(out.find(id), std::string::npos);
  EXPECT_NE(out.find("active"), std::string::npos);
  ASSERT_EQ(RunPactum({"keys", "revoke", "--data", d, id}, &out, &err), 0) << err;
  ASSERT_EQ(RunPactum({"keys", "list", "--data", d, "--json"}, &out, &err), 0);
  EXPECT_FALSE(Json::parse(out)[0]["revoked_at"].is_null());
  EXPECT_EQ(RunPactum({"keys", "revoke", "--data", d, id}, &out, &err), 1);
}

}  // namespace
}  // namespace pactum::testing
