// Agent adapters (DESIGN §8): how the runner gets an agent's answer to a case.
//   replay  recorded answers from a JSON Lines file (e.g. a soc-triage run), by case id
//   http    POSTs the case's input as JSON to a URL and reads the JSON it answers
//   openai  sends the input through a prompt template to an OpenAI-compatible
//           chat-completions endpoint; the assistant's message is the output (parsed as JSON
//           when it is JSON, else kept as a string)
// Adapters are called from several worker threads at once: Answer(worker, case) with worker
// below the `workers` they were made for, each worker using its own connection.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "pactum/base/status.h"
#include "pactum/eval/suite.h"

namespace pactum::eval {

struct AgentAnswer {
  Json output;                       // null when the agent gave no answer
  std::optional<double> latency_ms;  // unknown for recordings without it
  std::optional<double> cost_usd;
  std::string error;  // why there is no answer; empty when there is one
};

class Adapter {
 public:
  virtual ~Adapter() = default;
  virtual AgentAnswer Answer(std::size_t worker, const Case& c) = 0;
};

struct ReplayOptions {
  std::filesystem::path file;
  std::string id_field = "id";
  // The field holding the answer ("" for the whole record). Records may carry `latency_ms`
  // and `cost_usd` numbers beside it.
  std::string output_field = "output";
};
// Reads the whole file; an unreadable line or a repeated id is an error naming the line.
Result<std::unique_ptr<Adapter>> MakeReplayAdapter(const ReplayOptions& options);

struct HttpAdapterOptions {
  std::string url;  // the whole URL the input is POSTed to
  long timeout_ms = 60'000;
  std::size_t workers = 1;
};
// An answer object's numeric `cost_usd`, if any, is its cost.
Result<std::unique_ptr<Adapter>> MakeHttpAdapter(const HttpAdapterOptions& options);

struct OpenAiAdapterOptions {
  std::string base_url;  // requests go to base_url + "/chat/completions"
  std::string model;
  std::string api_key_env;  // empty: no key
  std::string system;       // optional system message
  // The user message; "{{input}}" becomes the input (a string as is, anything else as JSON)
  // and "{{id}}" the case id.
  std::string prompt_template = "{{input}}";
  double usd_per_1k_prompt_tokens = 0;  // with the answer's usage, the cost
  double usd_per_1k_completion_tokens = 0;
  long timeout_ms = 60'000;
  std::size_t workers = 1;
};
Result<std::unique_ptr<Adapter>> MakeOpenAiAdapter(const OpenAiAdapterOptions& options);

}  // namespace pactum::eval
