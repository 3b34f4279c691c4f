#include "pactum/server/http_server.h"

#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "pactum/base/encoding.h"
#include "pactum/base/thread_name.h"

namespace pactum::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::size_t kReadChunk = 8192;
constexpr std::uint32_t kHeaderLimit = 16 * 1024;
// After answering and deciding to close, keep reading (and discarding) what the client still
// sends for a moment, so that closing does not reset the connection before it reads our answer.
constexpr std::chrono::milliseconds kLingerTime{1'000};
constexpr std::size_t kLingerBytes = 4 << 20;

// Percent-decoding; `plus_is_space` for query strings. False on a malformed escape.
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexDigitValue(in[i + 1]);
      int lo = HexDigitValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi << 4 | lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

Status SplitTarget(std::string_view target, Request* req) {
  std::size_t q = target.find('?');
  if (!PercentDecode(target.substr(0, q), false, &req->path))
    return InvalidArgument("malformed percent-encoding in the request path", {{"field", "path"}});
  if (q == std::string_view::npos) return Status::Ok();
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    std::size_t eq = pair.find('=');
    std::string key, value;
    if (!PercentDecode(pair.substr(0, eq), true, &key) ||
        (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), true, &value)))
      return InvalidArgument("malformed percent-encoding in the query string",
                             {{"field", "query"}});
    if (!key.empty()) req->query[key] = value;
    if (amp == std::string_view::npos) break;
    query = query.substr(amp + 1);
  }
  return Status::Ok();
}

}  // namespace

class Session;

struct HttpServer::Impl {
  Impl(ServerOptions o, RequestHandler& h) : options(std::move(o)), handler(h) {}

  void Accept();
  void SessionStarted(std::uint64_t id, const std::shared_ptr<Session>& session);
  void SessionEnded(std::uint64_t id);
  void BeginDrain();

  ServerOptions options;
  RequestHandler& handler;
  // Declared before the io_context so that sessions destroyed with it can still reach them.
  std::mutex sessions_mu;
  std::map<std::uint64_t, std::weak_ptr<Session>> sessions;
  std::uint64_t next_session = 0;
  std::atomic<bool> draining{false};
  std::atomic<bool> stopped{false};

