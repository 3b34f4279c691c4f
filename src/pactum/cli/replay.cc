// `pactum replay soc-triage DIR`: replays recorded LLM triage runs (run-<model>.jsonl) through
// the trust loop in process (service/replay.h) and prints, per agent, the classification and
// priority metrics, the final trust, and the drift alarms, breaches and consequences with the
// alert that tripped each. Exit 1 when the pact, the runs or the data folder cannot be used.
#include "pactum/service/replay.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <sstream>

#include "pactum/cli/commands.h"
#include "pactum/pact/loader.h"

namespace pactum::cli {
namespace {

namespace fs = std::filesystem;

struct ReplayFlags {
  std::string dir;
  std::string pact = "examples/soc/alert-triage.yaml";
  std::string data;
  bool json = false;
};

std::string Fixed(const Json& value, int decimals = 3) {
  if (!value.is_number()) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value.get<double>());
  return buffer;
}

std::string Text(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "-";
  return value.dump();
}

std::string Pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string PadLeft(std::string s, std::size_t width) {
  if (s.size() < width) s.insert(0, width - s.size(), ' ');
  return s;
}

std::string Score(const Json& side) {
  if (!side.value("measured", false)) return "unmeasured";
  return Text(side["score"]) + " (lb " + Text(side["lower_bound"]) + ")";
}

// One line for an event, in an analyst's terms.
std::string Describe(const Json& event) {
  const std::string type = event.value("type", "");
  const Json& d = event["data"];
  std::ostringstream out;
  out << type;
  if (type == "pact.breached") {
    out << " " << Text(d.value("condition", Json())) << ": " << Text(d.value("metric", Json()))
        << " = " << Fixed(d.value("value", Json())) << ", needs " << Text(d.value("op", Json()))
        << " " << Text(d.value("threshold", Json())) << " (" << Text(d.value("samples", Json()))
        << " samples, " << Text(d.value("severity", Json())) << ")";
  } else if (type == "trust.drift_detected") {
    out << " " << Text(d.value("condition", Json())) << ": CUSUM "
        << Fixed(d.value("statistic", Json()), 2) << " > h " << Fixed(d.value("h", Json()), 2)
        << " (allowed failure rate " << Fixed(d.value("p0", Json())) << ")";
  } else if (type == "consequence.applied") {
    const Json cause = d.value("cause", Json::object());
    out << " " << Text(d.value("action", Json())) << ": " << Text(d.value("from", Json())) << " -> "
        << Text(d.value("to", Json())) << " (" << Text(d.value("reason", Json()));
    if (cause.is_object() && cause.contains("condition")) out << " of " << Text(cause["condition"]);
    out << ")";
  } else if (type == "tier.changed") {
    const Json autonomy = d.value("autonomy", Json::object());
    out << " " << Text(d.value("from", Json())) << " -> " << Text(d.value("to", Json()));
    if (autonomy.is_object())
      out << " (autonomy " << Text(autonomy.value("from", Json())) << " -> "
          << Text(autonomy.value("to", Json())) << ")";
  }
  return out.str();
}

void PrintTable(const Json& report, const std::string& dir) {
  const Json& pact = report["pact"];
  std::cout << "Replay of " << report["agents"].size() << " triage runs from " << dir
            << " under pact " << Text(pact["name"]) << " v" << Text(pact["version"]) << " ("
            << Text(pact["hash"]).substr(0, 12) << "), one answer every "
            << Text(report["spacing_seconds"]) << " s from " << Text(report["start"]) << "\n\n";
  std::cout << Pad("agent", 26) << PadLeft("fed", 4) << " | classification: TPR    FPR   prec"
            << "     F1    acc | priority: acc  macroP macroR macroF1 | reputation   tier     "
               "autonomy\n";
  for (const Json& a : report["agents"]) {
    const Json& c = a["classification"];
    const Json& p = a["priority"];
    std::cout << Pad(Text(a["agent"]), 26) << PadLeft(Text(a["submitted"]), 4) << " | "
              << PadLeft(Fixed(c["tpr"]), 19) << PadLeft(Fixed(c["fpr"]), 7)
              << PadLeft(Fixed(c["precision"]), 7) << PadLeft(Fixed(c["f1"]), 7)
              << PadLeft(Fixed(c["accuracy"]), 7) << " | " << PadLeft(Fixed(p["accuracy"]), 13)
              << PadLeft(Fixed(p["macro_precision"]), 7) << PadLeft(Fixed(p["macro_recall"]), 7)
              << PadLeft(Fixed(p["macro_f1"]), 8) << " | " << Pad(Score(a["reputation"]), 12) << " "
              << Pad(Text(a["tier"]), 8) << " " << Text(a["autonomy"]) << "\n";
  }
  for (const Json& a : report["agents"]) {
    std::cout << "\n"
              << Text(a["agent"]) << " (" << Text(a["provider"]) << " " << Text(a["model"])
              << "): " << Text(a["lines"]) << " lines, " << Text(a["submitted"])
              << " fed; capability " << Score(a["capability"]) << ", reputation "
              << Score(a["reputation"]) << ", tier " << Text(a["tier"]) << ", autonomy "
              << Text(a["autonomy"]) << (a.value("drifting", false) ? ", drifting" : "") << "\n";
    std::cout << "  left out: " << Text(a["unreadable_lines"]) << " unreadable lines, "
              << Text(a["missing_classification"]) << " without a valid classification, "
              << Text(a["missing_priority"]) << " without a valid priority, "
              << Text(a["bad_labels"]) << " with a bad label\n";
    for (const Json& problem : a["problems"])
      std::cout << "    " << Text(problem) << "\n";
    const Json& cc = a["classification"]["confusion"];
    std::cout << "  classification (rows: analyst, columns: agent)      TP     FP\n";
    for (const char* row : {"TP", "FP"}) {
      std::cout << "    " << Pad(row, 48) << PadLeft(Text(cc[row]["TP"]), 6)
                << PadLeft(Text(cc[row]["FP"]), 7) << "\n";
    }
    const Json& pc = a["priority"]["confusion"];
    std::cout << "  priority (rows: analyst, columns: agent)";
    for (const char* column : service::kPriorities)
      std::cout << PadLeft(column, 9);
    std::cout << "\n";
    for (const char* row : service::kPriorities) {
      std::cout << "    " << Pad(row, 38);
      for (const char* column : service::kPriorities)
        std::cout << PadLeft(Text(pc[row][column]), 9);
      std::cout << "\n";
    }
    if (a["events"].empty()) {
      std::cout << "  events: none\n";
      continue;
    }
    std::cout << "  events (line, alert, time: what it tripped):\n";
    for (const Json& e : a["events"]) {
      std::cout << "    " << PadLeft(Text(e["line"]), 4) << "  " << Pad(Text(e["alert"]), 21) << " "
                << Text(e["time"]) << ": " << Describe(e) << "\n";
    }
  }
}

int Replay(const ReplayFlags& f) {
  auto fail = [](const Status& s) {
    std::cerr << "pactum replay soc-triage: " << s.message() << "\n";
    return kExitFailure;
  };
  Result<pact::Pact> pact = pact::LoadPactFile(f.pact);
  if (!pact.ok()) return fail(pact.status());
  Result<std::vector<service::TriageRun>> runs = service::ReadTriageRuns(f.dir);
  if (!runs.ok()) return fail(runs.status());

  service::ReplayOptions options;
  const bool temporary = f.data.empty();
  if (temporary) {
    options.data_dir =
        fs::temp_directory_path() / ("pactum-replay-" + std::to_string(std::random_device{}()) +
                                     "-" + std::to_string(std::random_device{}()));
  } else {
    options.data_dir = f.data;
  }
  Result<service::ReplayReport> report =
      service::ReplayTriageRuns(std::move(*runs), *pact, options);
  if (temporary) {
    std::error_code ec;
    fs::remove_all(options.data_dir, ec);
  }
  if (!report.ok()) return fail(report.status());
  const Json json = service::ToJson(*report);
  if (f.json) {
    std::cout << json.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
  } else {
    PrintTable(json, f.dir);
  }
  return 0;
}

}  // namespace

void RegisterReplay(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<ReplayFlags>();
  CLI::App* replay =
      app.add_subcommand("replay", "Replay recorded agent runs through the trust loop");
  replay->require_subcommand(1);
  CLI::App* triage = replay->add_subcommand(
      "soc-triage",
      "Replay run-<model>.jsonl triage runs as agents triage-<model>: metrics, trust, breaches");
  triage->add_option("dir", flags->dir, "Folder with run-<model>.jsonl files")->required();
  triage->add_option("--pact", flags->pact, "The pact (default examples/soc/alert-triage.yaml)");
  triage->add_option("--data", flags->data,
                     "Data folder to keep (default: a temporary one, removed after)");
  triage->add_flag("--json", flags->json, "Print the report as JSON");
  triage->callback([flags, exit_code] { *exit_code = Replay(*flags); });
}

}  // namespace pactum::cli
