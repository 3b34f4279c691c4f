// pactum-judge-server: an OpenAI-compatible chat-completions endpoint on loopback that tests
// and benchmarks start as a real process (DESIGN §8: never an in-process fake).
//
// It prints its URL ("http://127.0.0.1:PORT") as the first line of stdout, then serves until
// killed. POST /v1/chat/completions scores deterministically: the share of the rubric's key
// terms (the system message's "Key terms:" line, comma-separated) that the delimited content
// of the user message contains, case-insensitively. The request's `model` chooses a behaviour:
//   judge-fail        500
//   judge-slow        sleeps --slow-ms (default 10000) before answering
//   judge-429         429 with Retry-After (--retry-after seconds) the first time it sees a
//                     request body, then answers normally
//   judge-contrarian  1 - score
//   judge-garbage     an assistant message that is not JSON
//   judge-noisy-*     score moved by up to ±0.1, fixed per model and content
//   agent-echo        an agent, not a judge: the user message back as the assistant message
//   anything else     the score
// POST /v1/agent echoes its JSON body as {"echo": body} (an agent for the `http` adapter);
// GET /stats answers {"chat_requests": n}.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "pactum/base/digest.h"
#include "pactum/base/encoding.h"
#include "pactum/base/json.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using pactum::Json;

struct Options {
  int slow_ms = 10'000;
  int retry_after_s = 1;
};

struct State {
  Options options;
  std::atomic<std::uint64_t> chat_requests{0};
  std::mutex mu;
  std::set<std::string> seen_429;  // request bodies already answered 429 once
};

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string Trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

// The key terms of the rubric: the comma-separated list after "Key terms:".
std::vector<std::string> KeyTerms(const std::string& rubric) {
  std::vector<std::string> terms;
  const auto at = rubric.find("Key terms:");
  if (at == std::string::npos) return terms;
  const auto start = at + std::string("Key terms:").size();
  const auto end = rubric.find('\n', start);
  std::string list = rubric.substr(start, end == std::string::npos ? end : end - start);
  std::size_t from = 0;
  while (from <= list.size()) {
    auto comma = list.find(',', from);
    if (comma == std::string::npos) comma = list.size();
    std::string term = Lower(Trim(list.substr(from, comma - from)));
    if (!term.empty()) terms.push_back(term);
    from = comma + 1;
  }
  return terms;
}

// The text between "<<<CONTENT b>>>\n" and "\n<<<END CONTENT b>>>", or the whole message.
std::string DelimitedContent(const std::string& user) {
  const std::string open = "<<<CONTENT ";
  const auto at = user.find(open);
  if (at == std::string::npos) return user;
  const auto close = user.find(">>>\n", at);
  if (close == std::string::npos) return user;
  const std::string boundary = user.substr(at + open.size(), close - at - open.size());
  const auto end = user.find("\n<<<END CONTENT " + boundary + ">>>", close);
  if (end == std::string::npos) return user;
  return user.substr(close + 4, end - close - 4);
}

struct Answer {
  unsigned status = 200;
  std::string body;
  std::string retry_after;
};

