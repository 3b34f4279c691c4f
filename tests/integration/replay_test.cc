// `pactum replay soc-triage` through the real binary, on the real runs in
// /work/shared/data/soc-triage: the classification and priority metrics it reports are
// recomputed here from the JSONL files by independent code, for all seven agents; events name
// the alert that caused them; bad lines are counted, never fatal.
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pactum/base/json.h"

#include "harness.h"

namespace pactum::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path kRuns = fs::path(PACTUM_SHARED_DATA) / "soc-triage";
const fs::path kPact = fs::path(PACTUM_SOURCE_DIR) / "examples" / "soc" / "alert-triage.yaml";
const std::vector<std::string> kModels = {"deepseek-chat", "deepseek-reasoner", "gpt-41-mini",
                                          "gpt-41",        "gpt-45-preview",    "gpt-4o-mini",
                                          "gpt-4o"};

Json Replay(const fs::path& dir, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"replay", "soc-triage",   dir.string(),
                                   "--pact", kPact.string(), "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::string out, err;
  const int rc = RunPactum(args, &out, &err);
  EXPECT_EQ(rc, 0) << err;
  Result<Json> json = ParseJson(out);
  EXPECT_TRUE(json.ok()) << out.substr(0, 500) << err;
  return json.ok() ? *json : Json::object();
}

// The expected figures, computed from scratch: sklearn's definitions, counting with maps.
struct Expected {
  double tpr, fpr, precision, f1, accuracy;
  double priority_accuracy, macro_precision, macro_recall, macro_f1;
  std::map<std::pair<std::string, std::string>, int> classification_pairs, priority_pairs;
  std::vector<std::string> ids;  // by line, from 1
};

