#include "pactum/service/replay.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>

#include "pactum/base/json.h"
#include "pactum/service/service.h"

namespace pactum::service {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kRunPrefix = "run-";
constexpr std::string_view kRunSuffix = ".jsonl";
constexpr std::array<const char*, 2> kClasses = {"TP", "FP"};
constexpr std::size_t kBatch = 10'000;

template <std::size_t N>
std::string OneOf(const std::array<const char*, N>& vocabulary) {
  std::string out;
  for (const char* word : vocabulary) {
    if (!out.empty()) out += ", ";
    out += word;
  }
  return out;
}

// The field's value when it is one of `vocabulary`; otherwise nothing, and a problem naming
// the line and the field.
template <std::size_t N>
std::optional<std::string> Pick(const Json& record, const char* field,
                                const std::array<const char*, N>& vocabulary, std::size_t line,
                                std::vector<std::string>* problems) {
  const std::string where = "line " + std::to_string(line) + ": " + field + ": ";
  auto it = record.find(field);
  if (it == record.end() || it->is_null()) {
    problems->push_back(where + "missing");
    return std::nullopt;
  }
  if (it->is_string()) {
    const std::string& value = it->get_ref<const std::string&>();
    for (const char* word : vocabulary) {
      if (value == word) return value;
    }
  }
  // dump() with replacement: a value that is not valid UTF-8 must still print.
  problems->push_back(where + it->dump(-1, ' ', false, Json::error_handler_t::replace) +
                      " is not one of " + OneOf(vocabulary));
  return std::nullopt;
}

std::optional<double> Ratio(std::size_t numerator, std::size_t denominator) {
  if (denominator == 0) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

std::size_t PriorityIndex(const std::string& name) {
  return static_cast<std::size_t>(std::find_if(kPriorities.begin(), kPriorities.end(),
                                               [&](const char* p) { return name == p; }) -
                                  kPriorities.begin());
}

Json Optional(const std::optional<double>& value) {
  return value ? Json(*value) : Json(nullptr);
}

// The provider behind a model name, for the agent record.
std::string ProviderOf(const std::string& model) {
  if (model.rfind("gpt-", 0) == 0 || model.rfind("o1", 0) == 0 || model.rfind("o3", 0) == 0)
    return "openai";
  if (model.rfind("deepseek-", 0) == 0) return "deepseek";
  if (model.rfind("claude-", 0) == 0) return "anthropic";
  return "unknown";
}

Json AnswerEvidence(const std::string& agent_id, const std::string& workflow,
                    const TriageAnswer& answer, const std::string& time) {
  Json item = {{"kind", "production_outcome"},
               {"agent", agent_id},
               {"workflow", workflow},
               {"time", time},
               {"subject", answer.alert_id},
               {"idempotency_key", "replay:" + agent_id + ":" + std::to_string(answer.line)}};
  if (answer.predicted_class && answer.actual_class)
    item["classification"] = {{"predicted", *answer.predicted_class},
                              {"actual", *answer.actual_class}};
  if (answer.predicted_priority && answer.actual_priority)
    item["priority"] = {{"predicted", *answer.predicted_priority},
                        {"actual", *answer.actual_priority}};
  return item;
}

bool HasPart(const TriageAnswer& a) {
  return (a.predicted_class && a.actual_class) || (a.predicted_priority && a.actual_priority);
}

}  // namespace

Result<TriageRun> ReadTriageRun(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return IoError(file.string() + ": cannot read");
  TriageRun run;
  run.file = file;
  const std::string name = file.filename().string();
  run.model = name;
  if (name.rfind(kRunPrefix, 0) == 0 && name.size() > kRunPrefix.size() + kRunSuffix.size() &&
      name.ends_with(kRunSuffix)) {
    run.model = name.substr(kRunPrefix.size(), name.size() - kRunPrefix.size() - kRunSuffix.size());
  }
  std::string text;
  std::size_t line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    ++run.lines;
    Result<Json> record = ParseJson(text);
    if (!record.ok() || !record->is_object()) {
      ++run.unreadable_lines;
      run.problems.push_back("line " + std::to_string(line) + ": " +
                             (record.ok() ? "not a JSON object" : record.status().message()));
      continue;
    }
    TriageAnswer answer;
    answer.line = line;
    if (auto id = record->find("id");
        id != record->end() && id->is_string() && !id->get_ref<const std::string&>().empty()) {
      answer.alert_id = id->get<std::string>();
    } else {
      run.problems.push_back("line " + std::to_string(line) + ": id: missing or not a string");
      answer.alert_id = "line-" + std::to_string(line);
    }
    std::vector<std::string>* problems = &run.problems;
    answer.actual_class = Pick(*record, "label", kClasses, line, problems);
    answer.predicted_class = Pick(*record, "chatgpt_classification", kClasses, line, problems);
    answer.actual_priority = Pick(*record, "rule_priority", kPriorities, line, problems);
    answer.predicted_priority = Pick(*record, "chatgpt_priority", kPriorities, line, problems);
    if (!answer.actual_class || !answer.actual_priority) ++run.bad_labels;
    if (!answer.predicted_class) ++run.missing_classification;
    if (!answer.predicted_priority) ++run.missing_priority;
    run.answers.push_back(std::move(answer));
  }
  if (in.bad()) return IoError(file.string() + ": read failed at line " + std::to_string(line));
  return run;
}

