// `pactum scorecard`: weekly KPI scorecards (docs/API.md "Scorecards") from a running server, as
// a table, JSON or CSV.
#include <cctype>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <vector>

#include "pactum/cli/commands.h"
#include "pactum/cli/remote.h"

namespace pactum::cli {
namespace {

struct ScorecardFlags {
  RemoteFlags remote;
  std::string agent, workflow, from, to;
  unsigned weeks = 0;
  std::string format = "table";
};

// RFC 3986 percent-encoding of a query value.
std::string QueryValue(const std::string& value) {
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// One column of the flat form: its name and where its value is in a card.
struct Column {
  const char* name;
  const char* kpi;  // null: a top-level field
  const char* field;
};

constexpr Column kColumns[] = {
    {"agent", nullptr, "agent"},
    {"workflow", nullptr, "workflow"},
    {"from", nullptr, "from"},
    {"to", nullptr, "to"},
    {"containment_n", "time_to_containment", "n"},
    {"containment_median_s", "time_to_containment", "median_seconds"},
    {"containment_p90_s", "time_to_containment", "p90_seconds"},
    {"fp_load_n", "false_positive_load", "n"},
    {"fp_load_count", "false_positive_load", "count"},
    {"fp_load_share", "false_positive_load", "share"},
    {"severity_n", "severity", "n"},
    {"severity_accuracy", "severity", "accuracy"},
    {"severity_macro_precision", "severity", "macro_precision"},
    {"severity_macro_recall", "severity", "macro_recall"},
    {"severity_macro_f1", "severity", "macro_f1"},
    {"classification_n", "classification", "n"},
    {"tpr", "classification", "tpr"},
    {"fpr", "classification", "fpr"},
    {"classification_precision", "classification", "precision"},
    {"classification_f1", "classification", "f1"},
    {"escalation_n", "escalation", "n"},
    {"escalation_precision", "escalation", "precision"},
    {"escalation_recall", "escalation", "recall"},
};

Json Value(const Json& card, const Column& c) {
  const Json* at = &card;
  if (c.kpi) {
    if (!card.contains(c.kpi)) return nullptr;
    at = &card[c.kpi];
  }
  return at->is_object() && at->contains(c.field) ? (*at)[c.field] : Json(nullptr);
}

Json ResolveValue(const Json& card, const char* field) {
  const Json& e = card.value("escalation", Json::object());
  const Json& t = e.value("time_to_resolve", Json::object());
  return t.is_object() && t.contains(field) ? t[field] : Json(nullptr);
}

std::string Cell(const Json& v, bool exact) {
  if (v.is_null()) return exact ? "" : "-";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float() && !exact) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v.get<double>());
    return buf;
  }
  return v.dump();
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void PrintCsv(const Json& cards) {
  std::string header;
  for (const Column& c : kColumns)
    header += std::string(c.name) + ",";
  std::cout << header << "resolve_n,resolve_median_s,resolve_p90_s\n";
  for (const Json& card : cards) {
    std::string line;
    for (const Column& c : kColumns)
      line += CsvField(Cell(Value(card, c), true)) + ",";
    line += Cell(ResolveValue(card, "n"), true) + "," +
            Cell(ResolveValue(card, "median_seconds"), true) + "," +
            Cell(ResolveValue(card, "p90_seconds"), true);
    std::cout << line << "\n";
  }
}

// One block per card: a KPI a line, with its sample size.
void PrintTable(const Json& cards) {
  if (cards.empty()) std::cout << "no scorecards: no data in the period\n";
  for (const Json& card : cards) {
    std::cout << card.value("agent", "") << " in " << card.value("workflow", "") << ", "
              << card.value("from", "") << " to " << card.value("to", "") << "\n";
    auto row = [](const std::string& name, const std::string& values, const Json& n) {
      std::cout << "  " << std::left << std::setw(26) << name << std::setw(46) << values
                << "n=" << Cell(n, false) << "\n";
    };
    auto get = [&](const char* kpi, const char* field) {
      return Cell(Value(card, Column{"", kpi, field}), false);
    };
    row("time to containment (s)",
        "median " + get("time_to_containment", "median_seconds") + ", p90 " +
            get("time_to_containment", "p90_seconds"),
        Value(card, {"", "time_to_containment", "n"}));
    row("false-positive load",
        get("false_positive_load", "count") + " (share " + get("false_positive_load", "share") +
            ")",
        Value(card, {"", "false_positive_load", "n"}));
    row("severity",
        "accuracy " + get("severity", "accuracy") + ", macro F1 " + get("severity", "macro_f1"),
        Value(card, {"", "severity", "n"}));
    row("TP/FP classification",
        "TPR " + get("classification", "tpr") + ", FPR " + get("classification", "fpr") + ", F1 " +
            get("classification", "f1"),
        Value(card, {"", "classification", "n"}));
    row("escalation",
        "precision " + get("escalation", "precision") + ", recall " + get("escalation", "recall"),
        Value(card, {"", "escalation", "n"}));
    row("review time to resolve (s)",
        "median " + Cell(ResolveValue(card, "median_seconds"), false) + ", p90 " +
            Cell(ResolveValue(card, "p90_seconds"), false),
        ResolveValue(card, "n"));
  }
}

int Run(const ScorecardFlags& f) {
  if (f.format != "table" && f.format != "json" && f.format != "csv") {
    std::cerr << "pactum scorecard: --format must be table, json or csv\n";
    return kExitUsage;
  }
  std::string query;
  auto add = [&](const char* name, const std::string& value) {
    if (value.empty()) return;
    query += (query.empty() ? "?" : "&") + std::string(name) + "=" + QueryValue(value);
  };
  add("agent", f.agent);
  add("workflow", f.workflow);
  add("from", f.from);
  add("to", f.to);
  if (f.weeks) add("weeks", std::to_string(f.weeks));
  auto client = Connect(f.remote);
  if (!client.ok()) {
    std::cerr << "pactum scorecard: " << client.status().message() << "\n";
    return kExitFailure;
  }
  auto answer = CallJson(**client, "GET", "/v1/scorecards" + query);
  if (!answer.ok()) {
    std::cerr << "pactum scorecard: " << answer.status().message() << "\n";
    return kExitFailure;
  }
  const Json cards = answer->value("scorecards", Json::array());
  if (f.format == "json") {
    std::cout << answer->dump(2) << "\n";
  } else if (f.format == "csv") {
    PrintCsv(cards);
  } else {
    PrintTable(cards);
  }
  return 0;
}

}  // namespace

void RegisterScorecard(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<ScorecardFlags>();
  auto* cmd = app.add_subcommand("scorecard",
                                 "Weekly KPI scorecards per agent and workflow (against a server)");
  cmd->add_option("--agent", flags->agent, "Only this agent");
  cmd->add_option("--workflow", flags->workflow, "Only this workflow");
  cmd->add_option("--from", flags->from, "Start of the period (RFC 3339; default a week ago)");
  cmd->add_option("--to", flags->to, "End of the period, exclusive (RFC 3339; default now)");
  cmd->add_option("--weeks", flags->weeks, "That many consecutive weekly cards ending at --to");
  cmd->add_option("--format", flags->format, "table, json or csv (default table)");
  AddRemoteOptions(cmd, &flags->remote);
  cmd->callback([flags, exit_code] { *exit_code = Run(*flags); });
}

}  // namespace pactum::cli
