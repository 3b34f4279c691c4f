#include "pactum/eval/adapters.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <vector>

#include "pactum/base/json.h"
#include "pactum/net/http_client.h"

namespace pactum::eval {
namespace {

using Clock = std::chrono::steady_clock;

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

class ReplayAdapter final : public Adapter {
 public:
  explicit ReplayAdapter(std::map<std::string, AgentAnswer> answers)
      : answers_(std::move(answers)) {}
  AgentAnswer Answer(std::size_t, const Case& c) override {
    const auto it = answers_.find(c.id);
    if (it == answers_.end()) {
      AgentAnswer missing;
      missing.error = "no recorded answer for case " + c.id;
      return missing;
    }
    return it->second;
  }

 private:
  std::map<std::string, AgentAnswer> answers_;
};

// Clients made on first use, one per worker.
class ClientPool {
 public:
  ClientPool(net::HttpClientOptions options, std::size_t workers)
      : options_(std::move(options)), clients_(workers) {}
  Result<net::HttpClient*> For(std::size_t worker) {
    if (worker >= clients_.size()) return Internal("worker out of range");
    if (!clients_[worker]) {
      PACTUM_ASSIGN_OR_RETURN(clients_[worker], net::HttpClient::Create(options_));
    }
    return clients_[worker].get();
  }

 private:
  net::HttpClientOptions options_;
  std::vector<std::unique_ptr<net::HttpClient>> clients_;
};

class HttpAdapter final : public Adapter {
 public:
  HttpAdapter(net::HttpClientOptions options, std::size_t workers)
      : pool_(std::move(options), workers) {}
  AgentAnswer Answer(std::size_t worker, const Case& c) override {
    AgentAnswer answer;
    auto client = pool_.For(worker);
    if (!client.ok()) {
      answer.error = client.status().message();
      return answer;
    }
    const auto start = Clock::now();
    auto response = (*client)->Send("POST", "", Dump(c.input));
    answer.latency_ms = MillisSince(start);
    if (!response.ok()) {
      answer.error = response.status().message();
    } else if (response->status < 200 || response->status > 299) {
      answer.error = net::ErrorMessage(*response);
    } else if (auto json = ParseJson(response->body); !json.ok()) {
      answer.error = "the agent's answer is not JSON: " + json.status().message();
    } else {
      answer.output = std::move(*json);
      if (answer.output.is_object() && answer.output["cost_usd"].is_number())
        answer.cost_usd = answer.output["cost_usd"].get<double>();
    }
    return answer;
  }

