#include "pactum/jury/jury.h"

#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "pactum/base/json.h"
#include "pactum/jury/parallel.h"
#include "pactum/net/http_client.h"

namespace pactum::jury {
namespace {

// Retry-After as delay-seconds (RFC 9110 §10.2.3); the HTTP-date form falls back to backoff.
std::optional<long> RetryAfterMs(const net::HttpResponse& response) {
  const auto it = response.headers.find("retry-after");
  if (it == response.headers.end() || it->second.empty()) return std::nullopt;
  char* end = nullptr;
  const long seconds = std::strtol(it->second.c_str(), &end, 10);
  if (*end != '\0' || seconds < 0) return std::nullopt;
  return seconds * 1000;
}

Result<std::string> AssistantContent(const std::string& body) {
  auto json = ParseJson(body);
  if (!json.ok()) return InvalidArgument("the chat completion is not JSON");
  if (!json->is_object() || !(*json)["choices"].is_array() || (*json)["choices"].empty())
    return InvalidArgument("the chat completion has no choices");
  const Json& choice = (*json)["choices"][0];
  const Json message = choice.is_object() ? choice.value("message", Json()) : Json();
  if (!message.is_object() || !message.value("content", Json()).is_string())
    return InvalidArgument("the chat completion has no message content");
  return message["content"].get<std::string>();
}

}  // namespace

struct Jury::Worker {
  std::vector<std::unique_ptr<net::HttpClient>> clients;  // one per judge, made on first use
};

Result<std::unique_ptr<Jury>> Jury::Create(JuryConfig config) {
  if (config.judges.empty()) return InvalidArgument("a jury needs at least one judge");
  std::vector<std::string> keys;
  for (const JudgeConfig& judge : config.judges) {
    std::string key;
    if (!judge.api_key_env.empty()) {
      const char* value = std::getenv(judge.api_key_env.c_str());
      if (value == nullptr || *value == '\0')
        return FailedPrecondition("judge " + judge.name + ": the environment variable " +
                                  judge.api_key_env + " (its API key) is not set");
      key = value;
    }
    keys.push_back(std::move(key));
  }
  std::optional<ResponseCache> cache;
  if (!config.cache_dir.empty()) {
    PACTUM_ASSIGN_OR_RETURN(ResponseCache opened, ResponseCache::Open(config.cache_dir));
    cache.emplace(std::move(opened));
  }
  return std::unique_ptr<Jury>(new Jury(std::move(config), std::move(keys), std::move(cache)));
}

Vote Jury::Ask(Worker& worker, std::size_t judge_index, const Prompt& prompt) {
  const JudgeConfig& judge = config_.judges[judge_index];
  Vote vote;
  vote.judge = judge.name;
  const std::string key = CacheKey(judge.model, prompt);
  if (cache_) {
    if (auto hit = cache_->Get(key)) {
      if (auto answer = ParseJudgeAnswer(*hit); answer.ok()) {
        vote.answer = std::move(*answer);
        vote.cached = true;
        return vote;
      }
    }
  }
  auto& client = worker.clients[judge_index];
  if (!client) {
    auto made = net::HttpClient::Create({judge.base_url, keys_[judge_index], judge.timeout_ms,
                                         std::min(judge.timeout_ms, 10'000L)});
    if (!made.ok()) {
      vote.error = made.status().message();
      return vote;
    }
    client = std::move(*made);
  }
  const Json request = {{"model", judge.model},
                        {"temperature", 0},
                        {"messages",
                         {{{"role", "system"}, {"content", prompt.system}},
                          {{"role", "user"}, {"content", prompt.user}}}}};
  // Content that is not valid UTF-8 is sent with replacement characters, not dropped.
  const std::string body = request.dump(-1, ' ', false, Json::error_handler_t::replace);
  std::string last_error;
  for (int attempt = 0; attempt <= config_.retries; ++attempt) {
    vote.attempts = attempt + 1;
    long wait_ms = std::min(config_.backoff_ms << attempt, config_.max_backoff_ms);
    auto response = client->Send("POST", "/chat/completions", body);
    if (!response.ok()) {
      last_error = response.status().message();
    } else if (response->status == 200) {
      auto content = AssistantContent(response->body);
      if (!content.ok()) {
        vote.error = content.status().message();
        return vote;
      }
      auto answer = ParseJudgeAnswer(*content);
      if (!answer.ok()) {
        vote.error = answer.status().message();
        return vote;
      }
      // A cache that cannot be written costs a repeated request next run, never this verdict.
      if (cache_) cache_->Put(key, *content).IgnoreError();
      vote.answer = std::move(*answer);
      return vote;
    } else if (response->status == 429 || response->status >= 500) {
      last_error = net::ErrorMessage(*response);
      if (auto retry_after = RetryAfterMs(*response))
        wait_ms = std::min(*retry_after, config_.max_retry_after_ms);
    } else {
      vote.error = net::ErrorMessage(*response);
      return vote;
    }
    if (attempt < config_.retries) std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
  }
  vote.error = last_error + " (" + std::to_string(vote.attempts) + " attempts)";
  return vote;
}

Result<std::vector<Verdict>> Jury::Evaluate(const std::vector<JuryTask>& tasks,
                                            const Progress& progress) {
  struct Call {
    std::size_t task;
    std::size_t judge;
  };
  std::vector<Call> calls;
  std::vector<Prompt> prompts;
  std::vector<Verdict> verdicts(tasks.size());
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    const JuryTask& task = tasks[t];
    if (task.rubric == nullptr) return InvalidArgument(task.criterion + ": no rubric");
    const std::size_t n = task.judges == 0 ? config_.judges.size() : task.judges;
    if (n > config_.judges.size())
      return InvalidArgument(task.criterion + ": " + std::to_string(n) + " judges asked for, " +
                             std::to_string(config_.judges.size()) + " configured");
    prompts.push_back(BuildPrompt(*task.rubric, task.criterion, task.content));
    verdicts[t].votes.resize(n);
    for (std::size_t j = 0; j < n; ++j)
      calls.push_back({t, j});
  }
  const std::size_t workers = std::min(config_.concurrency, calls.size());
  std::vector<Worker> state(workers);
  for (Worker& w : state)
    w.clients.resize(config_.judges.size());
  std::mutex mu;
  std::size_t done = 0;
  ParallelFor(calls.size(), workers, [&](std::size_t worker, std::size_t i) {
    const Call& call = calls[i];
    Vote vote = Ask(state[worker], call.judge, prompts[call.task]);
    std::lock_guard<std::mutex> lock(mu);
    verdicts[call.task].votes[call.judge] = std::move(vote);
    ++done;
    if (progress) progress(done, calls.size());
  });
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    std::vector<double> scores;
    for (const Vote& v : verdicts[t].votes)
      if (v.answer) scores.push_back(v.answer->score);
    AggregateOptions options;
    options.quorum = config_.quorum == 0 ? verdicts[t].votes.size()
                                         : std::min(config_.quorum, verdicts[t].votes.size());
    options.pass_threshold = config_.pass_threshold;
    options.min_consensus = config_.min_consensus;
    verdicts[t].aggregate = AggregateScores(std::move(scores), options);
  }
  return verdicts;
}

}  // namespace pactum::jury