Result<std::vector<TriageRun>> ReadTriageRuns(const fs::path& dir) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    // run-<model>.jsonl with a non-empty model
    if (name.size() > kRunPrefix.size() + kRunSuffix.size() && name.starts_with(kRunPrefix) &&
        name.ends_with(kRunSuffix)) {
      files.push_back(it->path());
    }
  }
  if (ec) return IoError(dir.string() + ": cannot list: " + ec.message());
  if (files.empty())
    return NotFound(dir.string() + ": no run-<model>.jsonl files", {{"field", "dir"}});
  std::sort(files.begin(), files.end());
  std::vector<TriageRun> runs;
  for (const fs::path& file : files) {
    PACTUM_ASSIGN_OR_RETURN(TriageRun run, ReadTriageRun(file));
    runs.push_back(std::move(run));
  }
  return runs;
}

ClassificationMetrics MeasureClassification(const std::vector<TriageAnswer>& answers) {
  ClassificationMetrics m;
  for (const TriageAnswer& a : answers) {
    if (!a.predicted_class || !a.actual_class) continue;
    const bool said_threat = *a.predicted_class == "TP";
    const bool was_threat = *a.actual_class == "TP";
    if (said_threat && was_threat) ++m.tp;
    if (said_threat && !was_threat) ++m.fp;
    if (!said_threat && !was_threat) ++m.tn;
    if (!said_threat && was_threat) ++m.fn;
  }
  m.tpr = Ratio(m.tp, m.tp + m.fn);
  m.fpr = Ratio(m.fp, m.fp + m.tn);
  m.precision = Ratio(m.tp, m.tp + m.fp);
  m.f1 = Ratio(2 * m.tp, 2 * m.tp + m.fp + m.fn);
  m.accuracy = Ratio(m.tp + m.tn, m.tp + m.fp + m.tn + m.fn);
  return m;
}

PriorityMetrics MeasurePriority(const std::vector<TriageAnswer>& answers) {
  PriorityMetrics m;
  std::size_t right = 0;
  for (const TriageAnswer& a : answers) {
    if (!a.predicted_priority || !a.actual_priority) continue;
    const std::size_t actual = PriorityIndex(*a.actual_priority);
    const std::size_t predicted = PriorityIndex(*a.predicted_priority);
    ++m.confusion[actual][predicted];
    ++m.total;
    if (actual == predicted) ++right;
  }
  m.accuracy = Ratio(right, m.total);
  double precision = 0, recall = 0, f1 = 0;
  std::size_t classes = 0;
  for (std::size_t c = 0; c < kPriorities.size(); ++c) {
    std::size_t labelled = 0, predicted = 0;
    for (std::size_t other = 0; other < kPriorities.size(); ++other) {
      labelled += m.confusion[c][other];
      predicted += m.confusion[other][c];
    }
    if (labelled == 0 && predicted == 0) continue;
    const std::size_t tp = m.confusion[c][c];
    ++classes;
    precision += Ratio(tp, predicted).value_or(0);
    recall += Ratio(tp, labelled).value_or(0);
    f1 += Ratio(2 * tp, labelled + predicted).value_or(0);
  }
  if (classes > 0) {
    const double n = static_cast<double>(classes);
    m.macro_precision = precision / n;
    m.macro_recall = recall / n;
    m.macro_f1 = f1 / n;
  }
  return m;
}