  asio::io_context ioc;
  asio::strand<asio::io_context::executor_type> control{ioc.get_executor()};
  tcp::acceptor acceptor{control};
  asio::signal_set signals{control};
  asio::steady_timer drain_timer{control};
  std::function<void()> on_drain;  // run on `control` when the drain begins
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpServer::Impl& server, std::uint64_t id)
      : stream_(std::move(socket)), server_(server), id_(id) {}
  ~Session() {
    server_.handler.OnConnection(false);
    server_.SessionEnded(id_);
  }

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->stream_.socket().non_blocking(true, ec);  // Write relies on it
      if (ec) return self->stream_.close();
      self->WaitForRequest();
    });
  }

  // Runs on the session's strand. Idle connections close now; busy ones finish their request.
  void Drain() {
    if (idle_) stream_.close();
  }

  beast::tcp_stream::executor_type executor() { return stream_.get_executor(); }

 private:
  void WaitForRequest() {
    if (server_.draining) return Close();
    idle_ = true;
    if (buffer_.size() > 0) return ReadHeader();
    stream_.expires_after(server_.options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec) return self->Close();  // idle timeout, gone, or drained
                              self->buffer_.commit(n);
                              self->ReadHeader();
                            });
  }

  void ReadHeader() {
    idle_ = false;
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(server_.options.max_body_bytes);
    stream_.expires_after(server_.options.header_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec, "header");
    if (parser_->is_done()) return Handle();
    stream_.expires_after(server_.options.body_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code e, std::size_t) {
                       if (e) return self->OnReadError(e, "body");
                       self->Handle();
                     });
  }

  void OnReadError(beast::error_code ec, const char* phase) {
    if (ec == http::error::body_limit) {
      return Reject(413,
                    ResourceExhausted("request body is larger than the limit of " +
                                          std::to_string(server_.options.max_body_bytes) + " bytes",
                                      {{"limit_bytes", server_.options.max_body_bytes}}));
    }
    if (ec == beast::error::timeout) {
      spdlog::debug("closing connection: {} not received within its timeout", phase);
      return Close();
    }
    if (ec == http::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::error::bad_descriptor) {
      return Close();
    }
    if (ec == http::error::header_limit) {
      return Reject(431, Status(Code::kResourceExhausted, "request headers are too large"));
    }
    Reject(400, InvalidArgument(std::string("malformed HTTP request: ") + ec.message()));
  }

  void Handle() {
    auto& msg = parser_->get();
    Request req;
    req.method = std::string(msg.method_string());
    Status target = SplitTarget(std::string_view(msg.target().data(), msg.target().size()), &req);
    if (!target.ok()) return Reject(400, target);
    for (const auto& field : msg) {
      std::string name(field.name_string());
      for (char& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req.headers[name] = std::string(field.value());
    }
    req.body = std::move(msg.body());
    const bool keep_alive = msg.keep_alive();
    Response response = server_.handler.Handle(req);
    if (!response.later) return Write(std::move(response), keep_alive && !server_.draining);
    // Answered later: the io thread moves on to other connections meanwhile. The session is not
    // idle, so a drain waits for the answer.
    std::shared_ptr<Reply> reply = std::move(response.later);
    reply->OnSend([self = shared_from_this(), keep_alive](Reply::Make make) {
      asio::post(self->stream_.get_executor(), [self, keep_alive, make = std::move(make)] {
        self->Write(make(), keep_alive && !self->server_.draining);
      });
    });
  }

  void Reject(int status, const Status& error) {
    server_.handler.OnTransportError(status);
    Response resp = Response::Error(error);
    resp.status = status;
    Write(std::move(resp), false);
  }

  // The answer as HTTP/1.1 bytes, handed straight to the socket, which nearly always takes a
  // small one whole; only what it does not take is written asynchronously. (Beast's serializer
  // and asynchronous write, whose completion is posted back to the io thread, cost that thread
  // as much again as the system call: every request passes through it.)
  void Write(Response r, bool keep_alive) {
    head_.clear();
    const auto status = static_cast<unsigned>(r.status);
    const beast::string_view reason = http::obsolete_reason(http::int_to_status(status));
    head_.append("HTTP/1.1 ").append(std::to_string(status)).append(" ");
    head_.append(reason.data(), reason.size()).append("\r\nServer: pactum\r\n");
    head_.append("Content-Type: ").append(r.content_type).append("\r\n");
    for (const auto& [name, value] : r.headers)
      head_.append(name).append(": ").append(value).append("\r\n");
    // A 1xx, 204 or 304 answer has no body and must not say how long it is (RFC 9110 §8.6).
    if (status < 200 || status == 204 || status == 304) {
      r.body.clear();
    } else {
      head_.append("Content-Length: ").append(std::to_string(r.body.size())).append("\r\n");
    }
    if (!keep_alive) head_.append("Connection: close\r\n");
    head_.append("\r\n");
    body_ = std::move(r.body);
    const std::array<asio::const_buffer, 2> answer = {asio::buffer(head_), asio::buffer(body_)};
    beast::error_code ec;
    // The socket is non-blocking: this takes what fits and never waits.
    const std::size_t written = stream_.socket().write_some(answer, ec);
    if (ec && ec != asio::error::would_block && ec != asio::error::try_again)
      return stream_.close();
    if (written == head_.size() + body_.size()) return Written(keep_alive);
    auto rest = std::make_shared<beast::buffers_suffix<std::array<asio::const_buffer, 2>>>(answer);
    rest->consume(written);
    stream_.expires_after(server_.options.body_timeout);
    asio::async_write(
        stream_, *rest,
        [self = shared_from_this(), rest, keep_alive](beast::error_code e, std::size_t) {
          if (e) return self->stream_.close();
          self->Written(keep_alive);
        });
  }

  void Written(bool keep_alive) {
    if (!keep_alive || server_.draining) return Close();
    WaitForRequest();
  }

  // Half-closes, then discards what the client still sends for a moment before closing.
  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return stream_.close();
    linger_bytes_ = 0;
    stream_.expires_after(kLingerTime);
    Linger();
  }

  void Linger() {
    stream_.async_read_some(asio::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->linger_bytes_ += n;
                              if (ec || self->linger_bytes_ > kLingerBytes)
                                return self->stream_.close();
                              self->Linger();
                            });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpServer::Impl& server_;
  std::uint64_t id_;
  bool idle_ = false;
  std::size_t linger_bytes_ = 0;
  std::array<char, 4096> scratch_{};
  // The answer being written: one at a time, as the next request is read only after it.
  std::string head_, body_;
};

