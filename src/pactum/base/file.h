// Whole-file reads for configuration and artifacts (pacts, rubrics, suites, keys, bundles), and
// a lock file that lets one process at a time own a folder.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "pactum/base/status.h"

namespace pactum {

// The file's bytes. Failure is an IoError naming the path and, when given, what the file was
// for: "<path>: cannot read the rubric: No such file or directory".
Result<std::string> ReadFile(const std::filesystem::path& path, std::string_view what = {});

// An exclusive lock on a file (flock), created if missing and held until the FileLock is
// destroyed or its process ends, even by SIGKILL: a lock left by a dead process never blocks.
class FileLock {
 public:
  // Fails with FailedPrecondition if another open of the file holds it (another process, or
  // another FileLock in this one); the file then names the holder's pid. IoError if the file
  // cannot be opened.
  static Result<FileLock> Acquire(const std::filesystem::path& path);

  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace pactum
