// The judges' response cache (DESIGN §8): an answer is stored under the SHA-256 of the model
// and the prompt, one file per answer in a folder, so re-running a suite asks the judges only
// what changed. Only answers that parsed are stored. Files are written whole and renamed into
// place, so concurrent writers and an interrupted run never leave a torn entry; an unreadable
// entry is a miss.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "pactum/base/status.h"
#include "pactum/jury/prompt.h"

namespace pactum::jury {

// Lower-case hex SHA-256 of model, system and user message, each length-prefixed ("5:gpt-4…").
std::string CacheKey(const std::string& model, const Prompt& prompt);

class ResponseCache {
 public:
  // Creates the folder if needed.
  static Result<ResponseCache> Open(const std::filesystem::path& dir);

  std::optional<std::string> Get(const std::string& key) const;
  Status Put(const std::string& key, const std::string& answer) const;

 private:
  explicit ResponseCache(std::filesystem::path dir) : dir_(std::move(dir)) {}
  std::filesystem::path dir_;
};

}  // namespace pactum::jury
