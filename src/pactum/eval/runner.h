// The suite runner (DESIGN §8): asks the agent every case (through an adapter, `concurrency`
// at a time), runs the suite's deterministic checks on each answer, puts the pact's jury
// criteria to the jury for every case at once (so its pool stays full), and turns each case
// into one `eval_case` evidence item (trust/evidence.h): `subject` the case id, `checks`,
// `scores` (only verdicts that passed or failed: uncertain and unscored ones are counted
// neither way), `latency_ms` and `cost_usd` when known, and `success` (whether the agent
// answered).
// A case the agent did not answer fails its checks and leaves its criteria unscored.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/eval/adapters.h"
#include "pactum/eval/suite.h"
#include "pactum/jury/jury.h"

namespace pactum::eval {

struct Criterion {
  std::string name;  // as in the pact's jury.<name>
  jury::Rubric rubric;
  std::size_t judges = 0;  // the pact condition's judges; 0: every configured judge
};

struct CaseResult {
  const Case* test_case = nullptr;  // points into the suite
  AgentAnswer answer;
  std::map<std::string, bool> checks;
  std::map<std::string, jury::Verdict> verdicts;  // by criterion
};

struct Report {
  std::string suite;
  std::vector<std::string> checks;    // names, in the suite's order
  std::vector<std::string> criteria;  // names, in the order given
  std::vector<CaseResult> cases;      // in the suite's order
  double agent_seconds = 0, jury_seconds = 0;
};

// `stage` is "agent" or "jury"; called serialised, from worker threads.
using RunProgress =
    std::function<void(std::string_view stage, std::size_t done, std::size_t total)>;

// Fails before asking anyone if criteria are given without a jury, or the jury rejects the
// tasks (more judges asked for than configured).
Result<Report> RunSuite(const Suite& suite, Adapter& adapter,
                        const std::vector<Criterion>& criteria, jury::Jury* jury,
                        std::size_t concurrency, const RunProgress& progress = {});

struct EvidenceContext {
  std::string agent;
  std::string workflow;
};
// The eval_case evidence JSON of one case, with an idempotency key derived from the suite,
// the case and what was observed: re-posting the same run counts once, a changed answer anew.
Json EvalCaseEvidence(const Report& report, const CaseResult& result,
                      const EvidenceContext& context);

// The end-of-run table: per check and criterion, pass/fail/uncertain/unscored counts and the
// mean score, plus the agent's answer count and errors.
std::string SummaryTable(const Report& report);

}  // namespace pactum::eval
