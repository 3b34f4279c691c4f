// pactum's side of the Cedar benchmark: times pactum's engine per decision on a workload written
// by gen_workload.mjs (see README.md), the same files run_wasm.mjs gives cedar-wasm, and prints
// one JSON summary per mode in run_wasm.mjs's shape.
//
//   cedar_bench WORKLOAD.jsonl [--modes json,preloaded] [--seconds 20] [--no-schema]
//
// Policies (and schemas) are parsed once per policy set. Modes:
//   json       entities arrive as JSON text with every request, as cedar-wasm receives them:
//              the one-pass schema-directed entity reader (EntityReader: parse, typing, the
//              schema's action entities, store) + request (context normalisation, validation) +
//              authorization.
//   preloaded  entity stores and requests built once; only Authorizer::IsAuthorized is timed.
// Before timing, every request is decided once in json mode (the warm-up), decisions are
// tallied, and where the workload carries expected answers (the corpus) they are checked:
// decision, and decision + reasons + erroring policies. Integers are read exactly (64-bit).
// Exit status 1 when an expected answer is not met, 2 on bad usage or an unreadable workload.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <time.h>

#include "pactum/base/json.h"
#include "pactum/base/status.h"
#include "pactum/cedar/cedar.h"
#include "pactum/cedar/parser.h"
#include "pactum/cedar/schema/conformance.h"
#include "pactum/cedar/schema/schema.h"

namespace pactum::cedar {
namespace {

struct PolicySetRecord {
  std::optional<Authorizer> authorizer;
  std::optional<schema::Schema> schema;
  EntityReader reader;      // directed by the schema, when there is one
  std::string setup_error;  // non-empty: the policies or the schema did not parse
};

struct EntityRecord {
  std::string json_text;  // as a request carries it
};

struct BenchRequest {
  std::string id;
  const PolicySetRecord* policies = nullptr;
  const EntityRecord* entities = nullptr;
  Json principal, action, resource;
  std::string context_text;  // JSON text, as the request carries it
  bool validate = true;
  Json expect;  // null when the workload has no expected answer
};

struct Answer {
  std::string decision;  // allow, deny or failure
  std::set<std::string> reasons;
  std::set<std::string> errors;
  std::string failure;
};

Result<Request> LoadRequest(const BenchRequest& r) {
  Request request;
  PACTUM_ASSIGN_OR_RETURN(request.principal, EntityUidFromJson(r.principal));
  PACTUM_ASSIGN_OR_RETURN(request.action, EntityUidFromJson(r.action));
  PACTUM_ASSIGN_OR_RETURN(request.resource, EntityUidFromJson(r.resource));
  PACTUM_ASSIGN_OR_RETURN(request.context,
                          r.policies->reader.ReadContext(r.context_text, request.action));
  if (r.validate) {
    PACTUM_TRY(r.policies->reader.CheckScope(request.principal, request.action, request.resource));
  }
  return request;
}

Answer ToAnswer(const Response& response) {
  Answer a;
  a.decision = response.decision == Decision::kAllow ? "allow" : "deny";
  a.reasons.insert(response.reasons.begin(), response.reasons.end());
  for (const PolicyError& e : response.errors)
    a.errors.insert(e.policy_id);
  return a;
}

Answer Failed(std::string why) {
  Answer a;
  a.decision = "failure";
  a.failure = std::move(why);
  return a;
}

// Mode json: everything from the request's JSON text on, to the engine's response (what
// cedar-wasm's statefulIsAuthorized returns).
Result<Response> DecideFromJson(const BenchRequest& r) {
  if (!r.policies->setup_error.empty()) return InvalidArgument(r.policies->setup_error);
  PACTUM_ASSIGN_OR_RETURN(Entities entities, r.policies->reader.Read(r.entities->json_text));
  PACTUM_ASSIGN_OR_RETURN(Request request, LoadRequest(r));
  return r.policies->authorizer->IsAuthorized(request, entities);
}

// The answer compared with the workload's expectation.
Answer AnswerFromJson(const BenchRequest& r) {
  Result<Response> response = DecideFromJson(r);
  if (!response.ok()) return Failed(response.status().ToString());
  return ToAnswer(*response);
}

std::int64_t CpuNanos() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// One full timed pass, then further passes (at most 3 in all) while `seconds` lasts, as
// run_wasm.mjs does. `decide(i)` decides request i.
template <typename F>
Json TimeMode(std::size_t n, double seconds, F decide) {
  using Clock = std::chrono::steady_clock;
  for (std::size_t i = 0; i < std::min<std::size_t>(n, 1000); ++i)
    decide(i);
  std::vector<std::int64_t> samples;
  samples.reserve(3 * n);
  const std::int64_t cpu0 = CpuNanos();
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(seconds));
  int passes = 0;
  bool out_of_time = false;
  while (passes < 3 && !out_of_time) {
    for (std::size_t i = 0; i < n; ++i) {
      const auto t0 = Clock::now();
      decide(i);
      const auto t1 = Clock::now();
      samples.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
      if (passes >= 1 && t1 > deadline) {
        out_of_time = true;
        break;
      }
    }
    ++passes;
    if (Clock::now() > deadline) out_of_time = true;
  }
  const std::int64_t cpu = CpuNanos() - cpu0;
  if (samples.empty()) return Json{{"count", 0}};
  std::vector<std::int64_t> sorted = samples;
  std::sort(sorted.begin(), sorted.end());
  auto percentile = [&](double p) {
    return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(p / 100 * sorted.size()))];
  };
  double sum = 0;
  for (std::int64_t s : samples)
    sum += static_cast<double>(s);
  const double count = static_cast<double>(samples.size());
  return Json{{"count", samples.size()},
              {"passes", std::round(count / static_cast<double>(n) * 100) / 100},
              {"median_ns", percentile(50)},
              {"p99_ns", percentile(99)},
              {"mean_ns", std::llround(sum / count)},
              {"min_ns", sorted.front()},
              {"max_ns", sorted.back()},
              {"cpu_mean_ns", std::llround(static_cast<double>(cpu) / count)}};
}

