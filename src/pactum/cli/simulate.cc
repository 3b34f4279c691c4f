#include "pactum/cli/simulate.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "pactum/base/clock.h"
#include "pactum/cli/commands.h"
#include "pactum/cli/remote.h"
#include "pactum/pact/loader.h"

namespace pactum::cli {
namespace {

constexpr const char* kPriorities[] = {"Low", "Medium", "High", "Critical"};

// One simulated agent: how often it gets an alert right. A drifting agent's recall of real
// threats falls to `degraded_recall` after `degrade_after` alerts.
struct SimAgent {
  std::string id;
  std::string model;
  double tp_recall;        // P(calls a real threat TP)
  double fp_specificity;   // P(calls a false positive FP)
  double priority_right;   // P(priority right)
  double degraded_recall;  // < 0: never degrades
};

struct Alert {
  int number = 0;
  std::string id;
  bool threat = false;
  std::string priority;
  std::string created_at;
};

class Simulator {
 public:
  Simulator(const SimulatorOptions& options, net::HttpClient& client, std::ostream& out)
      : options_(options), client_(client), out_(out), rng_(options.seed) {}

  Status Run(const std::atomic<bool>& stop) {
    PACTUM_TRY(PublishWorkspace());
    PACTUM_TRY(RegisterAgents());
    PACTUM_TRY(Evaluate());
    PACTUM_TRY(PollEvents());  // what setup caused is not news
    quiet_ = false;
    out_ << "streaming " << options_.alerts << " alerts, one every " << options_.interval.count()
         << " ms; triage-drifter degrades after alert " << options_.degrade_after << "\n";
    for (int n = 1; n <= options_.alerts && !stop; ++n) {
      PACTUM_TRY(OneAlert(n));
      PACTUM_TRY(ResolveDueReviews(n));
      PACTUM_TRY(PollEvents());
      if (n % 50 == 0 || n == options_.alerts) PACTUM_TRY(Scoreboard(n));
      std::this_thread::sleep_for(options_.interval);
    }
    return Status::Ok();
  }

 private:
  Status PublishWorkspace() {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(options_.workspace)) {
      if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    if (files.empty())
      return NotFound("no pact files (*.yaml) in " + options_.workspace.string(),
                      {{"field", "workspace"}});
    for (const auto& file : files) {
      PACTUM_ASSIGN_OR_RETURN(pact::Pact pact, pact::LoadPactFile(file.string()));
      const Json body = pact::ToJson(pact);
      PACTUM_ASSIGN_OR_RETURN(Json published, CallJson(client_, "POST", "/v1/pacts", &body));
      out_ << "pact " << pact.name << " v" << pact.version << " (" << pact.workflow
           << ") published, log index " << published.value("log_index", 0) << "\n";
    }
    return Status::Ok();
  }

  Status RegisterAgents() {
    triage_ = {
        {"triage-steady", "gpt-4.1", 0.97, 0.85, 0.85, -1},
        {"triage-sloppy", "gpt-4o-mini", 0.93, 0.45, 0.6, -1},
        {"triage-drifter", "deepseek-chat", 0.97, 0.8, 0.8, 0.5},
    };
    incident_ = {"incident-responder", "gpt-4.1", 0.99, 0.9, 0.9, -1};
    std::vector<SimAgent> all = triage_;
    all.push_back(incident_);
    for (const SimAgent& a : all) {
      Json body = {{"id", a.id},
                   {"display_name", a.id},
                   {"owner", a.id.rfind("triage", 0) == 0 ? "soc-l2" : "soc-ir-lead"},
                   {"provider", "simulated"},
                   {"model", a.model},
                   {"assets", {{"model_id", a.model}, {"system_prompt", "You are " + a.id + "."}}}};
      auto response = client_.Send("POST", "/v1/agents", body.dump());
      if (!response.ok()) return response.status();
      if (response->status != 201 && response->status != 409)
        return FailedPrecondition("registering " + a.id + ": " + net::ErrorMessage(*response));
      out_ << "agent " << a.id << (response->status == 409 ? " (already registered)" : "") << "\n";
    }
    return Status::Ok();
  }

