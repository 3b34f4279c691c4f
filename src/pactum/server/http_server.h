// The HTTP/1.1 transport, on Boost.Beast: an acceptor, keep-alive sessions, one io thread per
// core. It enforces the limits of ServerOptions (body size → 413; header, body and idle
// timeouts close the connection) and drains gracefully: on Shutdown() it stops accepting,
// closes idle connections at once, lets requests already being read or handled finish and
// answers them with "Connection: close", and stops when none are left (or when the drain
// timeout ends). What a request means is the RequestHandler's business.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

#include "pactum/base/status.h"
#include "pactum/server/http.h"
#include "pactum/server/options.h"

namespace pactum::server {

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Called on an io thread; may block briefly (e.g. a store read). What waits longer (a durable
  // commit) returns Response::Later and answers through its Reply, from any thread.
  virtual Response Handle(Request& request) = 0;
  // A request the transport answered itself (400 malformed, 413 too large).
  virtual void OnTransportError(int status) = 0;
  virtual void OnConnection(bool opened) = 0;
};

class HttpServer {
 public:
  HttpServer(ServerOptions options, RequestHandler& handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens; fails if the address is taken or invalid.
  Status Listen();
  // The bound port (useful when the options asked for port 0).
  std::uint16_t port() const;
  // From now on SIGINT and SIGTERM start a graceful shutdown (a signal that arrives before Run
  // is held until it runs). Call it before announcing the server, so that no signal sent in
  // reply to the announcement finds the default handler.
  void HandleSignals();
  // Serves until a graceful shutdown completes.
  void Run();
  // Starts a graceful shutdown; thread-safe and idempotent.
  void Shutdown();
  // Runs `hook` once when a graceful shutdown starts, before the drain: for work that holds
  // requests open (long polls) and can answer them now. Set it before Run.
  void OnDrain(std::function<void()> hook);

  struct Impl;  // the io_context, acceptor and sessions (http_server.cc)

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace pactum::server