Result<ReplayReport> ReplayTriageRuns(std::vector<TriageRun> runs, const pact::Pact& pact,
                                      const ReplayOptions& options) {
  ManualClock clock(options.start);
  ServiceOptions service_options;
  service_options.data_dir = options.data_dir;
  service_options.clock = &clock;
  service_options.review_sweep = std::chrono::milliseconds(0);
  PACTUM_ASSIGN_OR_RETURN(std::unique_ptr<Service> service, Service::Open(service_options));
  PACTUM_ASSIGN_OR_RETURN(IssuedKey key,
                          service->CreateOperatorKey("replay", "soc-triage replay", {"admin"}));
  PACTUM_ASSIGN_OR_RETURN(Principal caller, service->Authenticate(key.secret));
  PACTUM_ASSIGN_OR_RETURN(Service::Publication published,
                          service->PublishPact(caller, pact::ToJson(pact)));

  ReplayReport report;
  report.pact = {
      {"name", pact.name}, {"version", pact.version}, {"hash", published.pact.value("hash", "")}};
  report.start = FormatRfc3339(options.start);
  report.spacing_seconds = options.spacing.count();

  // Every run shares one timeline: answer k of every run at start + (k − 1) · spacing; trust
  // is read when the longest run has ended.
  std::size_t longest = 0;
  for (const TriageRun& run : runs) {
    for (const TriageAnswer& a : run.answers)
      longest = std::max(longest, a.line);
  }
  auto answer_time = [&](std::size_t line) {
    return options.start + options.spacing * static_cast<std::int64_t>(line - 1);
  };
  const TimePoint end = options.start + options.spacing * static_cast<std::int64_t>(longest);

  // The agents are registered at the start and their answers submitted at the end, so the
  // log's own times never go backwards.
  for (const TriageRun& run : runs) {
    const std::string agent_id = "triage-" + run.model;
    Json record = {{"id", agent_id},
                   {"display_name", "Alert triage (" + run.model + ")"},
                   {"owner", pact.owner},
                   {"provider", ProviderOf(run.model)},
                   {"model", run.model},
                   {"assets", {{"model_id", run.model}, {"tools", {"classify_alert"}}}}};
    if (Result<Json> registered = service->RegisterAgent(caller, record);
        !registered.ok() && registered.status().code() != Code::kAlreadyExists) {
      return registered.status().WithContext(agent_id);
    }
  }
  clock.Set(end);

  for (TriageRun& run : runs) {
    AgentReplay agent;
    agent.agent_id = "triage-" + run.model;
    agent.model = run.model;
    agent.provider = ProviderOf(run.model);

    std::vector<EvidenceSubmission> items;
    std::vector<const TriageAnswer*> fed;
    for (const TriageAnswer& a : run.answers) {
      if (!HasPart(a)) continue;
      items.push_back(
          {AnswerEvidence(agent.agent_id, pact.workflow, a, FormatRfc3339(answer_time(a.line))),
           std::nullopt, run.file.filename().string() + ":" + std::to_string(a.line)});
      fed.push_back(&a);
    }
    agent.submitted = items.size();
    std::map<std::uint64_t, const TriageAnswer*> by_log_index;
    // One commit per batch; a run longer than a batch (the service takes at most 100,000
    // items a call) goes in several, still in file order.
    for (std::size_t first = 0; first < items.size(); first += kBatch) {
      const std::size_t last = std::min(items.size(), first + kBatch);
      std::vector<EvidenceSubmission> batch(std::make_move_iterator(items.begin() + first),
                                            std::make_move_iterator(items.begin() + last));
      PACTUM_ASSIGN_OR_RETURN(std::vector<EvidenceReceipt> receipts,
                              service->SubmitEvidence(caller, std::move(batch)));
      for (std::size_t i = 0; i < receipts.size(); ++i)
        by_log_index[receipts[i].log_index] = fed[first + i];
    }

    EventQuery query;
    query.agent = agent.agent_id;
    query.workflow = pact.workflow;
    query.limit = 1000;
    for (;;) {
      PACTUM_ASSIGN_OR_RETURN(Json page, service->ListEvents(caller, query));
      for (const Json& event : page) {
        const std::string type = event.value("type", "");
        auto cause = by_log_index.find(event.value("cause_index", std::uint64_t{0}));
        if (type == "score.changed" || cause == by_log_index.end()) continue;
        agent.events.push_back({cause->second->line, cause->second->alert_id,
                                FormatRfc3339(answer_time(cause->second->line)), type,
                                event.value("data", Json::object())});
      }
      if (page.size() < query.limit) break;
      query.after = page.back().value("log_index", std::uint64_t{0});
    }

    PACTUM_ASSIGN_OR_RETURN(agent.trust,
                            service->ExplainTrust(caller, agent.agent_id, pact.workflow));
    agent.classification = MeasureClassification(run.answers);
    agent.priority = MeasurePriority(run.answers);
    agent.run = std::move(run);
    report.agents.push_back(std::move(agent));
  }
  return report;
}