void HttpServer::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (!acceptor.is_open()) return;
    if (ec) {
      spdlog::warn("accept failed: {}", ec.message());
    } else {
      std::uint64_t id;
      {
        std::lock_guard lock(sessions_mu);
        id = next_session++;
      }
      auto session = std::make_shared<Session>(std::move(socket), *this, id);
      handler.OnConnection(true);
      SessionStarted(id, session);
      session->Start();
    }
    Accept();
  });
}

void HttpServer::Impl::SessionStarted(std::uint64_t id, const std::shared_ptr<Session>& session) {
  std::lock_guard lock(sessions_mu);
  sessions[id] = session;
}

void HttpServer::Impl::SessionEnded(std::uint64_t id) {
  std::size_t left;
  {
    std::lock_guard lock(sessions_mu);
    sessions.erase(id);
    left = sessions.size();
  }
  if (left == 0 && draining && !stopped) asio::post(control, [this] { drain_timer.cancel(); });
}

void HttpServer::Impl::BeginDrain() {
  beast::error_code ec;
  acceptor.close(ec);
  signals.cancel(ec);
  if (on_drain) std::exchange(on_drain, nullptr)();
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(sessions_mu);
    for (auto& [id, weak] : sessions)
      if (auto s = weak.lock()) live.push_back(std::move(s));
  }
  spdlog::info("shutting down: {} connection(s) to drain", live.size());
  for (auto& s : live)
    asio::post(s->executor(), [s] { s->Drain(); });
  if (live.empty()) return;
  drain_timer.expires_after(options.drain_timeout);
  drain_timer.async_wait([this](beast::error_code e) {
    if (e) return;  // cancelled: every connection finished
    spdlog::warn("drain timeout reached; stopping with requests still open");
    ioc.stop();
  });
}

HttpServer::HttpServer(ServerOptions options, RequestHandler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}

HttpServer::~HttpServer() = default;

Status HttpServer::Listen() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec)
    return InvalidArgument("bad listen host \"" + impl_->options.host + "\"",
                           {{"field", "listen"}});
  tcp::endpoint endpoint(address, impl_->options.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Unavailable("cannot listen on " + impl_->options.host + ":" +
                       std::to_string(impl_->options.port) + ": " + ec.message());
  return Status::Ok();
}

std::uint16_t HttpServer::port() const {
  beast::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void HttpServer::OnDrain(std::function<void()> hook) {
  impl_->on_drain = std::move(hook);
}

void HttpServer::HandleSignals() {
  Impl& impl = *impl_;
  impl.signals.add(SIGINT);
  impl.signals.add(SIGTERM);
  impl.signals.async_wait([this](beast::error_code ec, int signo) {
    if (ec) return;
    spdlog::info("received signal {}", signo);
    Shutdown();
  });
}

void HttpServer::Run() {
  Impl& impl = *impl_;
  asio::post(impl.control, [&impl] { impl.Accept(); });
  // By default half the cores: the io threads only read and write (what waits runs on the API's
  // workers), and the log's sequencer, which every decision waits for, needs a core of its own.
  int n = impl.options.threads > 0
              ? impl.options.threads
              : static_cast<int>(std::max(1u, std::thread::hardware_concurrency() / 2));
  std::vector<std::thread> threads;
  for (int i = 1; i < n; ++i)
    threads.emplace_back([&impl] {
      NameThisThread("pactum-io");
      impl.ioc.run();
    });
  impl.ioc.run();
  for (auto& t : threads)
    t.join();
  impl.stopped = true;
}

void HttpServer::Shutdown() {
  if (impl_->draining.exchange(true)) return;
  asio::post(impl_->control, [impl = impl_.get()] { impl->BeginDrain(); });
}

}  // namespace pactum::server
