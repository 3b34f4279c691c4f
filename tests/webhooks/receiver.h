// A webhook receiver for tests: a real HTTP/1.1 server on a loopback port, one thread per
// connection, that verifies every message it gets with webhooks::Verify (under the secret
// registered for its path), records it, and answers with a status chosen by the test, after
// an optional delay (a slow receiver).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pactum::testing {

struct Received {
  std::string path, id, timestamp, signature, body;
  bool verified = false;
  std::string verify_error;
  std::chrono::steady_clock::time_point at;
};

class Receiver {
 public:
  Receiver();
  ~Receiver();
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  int port() const { return port_; }
  std::string Url(const std::string& path) const;

  // Messages to `path` are verified with `secret`.
  void SetSecret(const std::string& path, const std::string& secret);
  // The status answered to messages to `path` (200 unless set).
  void SetStatus(const std::string& path, int status);
  // Every answer waits this long first.
  void SetDelay(std::chrono::milliseconds delay);

  std::vector<Received> All() const;
  std::vector<Received> To(const std::string& path) const;
  // Waits until `done(messages to path)` holds; false after `timeout`.
  bool WaitFor(const std::string& path,
               const std::function<bool(const std::vector<Received>&)>& done,
               std::chrono::milliseconds timeout) const;

 private:
  void Serve();
  void Handle(int fd);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  std::map<std::string, std::string> secrets_;
  std::map<std::string, int> statuses_;
  std::chrono::milliseconds delay_{0};
  std::vector<Received> received_;
  std::vector<std::thread> connections_;
  std::thread acceptor_;
};

}  // namespace pactum::testing
