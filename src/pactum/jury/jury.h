// The jury (DESIGN §8): each task (a criterion's rubric and the content to score) is put to N
// judges over their OpenAI-compatible chat-completions endpoints, and their answers are
// aggregated (aggregate.h). Requests run on a bounded pool of `concurrency` workers, each with
// its own HTTP clients; a judge that gives no answer, answers 429 or 5xx is retried with
// exponential backoff, honouring Retry-After (in seconds) up to a cap; answers that parse are
// cached (cache.h) when a cache folder is configured. A judge that still fails, or whose answer
// does not parse, is an error vote: the verdict is unscored if the quorum is not met.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/jury/aggregate.h"
#include "pactum/jury/cache.h"
#include "pactum/jury/config.h"
#include "pactum/jury/prompt.h"
#include "pactum/jury/rubric.h"

namespace pactum::jury {

struct JuryTask {
  std::string criterion;
  const Rubric* rubric = nullptr;  // outlives Evaluate
  std::string content;
  std::size_t judges = 0;  // the first `judges` judges of the configuration; 0: all
};

struct Vote {
  std::string judge;
  std::optional<JudgeAnswer> answer;  // absent on error
  std::string error;
  int attempts = 0;  // requests sent (0 when the answer came from the cache)
  bool cached = false;
};

struct Verdict {
  Aggregate aggregate;
  std::vector<Vote> votes;  // in the configuration's judge order
};

class Jury {
 public:
  // Fails if a judge's api_key_env names an unset variable, or the cache folder cannot be made.
  static Result<std::unique_ptr<Jury>> Create(JuryConfig config);

  // Fails (kInvalidArgument) without asking anyone if a task has no rubric or asks for more
  // judges than are configured. `progress(done, total)` is called after each judge request,
  // serialised, from the worker threads.
  using Progress = std::function<void(std::size_t done, std::size_t total)>;
  Result<std::vector<Verdict>> Evaluate(const std::vector<JuryTask>& tasks,
                                        const Progress& progress = {});

  const JuryConfig& config() const { return config_; }

 private:
  Jury(JuryConfig config, std::vector<std::string> keys, std::optional<ResponseCache> cache)
      : config_(std::move(config)), keys_(std::move(keys)), cache_(std::move(cache)) {}
  struct Worker;
  Vote Ask(Worker& worker, std::size_t judge, const Prompt& prompt);

  JuryConfig config_;
  std::vector<std::string> keys_;  // API key of each judge, read once
  std::optional<ResponseCache> cache_;
};

}  // namespace pactum::jury
