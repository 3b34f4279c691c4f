#include "pactum/base/file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

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

}  // namespace pactum
