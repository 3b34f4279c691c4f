#include "harness.h"

#include <cstring>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pactum::testing {

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteAll(const std::filesystem::path& p, std::string_view text) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

namespace {

size_t WriteBody(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t WriteHeader(char* data, size_t size, size_t n, void* user) {
  std::string line(data, size * n);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' '))
      value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n'))
      value.pop_back();
    (*static_cast<std::map<std::string, std::string>*>(user))[name] = value;
  }
  return size * n;
}

}  // namespace

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("pactum-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

Json HttpResult::json() const {
  auto parsed = Json::parse(body, nullptr, false);
  return parsed;
}

HttpResult HttpClient::Get(const std::string& path, const std::string& key) const {
  return Send("GET", path, "", key);
}
HttpResult HttpClient::Post(const std::string& path, const std::string& body,
                            const std::string& key) const {
  return Send("POST", path, body, key);
}
HttpResult HttpClient::Delete(const std::string& path, const std::string& key) const {
  return Send("DELETE", path, "", key);
}

HttpResult HttpClient::Send(const std::string& method, const std::string& path,
                            const std::string& body, const std::string& key) const {
  HttpResult result;
  CURL* curl = curl_easy_init();
  std::string url = base_ + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 20'000L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, WriteHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result.headers);
  struct curl_slist* headers = nullptr;
  if (!key.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + key).c_str());
  if (method == "POST" || method == "PUT" || method == "PATCH") {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  } else {
    result.error = curl_easy_strerror(rc);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return result;
}

std::unique_ptr<ServerProcess> ServerProcess::Start(const std::filesystem::path& data_dir,
                                                    const std::vector<std::string>& extra_args) {
  auto server = std::unique_ptr<ServerProcess>(new ServerProcess());
  std::filesystem::create_directories(data_dir);
  server->log_file_ = data_dir / ("serve-" + std::to_string(std::random_device{}()) + ".log");
  int out_pipe[2];
  if (::pipe(out_pipe) != 0) {
    ADD_FAILURE() << "pipe failed";
    return nullptr;
  }
  std::vector<std::string> args = {PACTUM_BINARY, "serve",  "--listen",
                                   "127.0.0.1:0", "--data", data_dir.string()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_pipe[1], STDOUT_FILENO);
    int log = ::open(server->log_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(log, STDERR_FILENO);
    ::close(out_pipe[0]);
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    _exit(127);
  }
  ::close(out_pipe[1]);
  server->pid_ = pid;
  // Read stdout until the URL (and, on a first start, the bootstrap key) has been printed.
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  const std::regex url_re("serving (http://127\\.0\\.0\\.1:([0-9]+))");
  const std::regex key_re("(pk_[A-Za-z0-9_-]{43})");
  std::smatch m;
  bool have_url = false;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{out_pipe[0], POLLIN, 0};
    if (::poll(&pfd, 1, 100) > 0) {
      char buf[4096];
      ssize_t n = ::read(out_pipe[0], buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    if (!have_url && std::regex_search(out, m, url_re)) {
      server->url_ = m[1];
      server->port_ = std::stoi(m[2]);
      have_url = true;
    }
    // The banner (URL, and the key on a first start) is written with one flush, so once the
    // URL is here the rest is too.
    if (have_url) break;
  }
  ::close(out_pipe[0]);
  if (!have_url) {
    ADD_FAILURE() << "pactum serve did not start; stdout:\n" << out << "\nlog:\n" << server->Log();
    return nullptr;
  }
  if (std::regex_search(out, m, key_re)) server->bootstrap_key_ = m[1];
  return server;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0 && Alive()) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

void ServerProcess::Signal(int signo) {
  ::kill(pid_, signo);
}

bool ServerProcess::Alive() {
  if (pid_ <= 0) return false;
  int status;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

int ServerProcess::Wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

std::string ServerProcess::Log() const {
  return ReadAll(log_file_);
}

pid_t SpawnPactum(const std::vector<std::string>& args, const std::filesystem::path& out_file,
                  const std::filesystem::path& err_file) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int o = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(o, STDOUT_FILENO);
    ::dup2(e, STDERR_FILENO);
    std::vector<std::string> full = {PACTUM_BINARY};
    full.insert(full.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : full)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

int RunPactum(const std::vector<std::string>& args, std::string* out, std::string* err) {
  TempDir tmp;
  auto out_file = tmp.path() / "out", err_file = tmp.path() / "err";
  int status = 0;
  ::waitpid(SpawnPactum(args, out_file, err_file), &status, 0);
  if (out) *out = ReadAll(out_file);
  if (err) *err = ReadAll(err_file);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

RawConnection::RawConnection(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::Send(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void RawConnection::HalfClose() {
  ::shutdown(fd_, SHUT_WR);
}

std::string RawConnection::ReadUntilClosed(std::chrono::milliseconds timeout, bool* closed) {
  std::string out;
  *closed = false;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return out;
    pollfd pfd{fd_, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) return out;
    char buf[4096];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      *closed = true;
      return out;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace pactum::testing