std::string Opt(std::vector<std::string>& args, const std::string& name, std::string dflt) {
  auto it = std::find(args.begin(), args.end(), "--" + name);
  if (it == args.end() || it + 1 == args.end()) return dflt;
  std::string value = *(it + 1);
  args.erase(it, it + 2);
  return value;
}

bool Flag(std::vector<std::string>& args, const std::string& name) {
  auto it = std::find(args.begin(), args.end(), "--" + name);
  if (it == args.end()) return false;
  args.erase(it);
  return true;
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string modes_arg = Opt(args, "modes", "json");
  const std::string seconds_arg = Opt(args, "seconds", "20");
  char* end = nullptr;
  const double seconds = std::strtod(seconds_arg.c_str(), &end);
  if (end == seconds_arg.c_str() || *end != '\0' || !(seconds >= 0)) {
    std::cerr << "--seconds: not a number of seconds: " << seconds_arg << "\n";
    return 2;
  }
  bool no_schema = Flag(args, "no-schema");
  if (args.size() != 1) {
    std::cerr << "usage: cedar_bench WORKLOAD.jsonl [--modes json,preloaded] [--seconds N] "
                 "[--no-schema]\n";
    return 2;
  }
  std::vector<std::string> modes;
  for (std::size_t start = 0; start <= modes_arg.size();) {
    std::size_t comma = std::min(modes_arg.find(',', start), modes_arg.size());
    modes.push_back(modes_arg.substr(start, comma - start));
    start = comma + 1;
  }
  for (const std::string& m : modes) {
    if (m != "json" && m != "preloaded") {
      std::cerr << "unknown mode " << m << "\n";
      return 2;
    }
  }

  // ---- load ----
  std::ifstream in(args[0], std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << args[0] << "\n";
    return 2;
  }
  Json header = Json::object();
  // Node-based containers: requests point into them while they grow.
  std::unordered_map<std::string, std::unique_ptr<PolicySetRecord>> policy_sets;
  std::unordered_map<std::string, std::unique_ptr<EntityRecord>> entity_stores;
  std::vector<BenchRequest> requests;
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    if (line.empty()) continue;
    Result<Json> rec = ParseJson(line);
    if (!rec.ok() || !rec->is_object()) {
      std::cerr << args[0] << ":" << line_no << ": "
                << (rec.ok() ? "not an object" : rec.status().ToString()) << "\n";
      return 2;
    }
    try {
      const std::string kind = rec->at("kind").get<std::string>();
      if (kind == "workload") {
        header = *rec;
      } else if (kind == "policies") {
        auto p = std::make_unique<PolicySetRecord>();
        Result<Authorizer> authorizer = Authorizer::FromText(rec->at("text").get<std::string>());
        if (authorizer.ok()) {
          p->authorizer.emplace(std::move(*authorizer));
        } else {
          p->setup_error = "policies: " + authorizer.status().ToString();
        }
        const Json& schema_json = rec->value("schemaJson", Json());
        const Json& schema_text = rec->value("schema", Json());
        if (!no_schema && (!schema_json.is_null() || schema_text.is_string())) {
          Result<schema::Schema> s = !schema_json.is_null()
                                         ? schema::ParseJsonSchema(schema_json)
                                         : schema::ParseCedarSchema(schema_text.get<std::string>());
          if (s.ok()) {
            p->schema.emplace(std::move(*s));
            p->reader = EntityReader(*p->schema);
          } else if (p->setup_error.empty()) {
            p->setup_error = "schema: " + s.status().ToString();
          }
        }
        policy_sets[rec->at("id").get<std::string>()] = std::move(p);
      } else if (kind == "entities") {
        auto e = std::make_unique<EntityRecord>();
        // In the workload's member order (uid first), as cedar-wasm receives the text: Json
        // would sort the members and put every "uid" last.
        e->json_text = nlohmann::ordered_json::parse(line).at("entities").dump();
        entity_stores[rec->at("id").get<std::string>()] = std::move(e);
      } else if (kind == "request") {
        BenchRequest r;
        r.id = rec->at("id").get<std::string>();
        r.policies = policy_sets.at(rec->at("policies").get<std::string>()).get();
        r.entities = entity_stores.at(rec->at("entities").get<std::string>()).get();
        r.principal = rec->at("principal");
        r.action = rec->at("action");
        r.resource = rec->at("resource");
        r.context_text = rec->value("context", Json::object()).dump();
        r.validate = rec->value("validateRequest", true);
        r.expect = rec->value("expect", Json());
        requests.push_back(std::move(r));
      }
    } catch (const std::exception& e) {  // a record missing a field, or naming an unknown id
      std::cerr << args[0] << ":" << line_no << ": " << e.what() << "\n";
      return 2;
    }
  }

  // ---- correctness pass (also the warm-up) ----
  Json tally{{"allow", 0}, {"deny", 0}, {"failure", 0}, {"withErrors", 0}};
  int expected = 0, decision_match = 0, full_match = 0;
  Json mismatches = Json::array();
  for (const BenchRequest& r : requests) {
    Answer a = AnswerFromJson(r);
    tally[a.decision] = tally[a.decision].get<int>() + 1;
    if (!a.errors.empty()) tally["withErrors"] = tally["withErrors"].get<int>() + 1;
    if (r.expect.is_null()) continue;
    ++expected;
    const std::string want = r.expect.at("decision").get<std::string>();
    if (a.decision == want) ++decision_match;
    if (a.decision == want && a.reasons == r.expect.at("reason").get<std::set<std::string>>() &&
        a.errors == r.expect.at("errors").get<std::set<std::string>>()) {
      ++full_match;
    } else if (mismatches.size() < 5) {
      mismatches.push_back(Json{{"id", r.id},
                                {"got",
                                 {{"decision", a.decision},
                                  {"reasons", a.reasons},
                                  {"errors", a.errors},
                                  {"failure", a.failure}}},
                                {"expect", r.expect}});
    }
  }

  Json base{{"workload", header.value("name", args[0])},
            {"engine", "pactum"},
            {"requests", requests.size()},
            {"schema", !no_schema},
            {"decisions", tally}};
  if (expected > 0) {
    base["expected"] = expected;
    base["decisionMatch"] = decision_match;
    base["fullMatch"] = full_match;
    base["firstMismatches"] = mismatches;
  }
  for (const std::string& mode : modes) {
    Json out;
    if (mode == "json") {
      volatile std::size_t sink = 0;  // keeps the decisions observable, so they are made
      out = TimeMode(requests.size(), seconds, [&](std::size_t i) {
        Result<Response> response = DecideFromJson(requests[i]);
        sink = sink + (response.ok() ? response->reasons.size() : 0);
      });
    } else {
      // Requests whose setup fails (bad policies, entities or request) have no decision to time.
      struct Loaded {
        const Authorizer* authorizer;
        const Entities* entities;
        Request request;
      };
      std::unordered_map<const EntityRecord*, std::unique_ptr<Entities>> stores;
      std::vector<Loaded> loaded;
      for (const BenchRequest& r : requests) {
        if (!r.policies->setup_error.empty()) continue;
        auto [it, inserted] = stores.try_emplace(r.entities);
        if (inserted) {
          Result<Entities> e = r.policies->reader.Read(r.entities->json_text);
          if (e.ok()) it->second = std::make_unique<Entities>(std::move(*e));
        }
        Result<Request> request = LoadRequest(r);
        if (it->second == nullptr || !request.ok()) continue;
        loaded.push_back({&*r.policies->authorizer, it->second.get(), std::move(*request)});
      }
      volatile std::size_t sink = 0;  // keeps the decisions observable, so they are made
      out = TimeMode(loaded.size(), seconds, [&](std::size_t i) {
        Response response =
            loaded[i].authorizer->IsAuthorized(loaded[i].request, *loaded[i].entities);
        sink = sink + response.reasons.size();
      });
      out["timedRequests"] = loaded.size();
    }
    Json line_out = base;
    line_out["mode"] = mode;
    line_out.update(out);
    std::cout << line_out.dump(-1, ' ', false, Json::error_handler_t::replace) << std::endl;
  }
  return full_match == expected ? 0 : 1;
}

}  // namespace
}  // namespace pactum::cedar

int main(int argc, char** argv) {
  return pactum::cedar::Main(argc, argv);
}