Expected Recompute(const fs::path& file) {
  Expected e;
  std::ifstream in(file);
  std::string line;
  e.ids.push_back("");
  int rows = 0, class_right = 0, priority_right = 0;
  std::map<std::string, int> predicted_count, actual_count, hit_count;
  while (std::getline(in, line)) {
    Json row = Json::parse(line);
    e.ids.push_back(row["id"].get<std::string>());
    const auto c = std::make_pair(row["label"].get<std::string>(),
                                  row["chatgpt_classification"].get<std::string>());
    const auto p = std::make_pair(row["rule_priority"].get<std::string>(),
                                  row["chatgpt_priority"].get<std::string>());
    ++e.classification_pairs[c];
    ++e.priority_pairs[p];
    ++rows;
    class_right += c.first == c.second;
    priority_right += p.first == p.second;
    ++actual_count[p.first];
    ++predicted_count[p.second];
    if (p.first == p.second) ++hit_count[p.first];
  }
  auto pairs = [&](const char* a, const char* b) {
    return static_cast<double>(e.classification_pairs[{a, b}]);
  };
  const double tp = pairs("TP", "TP"), fn = pairs("TP", "FP"), fp = pairs("FP", "TP"),
               tn = pairs("FP", "FP");
  e.tpr = tp / (tp + fn);
  e.fpr = fp / (fp + tn);
  e.precision = tp / (tp + fp);
  e.f1 = 2 * e.precision * e.tpr / (e.precision + e.tpr);
  e.accuracy = static_cast<double>(class_right) / rows;
  e.priority_accuracy = static_cast<double>(priority_right) / rows;
  std::set<std::string> classes;
  for (const auto& [k, n] : actual_count)
    classes.insert(k);
  for (const auto& [k, n] : predicted_count)
    classes.insert(k);
  double sp = 0, sr = 0, sf = 0;
  for (const std::string& k : classes) {
    const double hits = hit_count[k];
    const double p = predicted_count[k] ? hits / predicted_count[k] : 0;
    const double r = actual_count[k] ? hits / actual_count[k] : 0;
    sp += p;
    sr += r;
    sf += p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
  e.macro_precision = sp / classes.size();
  e.macro_recall = sr / classes.size();
  e.macro_f1 = sf / classes.size();
  return e;
}

TEST(ReplayTest, MetricsMatchAnIndependentRecomputationForAllSevenAgents) {
  const Json report = Replay(kRuns);
  ASSERT_EQ(report["agents"].size(), kModels.size());
  EXPECT_EQ(report["pact"]["name"], "alert-triage");
  std::set<std::string> seen;
  for (const Json& agent : report["agents"]) {
    const std::string model = agent["model"];
    SCOPED_TRACE(model);
    seen.insert(model);
    EXPECT_EQ(agent["agent"], "triage-" + model);
    EXPECT_EQ(agent["lines"], 178);
    EXPECT_EQ(agent["submitted"], 178);
    EXPECT_EQ(agent["unreadable_lines"], 0);
    EXPECT_EQ(agent["missing_classification"], 0);
    EXPECT_EQ(agent["missing_priority"], 0);
    const Expected e = Recompute(kRuns / ("run-" + model + ".jsonl"));
    const Json& c = agent["classification"];
    EXPECT_NEAR(c["tpr"].get<double>(), e.tpr, 1e-12);
    EXPECT_NEAR(c["fpr"].get<double>(), e.fpr, 1e-12);
    EXPECT_NEAR(c["precision"].get<double>(), e.precision, 1e-12);
    EXPECT_NEAR(c["f1"].get<double>(), e.f1, 1e-12);
    EXPECT_NEAR(c["accuracy"].get<double>(), e.accuracy, 1e-12);
    for (const char* actual : {"TP", "FP"}) {
      for (const char* predicted : {"TP", "FP"}) {
        const auto it = e.classification_pairs.find({actual, predicted});
        EXPECT_EQ(c["confusion"][actual][predicted].get<int>(),
                  it == e.classification_pairs.end() ? 0 : it->second)
            << actual << " as " << predicted;
      }
    }
    const Json& p = agent["priority"];
    EXPECT_NEAR(p["accuracy"].get<double>(), e.priority_accuracy, 1e-12);
    EXPECT_NEAR(p["macro_precision"].get<double>(), e.macro_precision, 1e-12);
    EXPECT_NEAR(p["macro_recall"].get<double>(), e.macro_recall, 1e-12);
    EXPECT_NEAR(p["macro_f1"].get<double>(), e.macro_f1, 1e-12);
    int cells = 0;
    for (const auto& [actual, row] : p["confusion"].items()) {
      for (const auto& [predicted, n] : row.items()) {
        const auto it = e.priority_pairs.find({actual, predicted});
        EXPECT_EQ(n.get<int>(), it == e.priority_pairs.end() ? 0 : it->second)
            << actual << " as " << predicted;
        cells += n.get<int>();
      }
    }
    EXPECT_EQ(cells, 178);

    // Every event names the alert on the line whose evidence caused it, in file order.
    std::size_t last_line = 0;
    for (const Json& event : agent["events"]) {
      const std::size_t line = event["line"];
      ASSERT_GE(line, 1u);
      ASSERT_LT(line, e.ids.size());
      EXPECT_EQ(event["alert"], e.ids[line]);
      EXPECT_GE(line, last_line);
      last_line = line;
    }
    // Only production evidence was fed: reputation is measured, capability is not.
    EXPECT_TRUE(agent["reputation"]["measured"].get<bool>());
    EXPECT_FALSE(agent["capability"]["measured"].get<bool>());
    EXPECT_TRUE(agent["autonomy"].is_string());
  }
  EXPECT_EQ(seen, std::set<std::string>(kModels.begin(), kModels.end()));
}

TEST(ReplayTest, ABreachOfTpRecallSuspendsAtTheAlertThatTrippedIt) {
  const Json report = Replay(kRuns);
  bool any = false;
  for (const Json& agent : report["agents"]) {
    const Json& events = agent["events"];
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (events[i]["type"] != "pact.breached" || events[i]["data"]["condition"] != "tp-recall")
        continue;
      any = true;
      EXPECT_LT(events[i]["data"]["value"].get<double>(), 0.9);
      EXPECT_GE(events[i]["data"]["samples"].get<int>(), 30);
      // Its consequence follows, caused by the same alert.
      bool suspended = false;
      for (std::size_t j = i + 1; j < events.size() && events[j]["line"] == events[i]["line"];
           ++j) {
        suspended |=
            events[j]["type"] == "consequence.applied" && events[j]["data"]["action"] == "suspend";
      }
      EXPECT_TRUE(suspended) << agent["agent"] << " line " << events[i]["line"];
    }
  }
  // deepseek-reasoner calls 112 of 178 alerts false positives: its recall is far below 0.9.
  EXPECT_TRUE(any);
}

