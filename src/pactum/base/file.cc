#include "pactum/base/file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace pactum {

Result<std::string> ReadFile(const std::filesystem::path& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno;
    std::string message = path.string() + ": cannot read";
    if (!what.empty()) message += " the " + std::string(what);
    if (error != 0) message += std::string(": ") + std::strerror(error);
    return IoError(std::move(message));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return IoError(path.string() + ": read failed");
  return text.str();
}

Result<FileLock> FileLock::Acquire(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return IoError(path.string() + ": cannot open the lock file: " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    std::string holder;
    char text[32] = {};
    if (::pread(fd, text, sizeof(text) - 1, 0) > 0) holder = std::string(text);
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' '))
      holder.pop_back();
    ::close(fd);
    if (error != EWOULDBLOCK) {
      return IoError(path.string() + ": cannot lock: " + std::strerror(error));
    }
    return FailedPrecondition(path.string() + " is locked by another process" +
                              (holder.empty() ? "" : " (pid " + holder + ")"));
  }
  // The holder's pid, for the next one's error message; the lock, not the text, is what counts.
  const std::string pid = std::to_string(::getpid()) + "\n";
  const bool noted = ::ftruncate(fd, 0) == 0 && ::pwrite(fd, pid.data(), pid.size(), 0) > 0;
  (void)noted;  // the lock holds without it
  return FileLock(fd);
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the lock
}

}  // namespace pactum
