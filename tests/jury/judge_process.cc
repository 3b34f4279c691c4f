#include "judge_process.h"

#include <cstdio>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pactum/base/json.h"
#include "pactum/net/http_client.h"

namespace pactum::testing {

Result<std::unique_ptr<JudgeProcess>> JudgeProcess::Start(const std::vector<std::string>& args) {
  int out[2];
  if (pipe(out) != 0) return IoError("pipe failed");
  const pid_t pid = fork();
  if (pid < 0) return IoError("fork failed");
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    std::vector<char*> argv;
    std::string program = PACTUM_JUDGE_SERVER;
    argv.push_back(program.data());
    std::vector<std::string> copies = args;
    for (std::string& a : copies)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(program.c_str(), argv.data());
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n')
    line.push_back(c);
  close(out[0]);
  if (line.rfind("http://", 0) != 0) {
    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
    return Unavailable("pactum-judge-server did not announce its URL (got \"" + line + "\")");
  }
  return std::unique_ptr<JudgeProcess>(new JudgeProcess(pid, line));
}

JudgeProcess::~JudgeProcess() {
  kill(pid_, SIGTERM);
  waitpid(pid_, nullptr, 0);
}

Result<long> JudgeProcess::ChatRequests() const {
  PACTUM_ASSIGN_OR_RETURN(auto client, net::HttpClient::Create({url_, "", 5000, 5000}));
  PACTUM_ASSIGN_OR_RETURN(net::HttpResponse response, client->Send("GET", "/stats"));
  PACTUM_ASSIGN_OR_RETURN(Json stats, ParseJson(response.body));
  return stats.value("chat_requests", -1L);
}

}  // namespace pactum::testing
