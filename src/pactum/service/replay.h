// Replay of recorded SOC triage runs through the trust loop (issue 7; data in
// /work/shared/data/soc-triage, docs/SOC.md). Each run-<model>.jsonl file is one agent's
// production history: every line an alert with the analyst's labels (`label`, `rule_priority`)
// and the agent's answer (`chatgpt_classification`, `chatgpt_priority`). The replay registers
// each run as agent `triage-<model>`, publishes the pact, feeds the answers in file order as
// production outcomes on a manual clock (so a replay gives the same result every time), and
// reports per agent the classification and priority metrics, the final trust and the drift
// alarms, breaches and consequences with the alert that tripped each.
//
// Bad lines never stop a replay: a line that is not a JSON object, or an answer or label that
// is missing or outside its vocabulary, is counted and described, and that part is left out.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pactum/base/clock.h"
#include "pactum/base/status.h"
#include "pactum/pact/pact.h"

namespace pactum::service {

// One line of a run file. A part (classification, priority) is present only when both its
// answer and its label are valid.
struct TriageAnswer {
  std::size_t line = 0;  // 1-based line number in the file
  std::string alert_id;
  std::optional<std::string> predicted_class, actual_class;        // "TP" | "FP"
  std::optional<std::string> predicted_priority, actual_priority;  // Low Medium High Critical
};

struct TriageRun {
  std::string model;  // <model> of run-<model>.jsonl
  std::filesystem::path file;
  std::size_t lines = 0;  // non-empty lines
  std::vector<TriageAnswer> answers;
  // Counts of what was left out, and one message per problem ("line 17: chatgpt_priority:
  // \"Urgent\" is not one of Low, Medium, High, Critical").
  std::size_t unreadable_lines = 0;
  std::size_t missing_classification = 0, missing_priority = 0;  // no valid answer
  std::size_t bad_labels = 0;                                    // no valid label
  std::vector<std::string> problems;
};

// Reads every run-*.jsonl of `dir`, sorted by file name. Fails only when the folder cannot be
// read or holds no run file.
Result<std::vector<TriageRun>> ReadTriageRuns(const std::filesystem::path& dir);
Result<TriageRun> ReadTriageRun(const std::filesystem::path& file);

// Undefined ratios (a zero denominator) are nullopt.
struct ClassificationMetrics {
  std::size_t tp = 0, fp = 0, tn = 0, fn = 0;  // "TP" is the positive class
  std::optional<double> tpr, fpr, precision, f1, accuracy;
};

inline constexpr std::array<const char*, 4> kPriorities = {"Low", "Medium", "High", "Critical"};

struct PriorityMetrics {
  // confusion[actual][predicted], in kPriorities order.
  std::array<std::array<std::size_t, 4>, 4> confusion{};
  std::size_t total = 0;
  std::optional<double> accuracy;
  // Macro averages over the classes that occur as label or answer (as the pact metric
  // priority.macro_f1 does); a class never predicted has precision 0, one never labelled
  // recall 0. Macro F1 is the mean of the per-class F1s.
  std::optional<double> macro_precision, macro_recall, macro_f1;
};

ClassificationMetrics MeasureClassification(const std::vector<TriageAnswer>& answers);
PriorityMetrics MeasurePriority(const std::vector<TriageAnswer>& answers);

// A trust event the replay caused, tied to the answer whose evidence caused it.
struct ReplayEvent {
  std::size_t line = 0;  // the answer's line in its run file
  std::string alert_id;
  std::string time;  // RFC 3339, the evidence time
  std::string type;  // pact.breached, trust.drift_detected, consequence.applied, tier.changed ...
  Json data;
};

struct AgentReplay {
  std::string agent_id;  // triage-<model>
  std::string model, provider;
  TriageRun run;
  std::size_t submitted = 0;  // evidence items fed (answers with at least one part)
  ClassificationMetrics classification;
  PriorityMetrics priority;
  Json trust;                       // explained trust (docs/API.md) after the last answer
  std::vector<ReplayEvent> events;  // in log order; score.changed left out
};

struct ReplayOptions {
  std::filesystem::path data_dir;  // the service's data folder (created if absent)
  TimePoint start = FromUnixMillis(1'793'491'200'000);  // 2026-11-01T00:00:00Z
  std::chrono::seconds spacing{1800};                   // between answers of one run
};

struct ReplayReport {
  Json pact;  // {name, version, hash}
  std::string start;
  std::int64_t spacing_seconds = 0;
  std::vector<AgentReplay> agents;
};

// Runs the loop over `runs` under `pact` in a Service on `options.data_dir`. Re-running on the
// same folder counts each answer once (idempotency keys) and gives the same report.
Result<ReplayReport> ReplayTriageRuns(std::vector<TriageRun> runs, const pact::Pact& pact,
                                      const ReplayOptions& options);

Json ToJson(const ClassificationMetrics& m);
Json ToJson(const PriorityMetrics& m);
Json ToJson(const ReplayReport& report);

}  // namespace pactum::service
