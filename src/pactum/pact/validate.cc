#include "pactum/pact/validate.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <set>

#include "pactum/base/canonical_json.h"
#include "pactum/base/json.h"
#include "pactum/cedar/parser.h"
#include "pactum/cedar/schema/schema.h"
#include "pactum/pact/metrics.h"

namespace pactum::pact::internal {
namespace {

std::string Join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string Index(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

std::string Quote(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

// A value as JSON text for a message. Input strings may not be UTF-8 (they are rejected, but
// only after the messages are written), and dump() would throw on them.
std::string Show(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string TypeName(const Json& j) {
  if (j.is_null()) return "null";
  if (j.is_boolean()) return "a boolean";
  if (j.is_number()) return "a number";
  if (j.is_string()) return "a string";
  if (j.is_array()) return "a list";
  return "a map";
}

bool IsLowerName(std::string_view s, std::string_view more) {
  if (s.empty() || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9'))) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || more.find(c) != more.npos;
  });
}

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

template <typename E, std::size_t N>
std::vector<std::string> Names(const E (&values)[N]) {
  std::vector<std::string> out;
  for (E v : values)
    out.emplace_back(NameOf(v));
  return out;
}

constexpr Tier kAllTiers[] = {Tier::kPlatinum, Tier::kGold, Tier::kSilver, Tier::kBronze,
                              Tier::kUnrated};
constexpr Severity kAllSeverities[] = {Severity::kCritical, Severity::kMajor, Severity::kMinor,
                                       Severity::kInfo};
constexpr Autonomy kAllAutonomies[] = {Autonomy::kAutonomous, Autonomy::kSupervised,
                                       Autonomy::kApproval, Autonomy::kSuspended};
constexpr Verification kAllVerifications[] = {Verification::kDeterministic,
                                              Verification::kHeuristic, Verification::kJury};
constexpr Op kAllOps[] = {Op::kLt, Op::kLte, Op::kGt,       Op::kGte,
                          Op::kEq, Op::kNeq, Op::kIncludes, Op::kExcludes};
constexpr Mode kAllModes[] = {Mode::kEnforce, Mode::kShadow};
constexpr Consequence kConfigurableConsequences[] = {Consequence::kNone, Consequence::kWarn,
                                                     Consequence::kNarrow, Consequence::kSuspend};

std::string JoinNames(const std::vector<std::string>& names, std::string_view sep = "|") {
  std::string out;
  for (const std::string& n : names) {
    if (!out.empty()) out += sep;
    out += n;
  }
  return out;
}

// "line L, column C: rest" → (L, C, rest); other messages come back whole with 0, 0.
void SplitPosition(const Status& s, int* line, int* column, std::string* rest) {
  const std::string& m = s.message();
  *line = 0;
  *column = 0;
  *rest = m;
  int l = 0, c = 0;
  if (!m.starts_with("line ")) return;
  const char* p = m.data() + 5;
  const char* end = m.data() + m.size();
  auto r = std::from_chars(p, end, l);
  if (r.ec != std::errc() || !std::string_view(r.ptr, end).starts_with(", column ")) return;
  r = std::from_chars(r.ptr + 9, end, c);
  if (r.ec != std::errc() || !std::string_view(r.ptr, end).starts_with(": ")) return;
  *line = l;
  *column = c;
  *rest = std::string(r.ptr + 2, end);
}

std::string Closest(std::string_view name, const std::vector<std::string>& known) {
  std::string best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const std::string& k : known) {
    // Lengths further apart than any allowed distance need no table (and names can be long).
    if (k.size() + 3 < name.size() || name.size() + 3 < k.size()) continue;
    std::size_t d = EditDistance(name, k);
    if (d < best_distance) {
      best_distance = d;
      best = k;
    }
  }
  // A misspelling changes a few characters; more than a third of the name is another word.
  std::size_t allowed = std::max<std::size_t>(1, std::min<std::size_t>(3, name.size() / 3));
  return best_distance <= allowed ? best : std::string();
}

// " (did you mean "x"?)" when a known name is close to `name`.
std::string DidYouMean(std::string_view name, const std::vector<std::string>& known) {
  std::string close = Closest(name, known);
  return close.empty() ? "" : " (did you mean " + Quote(close) + "?)";
}

class Checker {
 public:
  Checker(const FileAccess* files, std::vector<Issue>* issues) : files_(files), issues_(issues) {}

  Pact Run(const Json& doc) {
    Pact pact;
    if (!doc.is_object()) {
      Fail("", "a pact must be a map of fields, not " + TypeName(doc));
      return pact;
    }
    CheckKeys(doc, "",
              {"pact", "version", "workflow", "agents", "owner", "mode", "conditions", "boundaries",
               "autonomy", "escalate_below_confidence", "consequences", "review_sla",
               "supervised_sample_rate"});
    if (auto name = RequiredString(doc, "", "pact")) {
      if (IsLowerName(*name, "_-")) {
        pact.name = *name;
      } else {
        Fail("pact", "must match [a-z0-9][a-z0-9_-]*, not " + Quote(*name));
      }
    }
    if (const Json* v = Required(doc, "", "version")) {
      pact.version = Integer(*v, "version", 1, kMaxVersion).value_or(0);
    }
    if (auto workflow = RequiredString(doc, "", "workflow")) pact.workflow = *workflow;
    if (const Json* agents = Required(doc, "", "agents")) pact.agents = Agents(*agents);
    if (auto owner = RequiredString(doc, "", "owner")) pact.owner = *owner;
    if (const Json* v = Optional(doc, "mode")) {
      pact.mode = Enum<Mode>(*v, "mode", ParseMode, Names(kAllModes)).value_or(Mode::kEnforce);
    }
    if (const Json* v = Optional(doc, "conditions")) pact.conditions = Conditions(*v);
    if (const Json* v = Optional(doc, "boundaries")) pact.boundaries = BoundariesOf(*v);
    for (Tier t : kAllTiers)
      pact.autonomy[t] = DefaultAutonomy(t);
    if (const Json* v = Optional(doc, "autonomy")) AutonomyOf(*v, &pact.autonomy);
    if (const Json* v = Optional(doc, "escalate_below_confidence")) {
      pact.escalate_below_confidence = Fraction(*v, "escalate_below_confidence").value_or(0);
    }
    for (Severity s : kAllSeverities)
      pact.consequences[s] = DefaultConsequence(s);
    if (const Json* v = Optional(doc, "consequences")) ConsequencesOf(*v, &pact.consequences);
    if (const Json* v = Optional(doc, "review_sla")) {
      auto sla = Duration(*v, "review_sla");
      if (sla && *sla == 0) {
        Fail("review_sla", "must be longer than 0");
      } else if (sla) {
        pact.review_sla_seconds = *sla;
      }
    }
    if (const Json* v = Optional(doc, "supervised_sample_rate")) {
      pact.supervised_sample_rate = Fraction(*v, "supervised_sample_rate").value_or(0.1);
    }
    return pact;
  }

 private:
  // Integers beyond 2^53 do not survive RFC 8785 serialisation, so the hash could not tell them
  // apart.
  static constexpr std::int64_t kMaxVersion = std::int64_t{1} << 53;
  static constexpr std::int64_t kMaxDurationSeconds = std::int64_t{100} * 365 * 24 * 3600;

  void Fail(std::string path, std::string message, bool at_key = false) {
    issues_->push_back({std::move(path), std::move(message), at_key, "", 0, 0});
  }

  void CheckKeys(const Json& object, const std::string& path,
                 std::initializer_list<std::string_view> known) {
    std::vector<std::string> names(known.begin(), known.end());
    for (const auto& [key, value] : object.items()) {
      if (std::find(names.begin(), names.end(), key) != names.end()) continue;
      std::string message = "unknown key " + Quote(key);
      message += DidYouMean(key, names);
      Fail(Join(path, key), message, /*at_key=*/true);
    }
  }

  // Absent and null are the same: the field takes its default.
  static const Json* Optional(const Json& object, std::string_view key) {
    auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
  }

  const Json* Required(const Json& object, const std::string& path, std::string_view key) {
    const Json* v = Optional(object, key);
    if (v == nullptr) Fail(Join(path, key), "required");
    return v;
  }

  std::optional<std::string> String(const Json& v, const std::string& path) {
    if (!v.is_string()) {
      Fail(path, "must be a string, not " + TypeName(v));
      return std::nullopt;
    }
    if (v.get_ref<const std::string&>().empty()) {
      Fail(path, "must not be empty");
      return std::nullopt;
    }
    return v.get<std::string>();
  }

  std::optional<std::string> RequiredString(const Json& object, const std::string& path,
                                            std::string_view key) {
    const Json* v = Required(object, path, key);
    if (v == nullptr) return std::nullopt;
    return String(*v, Join(path, key));
  }

  template <typename E>
  std::optional<E> Enum(const Json& v, const std::string& path,
                        std::optional<E> (*parse)(std::string_view),
                        const std::vector<std::string>& known) {
    if (!v.is_string()) {
      Fail(path, "must be one of " + JoinNames(known) + ", not " + TypeName(v));
      return std::nullopt;
    }
    const std::string& s = v.get_ref<const std::string&>();
    std::optional<E> e = parse(s);
    if (!e) {
      std::string message = "unknown value " + Quote(s) + ": must be one of " + JoinNames(known);
      message += DidYouMean(s, known);
      Fail(path, message);
    }
    return e;
  }

  std::optional<double> Number(const Json& v, const std::string& path) {
    if (!v.is_number()) {
      Fail(path, "must be a number, not " + TypeName(v));
      return std::nullopt;
    }
    double d = v.get<double>();
    if (!std::isfinite(d)) {
      Fail(path, "must be a finite number");
      return std::nullopt;
    }
    return d;
  }

  std::optional<double> Fraction(const Json& v, const std::string& path) {
    std::optional<double> d = Number(v, path);
    if (d && (*d < 0 || *d > 1)) {
      Fail(path, "must be between 0 and 1, not " + Show(v));
      return std::nullopt;
    }
    return d;
  }

  std::optional<std::int64_t> Integer(const Json& v, const std::string& path, std::int64_t min,
                                      std::int64_t max) {
    if (!v.is_number_integer()) {
      Fail(path, "must be an integer, not " + TypeName(v));
      return std::nullopt;
    }
    bool in_range = v.is_number_unsigned()
                        ? v.get<std::uint64_t>() <= static_cast<std::uint64_t>(max)
                        : v.get<std::int64_t>() >= min && v.get<std::int64_t>() <= max;
    if (!in_range) {
      Fail(path, "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                     ", not " + Show(v));
      return std::nullopt;
    }
    return v.get<std::int64_t>();
  }

  // Integer seconds, or a count with a unit: 90s, 30m, 24h, 7d.
  std::optional<std::int64_t> Duration(const Json& v, const std::string& path) {
    constexpr std::string_view kForm = "a duration (integer seconds, or 90s, 30m, 24h, 7d)";
    if (v.is_number_integer()) {
      bool ok = v.is_number_unsigned()
                    ? v.get<std::uint64_t>() <= static_cast<std::uint64_t>(kMaxDurationSeconds)
                    : v.get<std::int64_t>() >= 0 && v.get<std::int64_t>() <= kMaxDurationSeconds;
      if (!ok) {
        Fail(path, "must be a duration between 0 and 100 years, not " + Show(v));
        return std::nullopt;
      }
      return v.get<std::int64_t>();
    }
    if (!v.is_string()) {
      Fail(path, "must be " + std::string(kForm) + ", not " + TypeName(v));
      return std::nullopt;
    }
    const std::string& s = v.get_ref<const std::string&>();
    std::int64_t count = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), count);
    std::int64_t unit = 0;
    if (ec == std::errc() && end == s.data() + s.size() - 1 && end != s.data()) {
      switch (*end) {
        case 's':
          unit = 1;
          break;
        case 'm':
          unit = 60;
          break;
        case 'h':
          unit = 3600;
          break;
        case 'd':
          unit = 86400;
          break;
        default:
          break;
      }
    }
    if (unit == 0 || count < 0) {
      Fail(path, "must be " + std::string(kForm) + ", not " + Quote(s));
      return std::nullopt;
    }
    if (count > kMaxDurationSeconds / unit) {
      Fail(path, "must be a duration of at most 100 years, not " + Quote(s));
      return std::nullopt;
    }
    return count * unit;
  }

  std::vector<std::string> Agents(const Json& v) {
    std::vector<std::string> out;
    if (!v.is_array() || v.empty()) {
      Fail("agents", "must be a non-empty list of agent id globs, not " + TypeName(v));
      return out;
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (auto glob = String(v[i], Index("agents", i))) out.push_back(*glob);
    }
    return out;
  }

  std::vector<Condition> Conditions(const Json& v) {
    std::vector<Condition> out;
    if (!v.is_array()) {
      Fail("conditions", "must be a list of conditions, not " + TypeName(v));
      return out;
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < v.size(); ++i) {
      std::string path = Index("conditions", i);
      if (!v[i].is_object()) {
        Fail(path, "a condition must be a map of fields, not " + TypeName(v[i]));
        continue;
      }
      Condition c = ConditionOf(v[i], path);
      if (!c.id.empty() && !ids.insert(c.id).second) {
        Fail(Join(path, "id"), "duplicate condition id " + Quote(c.id));
      }
      out.push_back(std::move(c));
    }
    return out;
  }

  Condition ConditionOf(const Json& v, const std::string& path) {
    Condition c;
    CheckKeys(v, path,
              {"id", "metric", "op", "threshold", "window", "min_samples", "severity",
               "verification", "dimension", "rubric", "judges"});
    if (auto id = RequiredString(v, path, "id")) {
      if (IsLowerName(*id, "_.-")) {
        c.id = *id;
      } else {
        Fail(Join(path, "id"), "must match [a-z0-9][a-z0-9_.-]*, not " + Quote(*id));
      }
    }
    std::optional<MetricInfo> metric;
    if (auto name = RequiredString(v, path, "metric")) {
      metric = FindMetric(*name);
      if (!metric) {
        Fail(Join(path, "metric"), UnknownMetric(*name));
      } else {
        c.metric = *name;
      }
    }
    std::optional<Op> op;
    if (const Json* o = Required(v, path, "op")) {
      op = Enum<Op>(*o, Join(path, "op"), ParseOp, Names(kAllOps));
    }
    if (op) c.op = *op;
    bool set_op = op == Op::kIncludes || op == Op::kExcludes;
    if (op && metric && set_op != (metric->kind == MetricKind::kSet)) {
      Fail(Join(path, "op"), set_op ? "op " + std::string(NameOf(*op)) +
                                          " is only for set metrics (actions.taken), not " +
                                          Quote(metric->name)
                                    : "metric " + Quote(metric->name) +
                                          " is a set: its op must be includes or excludes");
      op.reset();
    }
    if (op) Threshold(v, path, *op, metric ? &*metric : nullptr, &c);
    if (const Json* w = Optional(v, "window")) {
      c.window_seconds = Duration(*w, Join(path, "window")).value_or(0);
    }
    if (const Json* m = Optional(v, "min_samples")) {
      c.min_samples = Integer(*m, Join(path, "min_samples"), 1, 1'000'000'000).value_or(1);
    }
    if (const Json* s = Optional(v, "severity")) {
      c.severity = Enum<Severity>(*s, Join(path, "severity"), ParseSeverity, Names(kAllSeverities))
                       .value_or(Severity::kMajor);
    }
    bool jury_metric = metric && metric->name.starts_with("jury.");
    c.verification = jury_metric ? Verification::kJury : Verification::kDeterministic;
    if (const Json* s = Optional(v, "verification")) {
      auto verification = Enum<Verification>(*s, Join(path, "verification"), ParseVerification,
                                             Names(kAllVerifications));
      if (verification && metric && jury_metric != (*verification == Verification::kJury)) {
        Fail(Join(path, "verification"),
             jury_metric
                 ? "a jury metric is verified by the jury: must be jury"
                 : "verification jury needs a jury.<criterion> metric, not " + Quote(metric->name));
      } else if (verification) {
        c.verification = *verification;
      }
    }
    if (metric) c.dimension = metric->default_dimension;
    if (const Json* d = Optional(v, "dimension")) {
      if (auto name = String(*d, Join(path, "dimension"))) {
        if (IsKnownDimension(*name)) {
          c.dimension = *name;
        } else {
          std::vector<std::string> known;
          for (const DimensionWeight& w : DefaultDimensions())
            known.push_back(w.name);
          std::string message =
              "unknown dimension " + Quote(*name) + ": must be one of " + JoinNames(known, ", ");
          message += DidYouMean(*name, known);
          Fail(Join(path, "dimension"), message);
        }
      }
    }
    Jury(v, path, &c);
    return c;
  }

  std::string UnknownMetric(const std::string& name) {
    std::vector<std::string> known;
    for (const MetricInfo& m : AllMetrics())
      known.push_back(m.name);
    std::string message = "unknown metric " + Quote(name);
    message += DidYouMean(name, known);
    return message + "; known: " + JoinNames(known, ", ");
  }

  void Threshold(const Json& v, const std::string& path, Op op, const MetricInfo* metric,
                 Condition* c) {
    std::string at = Join(path, "threshold");
    const Json* t = Optional(v, "threshold");
    if (t == nullptr) {
      Fail(at, "required for op " + std::string(NameOf(op)));
      return;
    }
    if (op == Op::kIncludes || op == Op::kExcludes) {
      if (t->is_string()) {
        if (auto name = String(*t, at)) c->names.push_back(*name);
      } else if (t->is_array() && !t->empty()) {
        for (std::size_t i = 0; i < t->size(); ++i) {
          if (auto name = String((*t)[i], Index(at, i))) c->names.push_back(*name);
        }
      } else {
        Fail(at, "op " + std::string(NameOf(op)) + " needs a name or a non-empty list of names");
      }
      return;
    }
    std::optional<double> d = Number(*t, at);
    if (!d || metric == nullptr) return;
    bool unit_interval = metric->kind == MetricKind::kRate || metric->kind == MetricKind::kRatio ||
                         metric->name.starts_with("jury.");
    if (unit_interval && (*d < 0 || *d > 1)) {
      Fail(at,
           Quote(metric->name) + " is a rate in [0,1]: threshold " + Show(*t) + " is out of range");
    } else if (*d < 0) {
      Fail(at,
           Quote(metric->name) + " is never negative: threshold " + Show(*t) + " is out of range");
    } else {
      c->threshold = *d;
    }
  }

  void Jury(const Json& v, const std::string& path, Condition* c) {
    const Json* rubric = Optional(v, "rubric");
    const Json* judges = Optional(v, "judges");
    if (c->verification != Verification::kJury) {
      if (rubric) Fail(Join(path, "rubric"), "only jury conditions have a rubric");
      if (judges) Fail(Join(path, "judges"), "only jury conditions have judges");
      return;
    }
    if (rubric == nullptr) {
      Fail(Join(path, "rubric"), "required for a jury condition");
    } else if (auto file = String(*rubric, Join(path, "rubric"))) {
      c->rubric = *file;
      if (files_ && !files_->exists(*file)) {
        Fail(Join(path, "rubric"), "rubric file " + Quote(*file) + " does not exist");
      }
    }
    c->judges = 3;
    if (judges) {
      if (!judges->is_number_integer() || (*judges != 3 && *judges != 5 && *judges != 7)) {
        Fail(Join(path, "judges"), "must be 3, 5 or 7, not " + Show(*judges));
      } else {
        c->judges = judges->get<int>();
      }
    }
  }

  std::optional<Boundaries> BoundariesOf(const Json& v) {
    if (!v.is_object()) {
      Fail("boundaries", "must be a map with policies (and schema), not " + TypeName(v));
      return std::nullopt;
    }
    CheckKeys(v, "boundaries", {"policies", "schema"});
    Boundaries b;
    if (const Json* p = Required(v, "boundaries", "policies")) {
      if (auto file = BoundaryFileOf(*p, "boundaries.policies")) {
        auto parsed = cedar::ParsePolicySet(file->text);
        if (!parsed.ok()) BoundaryError("boundaries.policies", *file, parsed.status());
        b.policies = std::move(*file);
      }
    }
    if (const Json* s = Optional(v, "schema")) {
      if (auto file = BoundaryFileOf(*s, "boundaries.schema")) {
        Status status = ParseSchema(*file);
        if (!status.ok()) BoundaryError("boundaries.schema", *file, status);
        b.schema = std::move(*file);
      }
    }
    return b;
  }

  static Status ParseSchema(const BoundaryFile& file) {
    if (file.file.ends_with(".json")) {
      PACTUM_ASSIGN_OR_RETURN(Json json, ParseJson(file.text));
      return cedar::schema::ParseJsonSchema(json).status();
    }
    return cedar::schema::ParseCedarSchema(file.text).status();
  }

  void BoundaryError(const std::string& path, const BoundaryFile& file, const Status& s) {
    Issue issue{path, "", false, file.file, 0, 0};
    std::string rest;
    SplitPosition(s, &issue.line, &issue.column, &rest);
    if (issue.line == 0 && s.details().is_object() && s.details().contains("line")) {
      issue.line = s.details().value("line", 0);
      issue.column = s.details().value("column", 0);
    }
    issue.message = Quote(file.file) +
                    (issue.line > 0 ? ", line " + std::to_string(issue.line) + ", column " +
                                          std::to_string(issue.column)
                                    : "") +
                    ": " + rest;
    issues_->push_back(std::move(issue));
  }

  // The JSON form carries {file, text}; a YAML pact names the file, which is read here.
  std::optional<BoundaryFile> BoundaryFileOf(const Json& v, const std::string& path) {
    BoundaryFile out;
    if (files_ != nullptr) {
      auto file = String(v, path);
      if (!file) return std::nullopt;
      auto text = files_->read(*file);
      if (!text.ok()) {
        Fail(path, text.status().message());
        return std::nullopt;
      }
      return BoundaryFile{*file, std::move(*text)};
    }
    if (!v.is_object()) {
      Fail(path, "must be a map with file and text, not " + TypeName(v));
      return std::nullopt;
    }
    CheckKeys(v, path, {"file", "text"});
    auto file = RequiredString(v, path, "file");
    const Json* text = Required(v, path, "text");
    if (text && !text->is_string()) Fail(Join(path, "text"), "must be a string");
    if (!file || !text || !text->is_string()) return std::nullopt;
    return BoundaryFile{*file, text->get<std::string>()};
  }

  void AutonomyOf(const Json& v, std::map<Tier, Autonomy>* out) {
    if (!v.is_object()) {
      Fail("autonomy", "must be a map from tier to autonomy level, not " + TypeName(v));
      return;
    }
    std::vector<std::string> tiers = Names(kAllTiers);
    std::vector<std::string> levels = Names(kAllAutonomies);
    for (const auto& [key, value] : v.items()) {
      std::string path = Join("autonomy", key);
      std::optional<Tier> tier = ParseTier(key);
      if (!tier) {
        std::string message = "unknown tier " + Quote(key) + ": must be one of " + JoinNames(tiers);
        message += DidYouMean(key, tiers);
        Fail(path, message, /*at_key=*/true);
        continue;
      }
      if (auto level = Enum<Autonomy>(value, path, ParseAutonomy, levels)) (*out)[*tier] = *level;
    }
  }

  void ConsequencesOf(const Json& v, std::map<Severity, Consequence>* out) {
    if (!v.is_object()) {
      Fail("consequences", "must be a map from severity to consequence, not " + TypeName(v));
      return;
    }
    std::vector<std::string> severities = Names(kAllSeverities);
    std::vector<std::string> consequences = Names(kConfigurableConsequences);
    for (const auto& [key, value] : v.items()) {
      std::string path = Join("consequences", key);
      std::optional<Severity> severity = ParseSeverity(key);
      if (!severity) {
        std::string message =
            "unknown severity " + Quote(key) + ": must be one of " + JoinNames(severities);
        message += DidYouMean(key, severities);
        Fail(path, message, /*at_key=*/true);
        continue;
      }
      if (auto c = Enum<Consequence>(value, path, ParseConsequence, consequences)) {
        (*out)[*severity] = *c;
      }
    }
  }

  const FileAccess* files_;
  std::vector<Issue>* issues_;
};

}  // namespace

Pact Validate(const Json& doc, const FileAccess* files, std::vector<Issue>* issues) {
  std::size_t before = issues->size();
  Pact pact = Checker(files, issues).Run(doc);
  // The hash is over RFC 8785 text, which has no form for invalid UTF-8 (in a name, or in a
  // boundary file the Cedar parser let through inside a comment).
  if (issues->size() == before && !CanonicalJson(ToJson(pact)).ok()) {
    issues->push_back({"", "contains text that is not valid UTF-8", false, "", 0, 0});
  }
  return pact;
}

std::string ValidUtf8(const std::string& text) {
  return Json::parse(Json(text).dump(-1, ' ', false, Json::error_handler_t::replace))
      .get<std::string>();
}

std::string Describe(const Issue& issue) {
  return issue.path.empty() ? issue.message : issue.path + ": " + issue.message;
}

}  // namespace pactum::pact::internal