 private:
  ClientPool pool_;
};

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

class OpenAiAdapter final : public Adapter {
 public:
  OpenAiAdapter(OpenAiAdapterOptions options, std::string key)
      : options_(std::move(options)),
        pool_({options_.base_url, std::move(key), options_.timeout_ms,
               std::min(options_.timeout_ms, 10'000L)},
              options_.workers) {}

  AgentAnswer Answer(std::size_t worker, const Case& c) override {
    AgentAnswer answer;
    auto client = pool_.For(worker);
    if (!client.ok()) {
      answer.error = client.status().message();
      return answer;
    }
    std::string user = options_.prompt_template;
    ReplaceAll(user, "{{id}}", c.id);
    ReplaceAll(user, "{{input}}", c.input.is_string() ? c.input.get<std::string>() : Dump(c.input));
    Json messages = Json::array();
    if (!options_.system.empty())
      messages.push_back({{"role", "system"}, {"content", options_.system}});
    messages.push_back({{"role", "user"}, {"content", user}});
    const Json request = {{"model", options_.model}, {"messages", messages}};
    const auto start = Clock::now();
    auto response = (*client)->Send("POST", "/chat/completions", Dump(request));
    answer.latency_ms = MillisSince(start);
    if (!response.ok()) {
      answer.error = response.status().message();
      return answer;
    }
    if (response->status != 200) {
      answer.error = net::ErrorMessage(*response);
      return answer;
    }
    auto json = ParseJson(response->body);
    Json content_json;
    if (json.ok() && json->is_object() && (*json)["choices"].is_array() &&
        !(*json)["choices"].empty() && (*json)["choices"][0].is_object()) {
      const Json message = (*json)["choices"][0].value("message", Json());
      if (message.is_object()) content_json = message.value("content", Json());
    }
    if (!content_json.is_string()) {
      answer.error = "the chat completion has no message content";
      return answer;
    }
    const std::string content = content_json.get<std::string>();
    auto parsed = ParseJson(content);
    answer.output = parsed.ok() ? std::move(*parsed) : Json(content);
    const Json usage = json->value("usage", Json::object());
    if (usage.is_object() && usage["prompt_tokens"].is_number() &&
        usage["completion_tokens"].is_number()) {
      answer.cost_usd =
          usage["prompt_tokens"].get<double>() / 1000 * options_.usd_per_1k_prompt_tokens +
          usage["completion_tokens"].get<double>() / 1000 * options_.usd_per_1k_completion_tokens;
    }
    return answer;
  }

 private:
  OpenAiAdapterOptions options_;
  ClientPool pool_;
};

}  // namespace

Result<std::unique_ptr<Adapter>> MakeReplayAdapter(const ReplayOptions& options) {
  std::ifstream in(options.file, std::ios::binary);
  if (!in) return IoError(options.file.string() + ": cannot read the recorded answers");
  std::map<std::string, AgentAnswer> answers;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = options.file.string() + ":" + std::to_string(number) + ": ";
    auto json = ParseJson(line);
    if (!json.ok()) return InvalidArgument(where + json.status().message());
    if (!json->is_object()) return InvalidArgument(where + "expected a JSON object");
    const Json& id = (*json)[options.id_field];
    if (!id.is_string() || id.get<std::string>().empty())
      return InvalidArgument(where + options.id_field + ": must be a non-empty string");
    AgentAnswer answer;
    if (options.output_field.empty()) {
      answer.output = *json;
    } else if (!json->contains(options.output_field)) {
      return InvalidArgument(where + options.output_field + ": missing");
    } else {
      answer.output = (*json)[options.output_field];
    }
    if ((*json)["latency_ms"].is_number()) answer.latency_ms = (*json)["latency_ms"].get<double>();
    if ((*json)["cost_usd"].is_number()) answer.cost_usd = (*json)["cost_usd"].get<double>();
    if (!answers.emplace(id.get<std::string>(), std::move(answer)).second)
      return InvalidArgument(where + options.id_field + ": repeats " + id.get<std::string>());
  }
  return std::unique_ptr<Adapter>(new ReplayAdapter(std::move(answers)));
}

Result<std::unique_ptr<Adapter>> MakeHttpAdapter(const HttpAdapterOptions& options) {
  if (options.url.empty())
    return InvalidArgument("the http adapter needs a URL", {{"field", "url"}});
  return std::unique_ptr<Adapter>(
      new HttpAdapter({options.url, "", options.timeout_ms, std::min(options.timeout_ms, 10'000L)},
                      std::max<std::size_t>(options.workers, 1)));
}

Result<std::unique_ptr<Adapter>> MakeOpenAiAdapter(const OpenAiAdapterOptions& options) {
  if (options.base_url.empty())
    return InvalidArgument("the openai adapter needs a base URL", {{"field", "base_url"}});
  if (options.model.empty())
    return InvalidArgument("the openai adapter needs a model", {{"field", "model"}});
  std::string key;
  if (!options.api_key_env.empty()) {
    const char* value = std::getenv(options.api_key_env.c_str());
    if (value == nullptr || *value == '\0')
      return FailedPrecondition("the environment variable " + options.api_key_env +
                                " (the agent's API key) is not set");
    key = value;
  }
  OpenAiAdapterOptions copy = options;
  copy.workers = std::max<std::size_t>(copy.workers, 1);
  return std::unique_ptr<Adapter>(new OpenAiAdapter(std::move(copy), std::move(key)));
}

}  // namespace pactum::eval
