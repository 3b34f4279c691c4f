// Test harness for integration tests: runs the real `pactum` binary as a child process with a
// temporary data folder and an ephemeral port, and talks HTTP to it with libcurl (or raw
// sockets, for misbehaving clients).
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

#include "pactum/base/status.h"

namespace pactum::testing {

// A fresh folder under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct HttpResult {
  long status = 0;  // 0: the request failed at the transport level (see error)
  std::string body;
  std::map<std::string, std::string> headers;  // lowercase names
  std::string error;
  Json json() const;
};

class HttpClient {
 public:
  explicit HttpClient(std::string base_url) : base_(std::move(base_url)) {}
  HttpResult Get(const std::string& path, const std::string& key = "") const;
  HttpResult Post(const std::string& path, const std::string& body,
                  const std::string& key = "") const;
  HttpResult Delete(const std::string& path, const std::string& key = "") const;
  HttpResult Send(const std::string& method, const std::string& path, const std::string& body,
                  const std::string& key) const;

 private:
  std::string base_;
};

// A running `pactum serve`. The destructor kills it if it is still alive.
class ServerProcess {
 public:
  // Starts `pactum serve --listen 127.0.0.1:0 --data <data_dir> [extra...]` and waits until it
  // prints the URL it serves. Fails the calling test (and returns null) if it does not.
  static std::unique_ptr<ServerProcess> Start(const std::filesystem::path& data_dir,
                                              const std::vector<std::string>& extra_args = {});
  ~ServerProcess();

  const std::string& url() const { return url_; }
  int port() const { return port_; }
  // The bootstrap admin key, if this start printed one (only the first start on a data folder).
  const std::string& bootstrap_key() const { return bootstrap_key_; }
  HttpClient client() const { return HttpClient(url_); }

  void Signal(int signo);
  // Waits for exit; returns the exit status, or -1 if it did not exit within `timeout` or
  // died from a signal.
  int Wait(std::chrono::milliseconds timeout);
  bool Alive();
  // What the server wrote to stderr (its log).
  std::string Log() const;

 private:
  pid_t pid_ = -1;
  std::string url_;
  int port_ = 0;
  std::string bootstrap_key_;
  std::filesystem::path log_file_;
};

// The file's bytes ("" when it cannot be read), and the file replaced by `text`.
std::string ReadAll(const std::filesystem::path& path);
void WriteAll(const std::filesystem::path& path, std::string_view text);

// Starts the pactum binary with `args`, its stdout and stderr written to the given files; returns
// the child's pid (the caller waits for it).
pid_t SpawnPactum(const std::vector<std::string>& args, const std::filesystem::path& out_file,
                  const std::filesystem::path& err_file);

// Runs the pactum binary with `args` to completion; returns its exit code and captures output.
int RunPactum(const std::vector<std::string>& args, std::string* out, std::string* err);

// A raw TCP connection to 127.0.0.1:port, for clients curl cannot impersonate.
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  bool connected() const { return fd_ >= 0; }
  bool Send(std::string_view data);
  // Shuts down the sending side: the peer reads end-of-stream.
  void HalfClose();
  // Reads until the peer closes or `timeout` passes; returns what arrived. `closed` tells
  // whether the peer closed (EOF or reset).
  std::string ReadUntilClosed(std::chrono::milliseconds timeout, bool* closed);

 private:
  int fd_ = -1;
};

}  // namespace pactum::testing