// Evidence ids are UUIDv7s minted at ingest; everything else must be the same.
Json WithoutEvidenceIds(Json json) {
  if (json.is_object()) {
    json.erase("evidence_id");
    for (auto& [key, value] : json.items())
      value = WithoutEvidenceIds(std::move(value));
  } else if (json.is_array()) {
    for (Json& value : json)
      value = WithoutEvidenceIds(std::move(value));
  }
  return json;
}

TEST(ReplayTest, TheSameRunsGiveTheSameReport) {
  TempDir data;
  const Json first = Replay(kRuns, {"--data", (data.path() / "replay").string()});
  const Json again = Replay(kRuns);
  EXPECT_EQ(WithoutEvidenceIds(first), WithoutEvidenceIds(again));
  // Replaying into the kept folder counts every answer once: the very same report.
  const Json repeated = Replay(kRuns, {"--data", (data.path() / "replay").string()});
  EXPECT_EQ(first, repeated);
}

TEST(ReplayTest, BadLinesAreCountedAndLeftOut) {
  TempDir dir;
  std::ifstream in(kRuns / "run-gpt-4o.jsonl");
  std::vector<Json> rows;
  for (std::string line; std::getline(in, line) && rows.size() < 40;)
    rows.push_back(Json::parse(line));
  rows[3].erase("chatgpt_priority");
  rows[5]["chatgpt_classification"] = "Maybe";
  rows[7]["label"] = nullptr;
  rows[9].erase("chatgpt_classification");
  rows[9].erase("chatgpt_priority");
  {
    std::ofstream out(dir.path() / "run-broken.jsonl");
    for (std::size_t i = 0; i < rows.size(); ++i) {
      out << rows[i].dump() << "\n";
      if (i == 11) out << "{not json\n";
      if (i == 12) out << "[1, 2]\n";
    }
  }
  const Json report = Replay(dir.path());
  ASSERT_EQ(report["agents"].size(), 1u);
  const Json& agent = report["agents"][0];
  EXPECT_EQ(agent["agent"], "triage-broken");
  EXPECT_EQ(agent["lines"], 42);
  EXPECT_EQ(agent["unreadable_lines"], 2);
  EXPECT_EQ(agent["missing_classification"], 2);
  EXPECT_EQ(agent["missing_priority"], 2);
  EXPECT_EQ(agent["bad_labels"], 1);
  EXPECT_EQ(agent["submitted"], 39);  // line 10 has no answer at all
  EXPECT_EQ(agent["classification"]["tp"].get<int>() + agent["classification"]["fp"].get<int>() +
                agent["classification"]["tn"].get<int>() + agent["classification"]["fn"].get<int>(),
            37);
  EXPECT_EQ(agent["priority"]["total"], 38);
  const std::string problems = agent["problems"].dump();
  EXPECT_THAT(problems, HasSubstr("line 4: chatgpt_priority: missing"));
  EXPECT_THAT(problems, HasSubstr("line 6: chatgpt_classification: \\\"Maybe\\\" is not one of"));
  EXPECT_THAT(problems, HasSubstr("line 13: "));
  EXPECT_THAT(problems, HasSubstr("line 15: not a JSON object"));
}

TEST(ReplayTest, AFolderWithoutRunsFailsClearly) {
  TempDir dir;
  std::string out, err;
  EXPECT_EQ(RunPactum({"replay", "soc-triage", dir.path().string(), "--pact", kPact.string()}, &out,
                      &err),
            1);
  EXPECT_THAT(err, HasSubstr("no run-<model>.jsonl files"));
}

TEST(ReplayTest, TheTableShowsEveryAgent) {
  std::string out, err;
  ASSERT_EQ(
      RunPactum({"replay", "soc-triage", kRuns.string(), "--pact", kPact.string()}, &out, &err), 0)
      << err;
  for (const std::string& model : kModels)
    EXPECT_THAT(out, HasSubstr("triage-" + model + " ("));
  EXPECT_THAT(out, HasSubstr("classification (rows: analyst, columns: agent)"));
}

}  // namespace
}  // namespace pactum::testing