Json ToJson(const ClassificationMetrics& m) {
  return {
      {"tp", m.tp},
      {"fp", m.fp},
      {"tn", m.tn},
      {"fn", m.fn},
      // rows: the analyst's label; columns: the agent's answer
      {"confusion", {{"TP", {{"TP", m.tp}, {"FP", m.fn}}}, {"FP", {{"TP", m.fp}, {"FP", m.tn}}}}},
      {"tpr", Optional(m.tpr)},
      {"fpr", Optional(m.fpr)},
      {"precision", Optional(m.precision)},
      {"f1", Optional(m.f1)},
      {"accuracy", Optional(m.accuracy)}};
}

Json ToJson(const PriorityMetrics& m) {
  Json confusion = Json::object();
  for (std::size_t actual = 0; actual < kPriorities.size(); ++actual) {
    Json row = Json::object();
    for (std::size_t predicted = 0; predicted < kPriorities.size(); ++predicted)
      row[kPriorities[predicted]] = m.confusion[actual][predicted];
    confusion[kPriorities[actual]] = std::move(row);
  }
  return {{"total", m.total},
          {"confusion", std::move(confusion)},
          {"accuracy", Optional(m.accuracy)},
          {"macro_precision", Optional(m.macro_precision)},
          {"macro_recall", Optional(m.macro_recall)},
          {"macro_f1", Optional(m.macro_f1)}};
}

Json ToJson(const ReplayReport& report) {
  Json agents = Json::array();
  for (const AgentReplay& a : report.agents) {
    Json events = Json::array();
    for (const ReplayEvent& e : a.events) {
      events.push_back({{"line", e.line},
                        {"alert", e.alert_id},
                        {"time", e.time},
                        {"type", e.type},
                        {"data", e.data}});
    }
    const Json& t = a.trust;
    auto score = [&](const char* side) -> Json {
      const auto it = t.find(side);
      const Json s = it != t.end() && it->is_object() ? *it : Json::object();
      return {{"score", s.value("score", Json())},
              {"lower_bound", s.value("lower_bound", Json())},
              {"confidence", s.value("confidence", Json())},
              {"tier", s.value("tier", Json())},
              {"measured", s.value("measured", false)}};
    };
    agents.push_back({{"agent", a.agent_id},
                      {"model", a.model},
                      {"provider", a.provider},
                      {"file", a.run.file.string()},
                      {"lines", a.run.lines},
                      {"answers", a.run.answers.size()},
                      {"submitted", a.submitted},
                      {"unreadable_lines", a.run.unreadable_lines},
                      {"missing_classification", a.run.missing_classification},
                      {"missing_priority", a.run.missing_priority},
                      {"bad_labels", a.run.bad_labels},
                      {"problems", a.run.problems},
                      {"classification", ToJson(a.classification)},
                      {"priority", ToJson(a.priority)},
                      {"capability", score("capability")},
                      {"reputation", score("reputation")},
                      {"tier", t.value("tier", Json())},
                      {"autonomy", t.value("autonomy", Json())},
                      {"base_autonomy", t.value("base_autonomy", Json())},
                      {"drifting", t.value("drifting", false)},
                      {"events", std::move(events)},
                      {"explained", t}});
  }
  return {{"pact", report.pact},
          {"start", report.start},
          {"spacing_seconds", report.spacing_seconds},
          {"agents", std::move(agents)}};
}

}  // namespace pactum::service