  // An evaluation record and a stretch of reviewed production history before the stream:
  // capability is earned on an eval suite, reputation in production.
  Status Evaluate() {
    std::string lines;
    for (const SimAgent& a : triage_) {
      for (int i = 0; i < 300; ++i)
        lines += Outcome(a, "eval_case", RandomAlert(-i - 1), false).dump() + "\n";
      for (int i = 0; i < 200; ++i)
        lines += Outcome(a, "production_outcome", RandomAlert(-i - 1), false).dump() + "\n";
    }
    for (int i = 0; i < 400; ++i) {
      Alert alert = RandomAlert(-i - 1);
      alert.threat = true;
      lines +=
          Outcome(incident_, i < 200 ? "eval_case" : "production_outcome", alert, false).dump() +
          "\n";
    }
    PACTUM_ASSIGN_OR_RETURN(net::HttpResponse r,
                            client_.Send("POST", "/v1/evidence:bulk", lines, "application/jsonl"));
    if (r.status != 200) return FailedPrecondition("seeding evidence: " + net::ErrorMessage(r));
    out_ << "seeded each agent's evaluation and production record\n";
    return Scoreboard(0);
  }

  Alert RandomAlert(int number) {
    Alert a;
    a.number = number;
    a.id = number > 0 ? "alert-" + std::to_string(number) : "seed-" + std::to_string(-number);
    a.threat = Chance(0.58);
    const double p = Uniform();
    a.priority = p < 0.76 ? "Low" : p < 0.83 ? "Medium" : p < 0.97 ? "High" : "Critical";
    a.created_at = FormatRfc3339(SystemClock().Now());
    return a;
  }

  bool Degraded(const SimAgent& a, int alert) const {
    return a.degraded_recall >= 0 && alert > options_.degrade_after;
  }

  // What the agent says about the alert, and the analyst's label beside it.
  Json Outcome(const SimAgent& a, const char* kind, const Alert& alert, bool degraded) {
    const double recall = degraded ? a.degraded_recall : a.tp_recall;
    const bool says_threat = alert.threat ? Chance(recall) : !Chance(a.fp_specificity);
    std::string priority = alert.priority;
    if (!Chance(a.priority_right)) priority = kPriorities[rng_() % 4];
    Json e = {{"kind", kind},
              {"agent", a.id},
              {"workflow", a.id.rfind("triage", 0) == 0 ? "alert_triage" : "incident_escalation"},
              {"subject", alert.id},
              {"classification",
               {{"predicted", says_threat ? "TP" : "FP"}, {"actual", alert.threat ? "TP" : "FP"}}},
              {"priority", {{"predicted", priority}, {"actual", alert.priority}}},
              {"escalation", {{"escalated", says_threat}, {"needed", alert.threat}}},
              {"latency_ms", 800 + static_cast<int>(Uniform() * 4000)}};
    if (a.id == incident_.id) e["success"] = Chance(0.995);
    return e;
  }

  Status OneAlert(int n) {
    Alert alert = RandomAlert(n);
    std::string lines;
    for (const SimAgent& a : triage_) {
      Json outcome = Outcome(a, "production_outcome", alert, Degraded(a, n));
      const bool says_threat = outcome["classification"]["predicted"] == "TP";
      Json context = {{"input", {{"verdict", "false_positive"}}}};
      PACTUM_TRY(
          Decide(a, alert, says_threat ? "escalate_incident" : "close_alert",
                 {{"type", "Alert"}, {"id", alert.id}, {"attrs", {{"priority", alert.priority}}}},
                 says_threat ? Json::object() : context));
      lines += outcome.dump() + "\n";
    }
    if (alert.threat && (alert.priority == "High" || alert.priority == "Critical")) {
      const int host = static_cast<int>(rng_() % 40);
      const bool crown_jewel = host < 4;
      PACTUM_TRY(Decide(incident_, alert, "isolate_host",
                        {{"type", "Host"},
                         {"id", "host-" + std::to_string(host)},
                         {"attrs",
                          {{"hostname", (crown_jewel ? "dc-" : "ws-") + std::to_string(host)},
                           {"crown_jewel", crown_jewel}}}},
                        {{"input", {{"incident", "INC-" + std::to_string(n)}}},
                         {"alert_created_at", alert.created_at}}));
      lines += Outcome(incident_, "production_outcome", alert, false).dump() + "\n";
    }
    PACTUM_ASSIGN_OR_RETURN(net::HttpResponse r,
                            client_.Send("POST", "/v1/evidence:bulk", lines, "application/jsonl"));
    if (r.status != 200) return FailedPrecondition("analyst labels: " + net::ErrorMessage(r));
    return Status::Ok();
  }

