#include "receiver.h"

#include <algorithm>
#include <cctype>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pactum/base/clock.h"
#include "pactum/webhooks/signature.h"

namespace pactum::testing {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool SendAll(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

Receiver::Receiver() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::listen(listen_fd_, 64);
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { Serve(); });
}

Receiver::~Receiver() {
  stopping_ = true;
  acceptor_.join();
  ::close(listen_fd_);
  std::vector<std::thread> connections;
  {
    std::lock_guard lock(mu_);
    connections.swap(connections_);
  }
  for (auto& t : connections)
    t.join();
}

std::string Receiver::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void Receiver::SetSecret(const std::string& path, const std::string& secret) {
  std::lock_guard lock(mu_);
  secrets_[path] = secret;
}

void Receiver::SetStatus(const std::string& path, int status) {
  std::lock_guard lock(mu_);
  statuses_[path] = status;
}

void Receiver::SetDelay(std::chrono::milliseconds delay) {
  std::lock_guard lock(mu_);
  delay_ = delay;
}

std::vector<Received> Receiver::All() const {
  std::lock_guard lock(mu_);
  return received_;
}

std::vector<Received> Receiver::To(const std::string& path) const {
  std::lock_guard lock(mu_);
  std::vector<Received> out;
  for (const Received& r : received_)
    if (r.path == path) out.push_back(r);
  return out;
}

bool Receiver::WaitFor(const std::string& path,
                       const std::function<bool(const std::vector<Received>&)>& done,
                       std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mu_);
  while (true) {
    std::vector<Received> matching;
    for (const Received& r : received_)
      if (r.path == path) matching.push_back(r);
    if (done(matching)) return true;
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout) {
      lock.unlock();
      return done(To(path));
    }
  }
}

void Receiver::Serve() {
  while (!stopping_) {
    pollfd pfd{listen_fd_, POLLIN, 0};
    if (::poll(&pfd, 1, 50) <= 0) continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    std::lock_guard lock(mu_);
    connections_.emplace_back([this, fd] { Handle(fd); });
  }
}

// Reads one request (headers and a Content-Length body), records it, answers, and closes.
void Receiver::Handle(int fd) {
  std::string data;
  std::size_t header_end = std::string::npos;
  std::size_t body_size = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::map<std::string, std::string> headers;
  std::string path;
  while (std::chrono::steady_clock::now() < deadline && !stopping_) {
    if (header_end != std::string::npos && data.size() >= header_end + 4 + body_size) break;
    pollfd pfd{fd, POLLIN, 0};
    if (::poll(&pfd, 1, 50) <= 0) continue;
    char buf[8192];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    data.append(buf, static_cast<std::size_t>(n));
    if (header_end == std::string::npos &&
        (header_end = data.find("\r\n\r\n")) != std::string::npos) {
      const std::string head = data.substr(0, header_end);
      const std::size_t first_end = head.find("\r\n");
      const std::string request_line = head.substr(0, first_end);
      const std::size_t sp1 = request_line.find(' ');
      const std::size_t sp2 = request_line.find(' ', sp1 + 1);
      path = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
      std::size_t pos = first_end;
      while (pos != std::string::npos && pos < head.size()) {
        const std::size_t next = head.find("\r\n", pos + 2);
        const std::string line =
            head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
        const std::size_t colon = line.find(':');
        if (colon != std::string::npos) {
          std::string value = line.substr(colon + 1);
          value.erase(0, value.find_first_not_of(' '));
          headers[Lower(line.substr(0, colon))] = value;
        }
        pos = next;
      }
      if (headers.count("content-length")) body_size = std::stoul(headers["content-length"]);
    }
  }
  if (header_end == std::string::npos || data.size() < header_end + 4 + body_size) {
    ::close(fd);
    return;
  }
  Received r;
  r.path = path;
  r.id = headers["webhook-id"];
  r.timestamp = headers["webhook-timestamp"];
  r.signature = headers["webhook-signature"];
  r.body = data.substr(header_end + 4, body_size);
  r.at = std::chrono::steady_clock::now();
  int status = 200;
  std::chrono::milliseconds delay{0};
  {
    std::lock_guard lock(mu_);
    auto secret = secrets_.find(path);
    Status verified = secret == secrets_.end()
                          ? Unauthenticated("no secret registered for " + path)
                          : webhooks::Verify(secret->second, {r.id, r.timestamp, r.signature},
                                             r.body, SystemClock().Now());
    r.verified = verified.ok();
    r.verify_error = verified.message();
    if (auto s = statuses_.find(path); s != statuses_.end()) status = s->second;
    delay = delay_;
  }
  if (delay.count() > 0) std::this_thread::sleep_for(delay);
  // Recorded when answered: a message whose answer never left (the sender died first) still
  // counts as arrived, as it would for a real receiver.
  {
    std::lock_guard lock(mu_);
    received_.push_back(r);
  }
  changed_.notify_all();
  const std::string body = status == 200 ? "ok" : "not now";
  SendAll(fd, "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
  ::close(fd);
}

}  // namespace pactum::testing
