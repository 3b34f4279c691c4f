// Runtime decisions (DESIGN §6, docs/DECIDE.md): may this agent, at its current trust, do this
// action on this resource under its pact? Answers allow, deny or escalate, with reasons an
// analyst can act on.
//
// A Boundary is a pact's Cedar policies and schema compiled once; it is immutable and safe to
// use from many threads. Decide builds the Cedar request from the trust snapshot and the
// caller's request, validates it against the schema when the pact has one, and applies the
// escalation rules. Bad input is an error (kInvalidArgument naming the field, kNotFound for an
// action the schema does not declare), never an allow; an unexpected failure is a deny with an
// `internal` reason.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/cedar/authorizer.h"
#include "pactum/pact/pact.h"
#include "pactum/trust/trust.h"

namespace pactum::control {

// Chooses which `supervised` allows are reviewed afterwards.
class Sampler {
 public:
  virtual ~Sampler() = default;
  // True with probability `rate` (≤ 0: never, ≥ 1: always).
  virtual bool Sample(double rate) = 0;
};

// The same sequence for the same seed, for tests and replays. Not thread-safe.
class SeededSampler final : public Sampler {
 public:
  explicit SeededSampler(std::uint64_t seed) : state_(seed) {}
  bool Sample(double rate) override;

 private:
  std::uint64_t state_;
};

// For production: one generator per thread, seeded from the OS, so it is thread-safe without
// locks.
class FastSampler final : public Sampler {
 public:
  bool Sample(double rate) override;
};

class Boundary {
 public:
  // A pact without boundaries compiles to a boundary that permits nothing.
  static Result<Boundary> Compile(const pact::Pact& pact);

  struct Compiled;  // control.cc
  const Compiled& compiled() const { return *compiled_; }

 private:
  explicit Boundary(std::shared_ptr<const Compiled> compiled) : compiled_(std::move(compiled)) {}
  std::shared_ptr<const Compiled> compiled_;
};

struct DecideResource {
  std::string type;  // a Cedar entity type, e.g. "Host"
  std::string id;
  Json attrs = Json::object();  // Cedar entity JSON values
};

struct DecideRequest {
  std::string agent;
  std::string workflow;  // empty: the pact's
  std::string action;    // the id of `Action::"<action>"`
  DecideResource resource;
  // The caller's context; tool arguments under `input`. `confidence` is reserved: Decide adds
  // it from `confidence` below.
  Json context = Json::object();
  std::optional<double> confidence;  // the agent's own, 0..1
};

enum class Kind { kAllow, kDeny, kEscalate };
std::string_view NameOf(Kind kind);  // allow deny escalate

struct Reason {
  // forbid no_permit permit escalate_policy autonomy_approval autonomy_suspended low_confidence
  // forbid_errored supervised_sample shadow internal
  std::string code;
  std::string message;
  std::string policy;  // the policy id, when one policy is the reason
};

// The trust state the decision was made with: what the principal carried into Cedar.
struct TrustUsed {
  pact::Tier tier = pact::Tier::kUnrated;
  pact::Autonomy autonomy = pact::Autonomy::kApproval;
  int capability = 0, capability_lb = 0, reputation = 0, reputation_lb = 0;
  bool capability_measured = false, reputation_measured = false;
  bool drifting = false;
  bool fingerprint_fresh = true;
};

struct Decision {
  Kind kind = Kind::kDeny;  // the answer (allow in shadow mode)
  std::vector<Reason> reasons;
  std::string reviewer;                 // who reviews an escalation (or would have, in shadow mode)
  bool review = false;                  // an escalation waits for the reviewer
  bool sampled_for_review = false;      // a supervised allow picked for review afterwards
  std::optional<Kind> shadow_decision;  // shadow mode: the real decision
  std::vector<std::string> determining_policies;
  std::vector<cedar::PolicyError> errors;  // policies whose evaluation failed
  TrustUsed trust;
};

Json ToJson(const Decision& decision);

// `boundary` must be compiled from `pact`. `sampler` is only asked for supervised allows.
// `mode` is the pact's own unless an admin switched it since (shadow ↔ enforce).
// Safe to call from many threads at once when `sampler` is (FastSampler is).
Result<Decision> Decide(const Boundary& boundary, const pact::Pact& pact,
                        const trust::TrustSnapshot& snapshot, const DecideRequest& request,
                        Sampler& sampler, std::optional<pact::Mode> mode = std::nullopt);

}  // namespace pactum::control
