// `pactum eval run`: runs an eval suite against an agent (replay, http or openai adapter),
// scores it with the suite's checks and the pact's jury conditions, prints a summary table and
// posts one eval_case evidence item per case to the server in bulk (docs/EVAL.md).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "pactum/base/file.h"
#include "pactum/cli/bulk.h"
#include "pactum/cli/commands.h"
#include "pactum/cli/remote.h"
#include "pactum/eval/runner.h"
#include "pactum/jury/config.h"
#include "pactum/pact/loader.h"

namespace pactum::cli {
namespace {

struct EvalFlags {
  RemoteFlags remote;
  std::string suite, agent, pact;
  std::string adapter = "replay";
  std::string recorded, id_field = "id", output_field = "output";
  std::string url;
  std::string base_url, model, api_key_env, prompt_file, system;
  double usd_per_1k_prompt = 0, usd_per_1k_completion = 0;
  std::string judges;
  std::size_t concurrency = 0;
  long timeout_ms = 60'000;
  std::string evidence_out;
  bool dry_run = false;
  bool quiet = false;
};

Result<std::unique_ptr<eval::Adapter>> MakeAdapter(const EvalFlags& f, std::size_t workers) {
  if (f.adapter == "replay") {
    if (f.recorded.empty()) return InvalidArgument("--adapter replay needs --recorded FILE");
    return eval::MakeReplayAdapter({f.recorded, f.id_field, f.output_field});
  }
  if (f.adapter == "http") {
    if (f.url.empty()) return InvalidArgument("--adapter http needs --url URL");
    return eval::MakeHttpAdapter({f.url, f.timeout_ms, workers});
  }
  eval::OpenAiAdapterOptions options;
  options.base_url = f.base_url;
  options.model = f.model;
  options.api_key_env = f.api_key_env;
  options.system = f.system;
  if (!f.prompt_file.empty()) {
    PACTUM_ASSIGN_OR_RETURN(options.prompt_template, ReadFile(f.prompt_file, "prompt template"));
  }
  options.usd_per_1k_prompt_tokens = f.usd_per_1k_prompt;
  options.usd_per_1k_completion_tokens = f.usd_per_1k_completion;
  options.timeout_ms = f.timeout_ms;
  options.workers = workers;
  return eval::MakeOpenAiAdapter(options);
}

// The pact's jury conditions as criteria (rubrics read relative to the pact file), after
// checking that the suite defines every check the pact measures.
Result<std::vector<eval::Criterion>> CriteriaOf(const pact::Pact& covering,
                                                const std::filesystem::path& pact_file,
                                                const eval::Suite& suite) {
  std::vector<eval::Criterion> criteria;
  for (const pact::Condition& c : covering.conditions) {
    if (c.metric.rfind("check.", 0) == 0) {
      const std::string name = c.metric.substr(6);
      bool defined = false;
      for (const eval::Check& check : suite.checks)
        defined = defined || check.name == name;
      if (!defined)
        return InvalidArgument("pact condition " + c.id + " measures " + c.metric +
                               ", which suite " + suite.name + " does not define");
    } else if (c.metric.rfind("jury.", 0) == 0) {
      const std::string name = c.metric.substr(5);
      bool seen = false;
      for (const eval::Criterion& k : criteria)
        seen = seen || k.name == name;
      if (seen) continue;  // two conditions on one criterion share its verdicts
      PACTUM_ASSIGN_OR_RETURN(jury::Rubric rubric,
                              jury::LoadRubric(pact_file.parent_path() / c.rubric));
      criteria.push_back({name, std::move(rubric), static_cast<std::size_t>(c.judges)});
    }
  }
  return criteria;
}

int Run(const EvalFlags& f) {
  auto loaded_pact = pact::LoadPactFile(f.pact);
  if (!loaded_pact.ok()) return Fail("eval run", loaded_pact.status().message());
  auto suite = eval::LoadSuite(f.suite);
  if (!suite.ok()) return Fail("eval run", suite.status().message());
  auto criteria = CriteriaOf(*loaded_pact, f.pact, *suite);
  if (!criteria.ok()) return Fail("eval run", criteria.status().message());

  std::unique_ptr<jury::Jury> jury;
  std::size_t concurrency = f.concurrency;
  if (!criteria->empty()) {
    if (f.judges.empty())
      return Fail("eval run", "pact " + loaded_pact->name + " has jury conditions (jury." +
                                  criteria->front().name +
                                  "…): give the judges with --judges FILE");
    auto config = jury::LoadJuryConfig(f.judges);
    if (!config.ok()) return Fail("eval run", config.status().message());
    if (f.concurrency) config->concurrency = f.concurrency;
    if (!concurrency) concurrency = config->concurrency;
    auto made = jury::Jury::Create(std::move(*config));
    if (!made.ok()) return Fail("eval run", made.status().message());
    jury = std::move(*made);
  }
  if (!concurrency) concurrency = 8;
  auto adapter = MakeAdapter(f, concurrency);
  if (!adapter.ok()) return Fail("eval run", adapter.status().message());

  std::unique_ptr<Progress> agent_progress, jury_progress;
  auto report =
      eval::RunSuite(*suite, **adapter, *criteria, jury.get(), concurrency,
                     [&](std::string_view stage, std::size_t done, std::size_t total) {
                       auto& bar = stage == "agent" ? agent_progress : jury_progress;
                       if (!bar)
                         bar = std::make_unique<Progress>(
                             total, f.quiet, stage == "agent" ? "cases" : "judge requests");
                       bar->Update(done);
                     });
  if (!report.ok()) return Fail("eval run", report.status().message());
  std::cout << eval::SummaryTable(*report);

  const eval::EvidenceContext context{f.agent, loaded_pact->workflow};
  std::vector<std::string> lines;
  for (const eval::CaseResult& r : report->cases)
    lines.push_back(eval::EvalCaseEvidence(*report, r, context)
                        .dump(-1, ' ', false, Json::error_handler_t::replace) +
                    "\n");
  if (!f.evidence_out.empty()) {
    std::ofstream out(f.evidence_out, std::ios::binary | std::ios::trunc);
    for (const std::string& line : lines)
      out << line;
    if (!out.flush()) return Fail("eval run", f.evidence_out + ": cannot write");
  }
  if (f.dry_run) {
    std::cout << "dry run: " << lines.size() << " evidence items not posted\n";
    return 0;
  }
  auto client = Connect(f.remote);
  if (!client.ok()) return Fail("eval run", client.status().message());
  constexpr std::size_t kBatchBytes = 768 * 1024;  // below the server's default 1 MiB body
  Progress progress(lines.size(), f.quiet, "evidence items");
  BulkCounts total;
  std::size_t done = 0;
  for (std::size_t i = 0; i < lines.size();) {
    std::string body;
    const std::size_t first = i;
    while (i < lines.size() && (body.empty() || body.size() + lines[i].size() <= kBatchBytes))
      body += lines[i++];
    auto posted = PostEvidenceBulk(**client, body);
    if (!posted.ok()) {
      std::string where;
      const Json& details = posted.status().details();
      if (details.is_object() && details.contains("line")) {
        const std::size_t at = first + details["line"].get<std::size_t>() - 1;
        if (at >= first && at < i) where = "case " + report->cases[at].test_case->id + ": ";
      }
      return Fail("eval run",
                  where + posted.status().message() +
                      (done ? " (" + std::to_string(done) + " items before were recorded)" : ""));
    }
    total.accepted += posted->accepted;
    total.duplicates += posted->duplicates;
    done = i;
    progress.Update(done);
  }
  std::cout << "evidence: " << total.accepted << " recorded, " << total.duplicates
            << " already recorded (not counted twice)\n";
  return 0;
}

}  // namespace

void RegisterEval(CLI::App& app, int* exit_code) {
  auto* eval_command = app.add_subcommand("eval", "Evaluation suites and the jury");
  eval_command->require_subcommand(1);
  auto f = std::make_shared<EvalFlags>();
  auto* run = eval_command->add_subcommand(
      "run", "Run a suite against an agent, score it, and post eval_case evidence");
  run->add_option("--suite", f->suite, "Suite file (JSON Lines)")->required();
  run->add_option("--agent", f->agent, "Agent id the evidence is about")->required();
  run->add_option("--pact", f->pact, "Pact file: its check.* and jury.* conditions")->required();
  run->add_option("--adapter", f->adapter, "replay, http or openai")
      ->check(CLI::IsMember({"replay", "http", "openai"}))
      ->capture_default_str();
  run->add_option("--recorded", f->recorded, "replay: recorded answers (JSON Lines)");
  run->add_option("--id-field", f->id_field, "replay: the case id field")->capture_default_str();
  run->add_option("--output-field", f->output_field, "replay: the answer field (\"\": all)")
      ->capture_default_str();
  run->add_option("--url", f->url, "http: the URL inputs are POSTed to");
  run->add_option("--base-url", f->base_url, "openai: base URL (…/v1)");
  run->add_option("--model", f->model, "openai: model");
  run->add_option("--api-key-env", f->api_key_env, "openai: variable holding the API key");
  run->add_option("--prompt", f->prompt_file, "openai: prompt template file ({{input}}, {{id}})");
  run->add_option("--system", f->system, "openai: system message");
  run->add_option("--usd-per-1k-prompt", f->usd_per_1k_prompt, "openai: price of input tokens");
  run->add_option("--usd-per-1k-completion", f->usd_per_1k_completion,
                  "openai: price of output tokens");
  run->add_option("--timeout-ms", f->timeout_ms, "http/openai: per request")
      ->check(CLI::Range(1L, 3'600'000L));
  run->add_option("--judges", f->judges, "Jury configuration (judges.yaml)");
  run->add_option("--concurrency", f->concurrency, "Requests in flight (default: the jury's)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{256}));
  run->add_option("--evidence-out", f->evidence_out, "Also write the evidence to this file");
  run->add_flag("--dry-run", f->dry_run, "Do not post evidence");
  run->add_flag("--quiet", f->quiet, "No progress lines");
  AddRemoteOptions(run, &f->remote);
  run->callback([=] { *exit_code = Run(*f); });
}

}  // namespace pactum::cli