  Status Decide(const SimAgent& a, const Alert& alert, const std::string& action,
                const Json& resource, const Json& context) {
    Json body = {{"agent", a.id},
                 {"workflow", a.id == incident_.id ? "incident_escalation" : "alert_triage"},
                 {"action", action},
                 {"resource", resource},
                 {"context", context},
                 {"confidence", 0.7 + 0.3 * Uniform()}};
    PACTUM_ASSIGN_OR_RETURN(Json d, CallJson(client_, "POST", "/v1/decide", &body));
    const std::string decision = d.value("decision", "");
    if (d.contains("review_id")) {
      // The reviewer approves what the analysts' label supports, a few alerts later.
      const bool right = action == "close_alert" ? !alert.threat : alert.threat;
      reviews_.push_back({alert.number + 3, d["review_id"].get<std::string>(), right});
    }
    ++tally_[a.id][decision];
    if (decision == "allow") return Status::Ok();
    std::string why, code;
    for (const Json& r : d["reasons"]) {
      if (r.value("code", "") == "shadow") continue;
      why = r.value("message", "");
      code = r.value("code", "");
      break;
    }
    // Each kind of answer once per agent and action; the scoreboard counts the rest.
    if (!shown_.insert(a.id + " " + action + " " + decision + " " + code).second)
      return Status::Ok();
    out_ << "  " << alert.id << " " << a.id << " " << action << "(" << resource.value("id", "")
         << (alert.priority.empty() ? "" : ", " + alert.priority) << ") → " << decision
         << (d.contains("reviewer") ? " to " + d["reviewer"].get<std::string>() : "") << ": " << why
         << "\n";
    return Status::Ok();
  }

  Status ResolveDueReviews(int n) {
    auto due = std::partition(reviews_.begin(), reviews_.end(),
                              [n](const PendingReview& r) { return r.due > n; });
    for (auto it = due; it != reviews_.end(); ++it) {
      Json body = {
          {"decision", it->approve ? "approve" : "deny"},
          {"note", it->approve ? "matches the analyst's label" : "the analyst's label disagrees"}};
      auto r = client_.Send("POST", "/v1/reviews/" + it->id + "/resolve", body.dump());
      if (!r.ok()) return r.status();
      if (r->status != 200 && r->status != 409)
        return FailedPrecondition("resolving review " + it->id + ": " + net::ErrorMessage(*r));
    }
    reviews_.erase(due, reviews_.end());
    return Status::Ok();
  }

  // Prints the events a newcomer should see; remembers the first consequence for the packet.
  Status PollEvents() {
    for (;;) {
      PACTUM_ASSIGN_OR_RETURN(
          Json page,
          CallJson(client_, "GET", "/v1/events?limit=1000&after=" + std::to_string(last_event_)));
      const Json& events = page["events"];
      for (const Json& e : events) {
        last_event_ = e["log_index"].get<std::uint64_t>();
        const std::string type = e["type"];
        if (quiet_ || type == "score.changed" || type == "decision.escalated" ||
            type == "review.resolved")
          continue;
        if (type == "tier.changed" && !tier_shown_.insert(e.value("agent", "")).second)
          continue;  // once per agent between scoreboards: a tier at its threshold flaps
        const Json& data = e["data"];
        out_ << "* " << type << " " << e.value("agent", "") << " (" << e.value("workflow", "")
             << ")";
        if (type == "tier.changed")
          out_ << ": " << data.value("from", "") << " → " << data.value("to", "");
        if (type == "consequence.applied")
          out_ << ": " << data.value("action", "") << ", autonomy " << data.value("from", "")
               << " → " << data.value("to", "") << " (" << data.value("reason", "") << ")";
        if (data.contains("condition")) out_ << ", condition " << data["condition"].dump();
        out_ << "\n";
        if (type == "consequence.applied" && packet_for_.empty() &&
            e.value("agent", "") == "triage-drifter") {
          packet_for_ = e.value("agent", "");
          packet_workflow_ = e.value("workflow", "");
        }
      }
      if (events.size() < 1000) break;
    }
    if (!packet_for_.empty() && !packet_written_) PACTUM_TRY(WritePacket());
    return Status::Ok();
  }

  Status WritePacket() {
    packet_written_ = true;
    if (options_.out_dir.empty()) return Status::Ok();
    Json body = {{"agent", packet_for_}, {"workflow", packet_workflow_}};
    auto r = client_.Send("POST", "/v1/packets", body.dump());
    if (!r.ok()) return r.status();
    if (r->status != 200 && r->status != 201) {
      out_ << "(no trust packet: " << net::ErrorMessage(*r) << ")\n";
      return Status::Ok();
    }
    std::filesystem::create_directories(options_.out_dir);
    const auto file = options_.out_dir / ("packet-" + packet_for_ + ".json");
    std::ofstream(file) << r->body;
    out_ << "trust packet of " << packet_for_ << " written to " << file.string()
         << " (check it offline: pactum verify " << file.string() << " --key <log key file>)\n";
    return Status::Ok();
  }

