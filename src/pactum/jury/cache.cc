#include "pactum/jury/cache.h"

#include <atomic>
#include <fstream>
#include <system_error>

#include <unistd.h>

#include "pactum/base/digest.h"
#include "pactum/base/encoding.h"
#include "pactum/base/file.h"

namespace pactum::jury {

std::string CacheKey(const std::string& model, const Prompt& prompt) {
  Sha256Hasher hasher;
  for (const std::string* part : {&model, &prompt.system, &prompt.user}) {
    hasher.Update(std::to_string(part->size()) + ":");
    hasher.Update(*part);
  }
  return HexEncode(AsBytes(hasher.Finish()));
}

Result<ResponseCache> ResponseCache::Open(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IoError(dir.string() + ": cannot create the cache folder: " + ec.message());
  return ResponseCache(dir);
}

std::optional<std::string> ResponseCache::Get(const std::string& key) const {
  auto text = ReadFile(dir_ / (key + ".json"));
  if (!text.ok()) return std::nullopt;
  return *std::move(text);
}

Status ResponseCache::Put(const std::string& key, const std::string& answer) const {
  static std::atomic<unsigned long> sequence{0};
  const std::filesystem::path final_path = dir_ / (key + ".json");
  const std::filesystem::path temp_path =
      dir_ / (key + ".tmp." + std::to_string(getpid()) + "." + std::to_string(++sequence));
  {
    std::ofstream out(temp_path, std::ios::binary | std::ios::trunc);
    out << answer;
    if (!out.flush()) return IoError(temp_path.string() + ": cannot write");
  }
  std::error_code ec;
  std::filesystem::rename(temp_path, final_path, ec);
  if (ec) {
    std::filesystem::remove(temp_path, ec);
    return IoError(final_path.string() + ": cannot store the cached answer");
  }
  return Status::Ok();
}

}  // namespace pactum::jury
