#include "pactum/service/packet_html.h"

#include <cstdio>

#include "pactum/crypto/dsse.h"
#include "pactum/crypto/statement.h"
#include "pactum/ledger/bundle.h"

namespace pactum::service {
namespace {

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A JSON value as table text: strings bare, null as an em dash, numbers with at most three
// decimals.
std::string Text(const Json& v) {
  if (v.is_null()) return "—";
  if (v.is_string()) return Escape(v.get<std::string>());
  if (v.is_number_float()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v.get<double>());
    return buf;
  }
  return Escape(v.dump());
}

std::string Field(const Json& object, const char* key) {
  return object.is_object() && object.contains(key) ? Text(object[key]) : "—";
}

class Page {
 public:
  void Section(const char* id, const char* title) {
    if (open_) html_ += "</section>\n";
    html_ += "<section id=\"" + std::string(id) + "\"><h2>" + title + "</h2>\n";
    open_ = true;
  }
  void Para(const std::string& escaped) { html_ += "<p>" + escaped + "</p>\n"; }
  // A table of the given columns over `rows` (objects); `empty` when there are none.
  void Table(const Json& rows, std::initializer_list<const char*> columns, const char* empty) {
    if (!rows.is_array() || rows.empty()) {
      Para(std::string("<em>") + empty + "</em>");
      return;
    }
    html_ += "<table><tr>";
    for (const char* c : columns)
      html_ += "<th>" + std::string(c) + "</th>";
    html_ += "</tr>\n";
    for (const Json& row : rows) {
      html_ += "<tr>";
      for (const char* c : columns)
        html_ += "<td>" + Field(row, c) + "</td>";
      html_ += "</tr>\n";
    }
    html_ += "</table>\n";
  }
  void Pairs(std::initializer_list<std::pair<const char*, std::string>> pairs) {
    html_ += "<dl>";
    for (const auto& [name, value] : pairs)
      html_ += "<dt>" + std::string(name) + "</dt><dd>" + value + "</dd>";
    html_ += "</dl>\n";
  }
  void Raw(const std::string& html) { html_ += html; }
  std::string Finish() {
    if (open_) html_ += "</section>\n";
    return html_;
  }

 private:
  std::string html_;
  bool open_ = false;
};

std::string Kpi(const Json& kpi, std::initializer_list<const char*> keys) {
  std::string out = "n = " + Field(kpi, "n");
  for (const char* k : keys)
    out += "; " + std::string(k) + " " + Field(kpi, k);
  return out;
}

constexpr const char* kStyle = R"(
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:68em;color:#1b1b1b}
h1{font-size:1.6em}h2{font-size:1.2em;border-bottom:1px solid #ccc;padding-bottom:.2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;
text-align:left;vertical-align:top;overflow-wrap:anywhere}th{background:#f2f2f2}dl{display:grid;
grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:600}dd{margin:0}
code,pre{font:12px ui-monospace,monospace;word-break:break-all;white-space:pre-wrap}
.note{color:#555}
)";

std::string Render(const crypto::DsseEnvelope& envelope, const Json& p) {
  const Json& agent = p.value("agent", Json::object());
  const std::string title = "Trust packet: " + Field(agent, "id") + " in " + Field(p, "workflow");

  Page page;
  page.Raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title +
           "</title><style>" + kStyle + "</style></head><body>\n<h1>" + title + "</h1>\n");
  page.Para("<span class=\"note\">Generated " + Field(p, "generated_at") +
            ". This page is a view of the signed JSON; verify that with <code>pactum verify "
            "packet.json --key KEYFILE</code>.</span>");

  page.Section("identity", "Identity and assets");
  const Json& record = agent.value("record", Json::object());
  page.Pairs(
      {{"Agent", Field(agent, "id")},
       {"Display name", Field(record, "display_name")},
       {"Owner", Field(record, "owner")},
       {"Provider / model", Field(record, "provider") + " / " + Field(record, "model")},
       {"Fingerprint", "<code>" + Field(agent, "fingerprint") + "</code>"},
       {"Assets", "<pre>" + Escape(record.value("assets", Json::object()).dump(2)) + "</pre>"}});
  page.Table(agent.value("versions", Json::array()), {"log_index", "fingerprint", "at"},
             "No recorded versions.");

  page.Section("pacts", "Pacts");
  page.Table(p.value("pacts", Json::array()),
             {"name", "version", "hash", "mode", "in_force", "published_at", "log_index"},
             "No pact versions.");

  page.Section("controls", "Controls map");
  Json controls = Json::array();
  for (Json c : p.value("controls", Json::array())) {
    std::string actions;
    for (const Json& a : c.value("actions", Json::array()))
      actions += (actions.empty() ? "" : ", ") + a.get<std::string>();
    c["actions"] = actions;
    c["annotations"] = c.value("annotations", Json::object()).dump();
    controls.push_back(std::move(c));
  }
  page.Table(controls, {"policy", "effect", "actions", "conditions", "escalates_to", "annotations"},
             "The pact has no boundary policies: it permits nothing.");

  page.Section("scores", "Trust scores");
  const Json& scores = p.value("scores", Json::object());
  auto score = [&](const char* name) {
    const Json& s = scores.value(name, Json::object());
    return Field(s, "score") + " (lower bound " + Field(s, "lower_bound") + ", confidence " +
           Field(s, "confidence") + ")";
  };
  page.Pairs({{"Capability", score("capability")},
              {"Reputation", score("reputation")},
              {"Tier", Field(scores, "tier")},
              {"Autonomy", Field(scores, "autonomy")},
              {"Drifting", Field(scores, "drifting")},
              {"As of", Field(scores, "as_of")}});
  Json history = Json::array();
  for (const Json& e : p.value("score_history", Json::array()))
    history.push_back({{"time", e.value("time", Json())},
                       {"log_index", e.value("log_index", Json())},
                       {"change", e.value("data", Json::object()).dump()}});
  page.Table(history, {"time", "log_index", "change"}, "No score changes recorded.");