  Status Scoreboard(int n) {
    tier_shown_.clear();
    out_ << "-- after alert " << n << " --\n";
    std::vector<SimAgent> all = triage_;
    all.push_back(incident_);
    for (const SimAgent& a : all) {
      const std::string workflow = a.id == incident_.id ? "incident_escalation" : "alert_triage";
      PACTUM_ASSIGN_OR_RETURN(
          Json t, CallJson(client_, "GET", "/v1/agents/" + a.id + "/trust?workflow=" + workflow));
      auto score = [&](const char* side) {
        const Json& s = t[side];
        if (!s.value("measured", false)) return std::string("unmeasured");
        return std::to_string(s.value("score", 0)) + " (lb " +
               std::to_string(s.value("lower_bound", 0)) + ")";
      };
      auto& tally = tally_[a.id];
      out_ << "   " << a.id << ": capability " << score("capability") << ", reputation "
           << score("reputation") << ", tier " << t.value("tier", "") << ", autonomy "
           << t.value("autonomy", "") << (t.value("drifting", false) ? ", drifting" : "")
           << "; decisions: " << tally["allow"] << " allowed, " << tally["escalate"]
           << " escalated, " << tally["deny"] << " denied\n";
    }
    return Status::Ok();
  }

  bool Chance(double p) { return Uniform() < p; }
  double Uniform() { return std::uniform_real_distribution<double>(0, 1)(rng_); }

  struct PendingReview {
    int due;  // the alert number after which it is resolved
    std::string id;
    bool approve;
  };

  const SimulatorOptions& options_;
  net::HttpClient& client_;
  std::ostream& out_;
  std::mt19937_64 rng_;
  std::vector<SimAgent> triage_;
  SimAgent incident_;
  std::vector<PendingReview> reviews_;
  std::map<std::string, std::map<std::string, int>> tally_;  // agent → decision → count
  std::set<std::string> shown_;
  std::set<std::string> tier_shown_;  // agents whose tier change was printed since the scoreboard
  std::uint64_t last_event_ = 0;
  bool quiet_ = true;
  std::string packet_for_, packet_workflow_;
  bool packet_written_ = false;
};

}  // namespace

Status RunSimulator(const SimulatorOptions& options, const std::atomic<bool>& stop,
                    std::ostream& out) {
  PACTUM_ASSIGN_OR_RETURN(auto client, net::HttpClient::Create({.base_url = options.server,
                                                                .bearer_token = options.key}));
  Simulator simulator(options, *client, out);
  return simulator.Run(stop);
}

void RegisterSimulate(CLI::App& app, int* exit_code) {
  struct Flags {
    RemoteFlags remote;
    SimulatorOptions options;
    long interval_ms = 150;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand(
      "simulate", "Stream simulated SOC traffic (agents, alerts, decisions, analysts) to a server");
  AddRemoteOptions(cmd, &flags->remote);
  cmd->add_option("--workspace", flags->options.workspace, "Folder of pact files to publish")
      ->capture_default_str()
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--alerts", flags->options.alerts, "Alerts to stream")->capture_default_str();
  cmd->add_option("--interval-ms", flags->interval_ms, "Pause between alerts")
      ->capture_default_str();
  cmd->add_option("--degrade-after", flags->options.degrade_after,
                  "Alerts before triage-drifter degrades")
      ->capture_default_str();
  cmd->add_option("--seed", flags->options.seed, "Random seed")->capture_default_str();
  cmd->add_option("--out", flags->options.out_dir, "Folder for the trust packet it writes");
  cmd->callback([flags, exit_code] {
    if (flags->remote.key.empty()) {
      std::cerr << "pactum simulate: an API key is needed: --key or $PACTUM_API_KEY\n";
      *exit_code = kExitUsage;
      return;
    }
    SimulatorOptions options = flags->options;
    options.server = flags->remote.server;
    options.key = flags->remote.key;
    options.interval = std::chrono::milliseconds(flags->interval_ms);
    static std::atomic<bool> never{false};
    Status s = RunSimulator(options, never, std::cout);
    if (!s.ok()) {
      std::cerr << "pactum simulate: " << s.message() << "\n";
      *exit_code = kExitFailure;
    }
  });
}

}  // namespace pactum::cli
