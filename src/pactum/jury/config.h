// The jury's configuration (judges.yaml, docs/EVAL.md): the judges, each an OpenAI-compatible
// endpoint whose API key is read from an environment variable the file names (never the key
// itself), and the knobs of concurrency, retries, verdicts and the cache.
//
//   judges:
//     - { name: a, base_url: "https://api.openai.com/v1", model: gpt-4o,
//         api_key_env: OPENAI_API_KEY, timeout_ms: 60000 }
//   concurrency: 16        retries: 3      backoff_ms: 500     max_backoff_ms: 30000
//   max_retry_after_ms: 60000   pass_threshold: 0.5   min_consensus: 0.6   quorum: 0
//   cache_dir: .pactum/jury-cache   (relative to the file's folder; absent: no cache)
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/status.h"

namespace pactum::jury {

struct JudgeConfig {
  std::string name;
  std::string base_url;  // requests go to base_url + "/chat/completions"
  std::string model;
  std::string api_key_env;   // empty: no Authorization header
  long timeout_ms = 60'000;  // per request, connection included
};

struct JuryConfig {
  std::vector<JudgeConfig> judges;
  std::size_t concurrency = 8;       // requests in flight at once
  int retries = 3;                   // after the first attempt, on no answer, 429 and 5xx
  long backoff_ms = 500;             // doubled at each retry ...
  long max_backoff_ms = 30'000;      // ... up to this
  long max_retry_after_ms = 60'000;  // a server's Retry-After is honoured up to this
  double pass_threshold = 0.5;
  double min_consensus = 0.6;
  std::size_t quorum = 0;  // judges that must answer; 0: all judges asked
  std::string cache_dir;   // empty: no cache
};

// Errors are kInvalidArgument naming the source, line and field.
Result<JuryConfig> ParseJuryConfig(std::string_view yaml, std::string_view source,
                                   const std::filesystem::path& base_dir);
Result<JuryConfig> LoadJuryConfig(const std::filesystem::path& file);

}  // namespace pactum::jury