  page.Section("scorecard", "Scorecard (last 7 days)");
  const Json& card = p.value("scorecard", Json::object());
  if (card.is_object()) {
    page.Pairs({{"Period", Field(card, "from") + " to " + Field(card, "to")},
                {"Time to containment (s)", Kpi(card.value("time_to_containment", Json::object()),
                                                {"median_seconds", "p90_seconds"})},
                {"False-positive load",
                 Kpi(card.value("false_positive_load", Json::object()), {"count", "share"})},
                {"Severity classification",
                 Kpi(card.value("severity", Json::object()),
                     {"accuracy", "macro_precision", "macro_recall", "macro_f1"})},
                {"TP/FP classification", Kpi(card.value("classification", Json::object()),
                                             {"tpr", "fpr", "precision", "f1"})},
                {"Escalation quality",
                 Kpi(card.value("escalation", Json::object()), {"precision", "recall"})},
                {"Review time to resolve (s)",
                 Kpi(card.value("escalation", Json::object()).value("time_to_resolve", Json()),
                     {"median_seconds", "p90_seconds"})}});
  } else {
    page.Para("<em>No scorecard.</em>");
  }

  page.Section("consequences", "Breaches and consequences");
  const Json& consequences = p.value("consequences", Json::object());
  for (const auto& [key, label] :
       {std::pair{"breaches", "Breaches"}, std::pair{"applied", "Consequences applied"},
        std::pair{"drift", "Drift alarms"}, std::pair{"tier_changes", "Tier changes"}}) {
    page.Raw(std::string("<h3>") + label + "</h3>\n");
    Json rows = Json::array();
    for (const Json& e : consequences.value(key, Json::array()))
      rows.push_back({{"time", e.value("time", Json())},
                      {"log_index", e.value("log_index", Json())},
                      {"details", e.value("data", Json::object()).dump()}});
    page.Table(rows, {"time", "log_index", "details"}, "None.");
  }

  page.Section("escalations", "Escalations and disputes");
  const Json& esc = p.value("escalations", Json::object());
  const Json& disputes = p.value("disputes", Json::object());
  page.Pairs(
      {{"Escalations", Field(esc, "total") + " (pending " + Field(esc, "pending") + ", overdue " +
                           Field(esc, "overdue") + ", approved " + Field(esc, "approved") +
                           ", denied " + Field(esc, "denied") + ")"},
       {"Disputes", Field(disputes, "total") + " (upheld " + Field(disputes, "upheld") +
                        ", rejected " + Field(disputes, "rejected") + ")"}});

  page.Section("freshness", "Evidence freshness");
  const Json& fresh = p.value("freshness", Json::object());
  page.Pairs({{"Capability evidence", fresh.value("capability_stale", false)
                                          ? std::string("stale: earned under another fingerprint")
                                          : std::string("current fingerprint")}});
  Json kinds = Json::array();
  const Json newest = fresh.value("newest_by_kind", Json::object());  // items() refers to it
  for (const auto& [kind, v] : newest.items())
    kinds.push_back({{"kind", kind},
                     {"newest", v.value("newest", Json())},
                     {"count", v.value("count", Json())}});
  page.Table(kinds, {"kind", "newest", "count"}, "No evidence yet.");

  page.Section("log", "Transparency log");
  const Json& log = p.value("log", Json::object());
  page.Pairs({{"Log", Field(log, "origin")},
              {"Checkpoint size", Field(log, "size")},
              {"Signed checkpoint", "<pre>" + Field(log, "checkpoint") + "</pre>"}});
  Json proofs = Json::array();
  for (const Json& pr : log.value("proofs", Json::array()))
    proofs.push_back({{"cites", pr.value("cites", Json())},
                      {"index", pr.value("index", Json())},
                      {"leaf_hash", pr.value("leaf_hash", Json())},
                      {"proof_length", pr.value("proof", Json::array()).size()}});
  page.Table(proofs, {"cites", "index", "leaf_hash", "proof_length"}, "No inclusion proofs.");
  std::string signers;
  for (const auto& s : envelope.signatures)
    signers += (signers.empty() ? "" : ", ") + Escape(s.keyid);
  page.Para("Signed (DSSE, " + Escape(envelope.payload_type) + ") by key " + signers + ".");
  return page.Finish() + "</body></html>\n";
}

}  // namespace

Result<std::string> TrustPacketHtml(const Json& envelope_json) {
  PACTUM_ASSIGN_OR_RETURN(auto envelope, crypto::DsseEnvelope::FromJson(envelope_json));
  PACTUM_ASSIGN_OR_RETURN(auto statement, crypto::Statement::Parse(envelope.payload));
  if (statement.predicate_type != ledger::kTrustPacketType)
    return InvalidArgument("predicateType: \"" + statement.predicate_type +
                           "\" is not a trust packet");
  try {
    return Render(envelope, statement.predicate);
  } catch (const Json::exception& e) {
    // A part of another shape than a packet's: no page rather than a wrong one.
    return InvalidArgument(std::string("the packet is malformed: ") + e.what());
  }
}

}  // namespace pactum::service