Answer ChatCompletion(State& state, const std::string& body) {
  ++state.chat_requests;
  auto request = pactum::ParseJson(body);
  if (!request.ok() || !request->is_object() || !(*request)["messages"].is_array())
    return {400, R"({"error":{"message":"expected a JSON object with messages"}})", ""};
  const std::string model = request->value("model", "");
  std::string system, user;
  for (const Json& m : (*request)["messages"]) {
    if (!m.is_object() || !m["content"].is_string()) continue;
    if (m.value("role", "") == "system") system += m["content"].get<std::string>();
    if (m.value("role", "") == "user") user += m["content"].get<std::string>();
  }
  if (model == "judge-fail") return {500, R"({"error":{"message":"judge failed on demand"}})", ""};
  if (model == "judge-slow")
    std::this_thread::sleep_for(std::chrono::milliseconds(state.options.slow_ms));
  if (model == "judge-429") {
    std::lock_guard<std::mutex> lock(state.mu);
    if (state.seen_429.insert(body).second)
      return {429, R"({"error":{"message":"rate limited on demand"}})",
              std::to_string(state.options.retry_after_s)};
  }
  std::string content;
  if (model == "agent-echo") {
    content = user;
  } else if (model == "judge-garbage") {
    content = "I think this is quite good, maybe 0.8?";
  } else {
    const std::string text = Lower(DelimitedContent(user));
    const std::vector<std::string> terms = KeyTerms(system);
    std::vector<std::string> missing;
    for (const std::string& t : terms)
      if (text.find(t) == std::string::npos) missing.push_back(t);
    double score = terms.empty() ? 0.5 : 1.0 - static_cast<double>(missing.size()) / terms.size();
    if (model == "judge-contrarian") score = 1.0 - score;
    if (model.rfind("judge-noisy", 0) == 0) {
      const auto digest = pactum::Sha256(model + "\n" + text);
      score += (static_cast<double>(digest[0]) / 255.0 - 0.5) * 0.2;
      score = std::clamp(score, 0.0, 1.0);
    }
    std::string reason = "contains " + std::to_string(terms.size() - missing.size()) + " of " +
                         std::to_string(terms.size()) + " key terms";
    for (std::size_t i = 0; i < missing.size(); ++i)
      reason += (i == 0 ? "; missing: " : ", ") + missing[i];
    content =
        Json{{"score", score}, {"verdict", score >= 0.5 ? "pass" : "fail"}, {"reason", reason}}
            .dump();
  }
  Json answer = {
      {"id", "chatcmpl-" + pactum::HexEncode(pactum::AsBytes(pactum::Sha256(body))).substr(0, 12)},
      {"object", "chat.completion"},
      {"model", model},
      {"choices", Json::array({{{"index", 0},
                                {"message", {{"role", "assistant"}, {"content", content}}},
                                {"finish_reason", "stop"}}})},
      {"usage",
       {{"prompt_tokens", (system.size() + user.size()) / 4},
        {"completion_tokens", content.size() / 4},
        {"total_tokens", (system.size() + user.size() + content.size()) / 4}}}};
  return {200, answer.dump(), ""};
}

Answer Route(State& state, const http::request<http::string_body>& req) {
  const std::string target(req.target());
  if (req.method() == http::verb::post && target == "/v1/chat/completions")
    return ChatCompletion(state, req.body());
  if (req.method() == http::verb::post && target == "/v1/agent") {
    auto input = pactum::ParseJson(req.body());
    if (!input.ok()) return {400, Json{{"error", {{"message", "body is not JSON"}}}}.dump(), ""};
    return {200, Json{{"echo", *input}}.dump(), ""};
  }
  if (req.method() == http::verb::get && target == "/stats")
    return {200, Json{{"chat_requests", state.chat_requests.load()}}.dump(), ""};
  return {404, R"({"error":{"message":"no such route"}})", ""};
}

void Serve(State& state, tcp::socket socket) {
  beast::error_code ec;
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(16 << 20);
    http::read(socket, buffer, parser, ec);
    if (ec) break;
    const auto& req = parser.get();
    const Answer answer = Route(state, req);
    http::response<http::string_body> res{static_cast<http::status>(answer.status), req.version()};
    res.set(http::field::content_type, "application/json");
    if (!answer.retry_after.empty()) res.set(http::field::retry_after, answer.retry_after);
    res.keep_alive(req.keep_alive());
    res.body() = answer.body;
    res.prepare_payload();
    http::write(socket, res, ec);
    if (ec || !res.keep_alive()) break;
  }
  socket.shutdown(tcp::socket::shutdown_both, ec);
}

// A whole non-negative number no larger than `max`, or -1.
long Number(const char* text, long max) {
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  return end != text && *end == '\0' && value >= 0 && value <= max ? value : -1;
}

}  // namespace

int main(int argc, char** argv) {
  State state;
  long port = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const long value = i + 1 < argc ? Number(argv[i + 1], arg == "--port" ? 65535 : 3'600'000) : -1;
    if (value < 0 || (arg != "--port" && arg != "--slow-ms" && arg != "--retry-after")) {
      std::cerr << "usage: pactum-judge-server [--port N] [--slow-ms MS] [--retry-after S]\n";
      return 2;
    }
    ++i;
    if (arg == "--port") port = value;
    if (arg == "--slow-ms") state.options.slow_ms = static_cast<int>(value);
    if (arg == "--retry-after") state.options.retry_after_s = static_cast<int>(value);
  }
  asio::io_context io;
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"),
                               static_cast<unsigned short>(port));
  tcp::acceptor acceptor(io);
  beast::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    std::cerr << "pactum-judge-server: cannot listen on 127.0.0.1:" << port << ": " << ec.message()
              << "\n";
    return 1;
  }
  std::cout << "http://127.0.0.1:" << acceptor.local_endpoint().port() << std::endl;
  for (;;) {
    tcp::socket socket(io);
    acceptor.accept(socket, ec);
    if (ec) continue;
    std::thread([&state, s = std::move(socket)]() mutable { Serve(state, std::move(s)); }).detach();
  }
}
