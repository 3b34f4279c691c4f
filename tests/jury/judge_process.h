// Starts pactum-judge-server as a child process on a free loopback port and stops it (SIGTERM,
// then waits) when destroyed. Tests use it to talk to a real judge over HTTP (DESIGN §8).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <sys/types.h>

#include "pactum/base/status.h"

namespace pactum::testing {

class JudgeProcess {
 public:
  static Result<std::unique_ptr<JudgeProcess>> Start(const std::vector<std::string>& args = {});
  ~JudgeProcess();
  JudgeProcess(const JudgeProcess&) = delete;
  JudgeProcess& operator=(const JudgeProcess&) = delete;

  const std::string& url() const { return url_; }  // "http://127.0.0.1:PORT"
  // Chat-completion requests the server has received (GET /stats).
  Result<long> ChatRequests() const;

 private:
  JudgeProcess(pid_t pid, std::string url) : pid_(pid), url_(std::move(url)) {}
  pid_t pid_;
  std::string url_;
};

}  // namespace pactum::testing
