#include "pactum/service/trust_book.h"

#include <algorithm>
#include <mutex>
#include <string_view>

namespace pactum::service {

std::shared_ptr<const PublishedPact> TrustBook::CoveringLocked(const std::string& tenant_id,
                                                               const std::string& workflow,
                                                               const std::string& agent_id) const {
  auto it = pacts_.find(tenant_id);
  if (it == pacts_.end()) return nullptr;
  // Newest version per name first, then the name published last: walking the log backwards,
  // the first version seen of a name is its newest (versions only grow). A tenant has few pact
  // names, so the names seen are a short list, not a map: this runs for every evidence item
  // and every decision.
  std::vector<std::string_view> seen;
  for (auto p = it->second.rbegin(); p != it->second.rend(); ++p) {
    const pact::Pact& candidate = (*p)->pact;
    if (std::find(seen.begin(), seen.end(), candidate.name) != seen.end()) continue;
    seen.push_back(candidate.name);
    if (candidate.workflow == workflow && pact::AppliesTo(candidate, agent_id)) return *p;
  }
  return nullptr;
}

void TrustBook::AddPact(const std::string& tenant_id, PublishedPact published, double time,
                        std::vector<LoopEvent>* events) {
  std::unique_lock lock(mu_);
  ++recording_version_;
  const std::string workflow = published.pact.workflow;
  Json data = {{"pact", published.pact.name},
               {"version", published.pact.version},
               {"workflow", workflow},
               {"hash", published.hash},
               {"cause", {{"log_index", published.log_index}}}};
  pacts_[tenant_id].push_back(std::make_shared<const PublishedPact>(std::move(published)));
  events->push_back({tenant_id, "", workflow, {"pact.published", time, std::move(data)}});
  for (auto& [key, state] : states_) {
    const auto& [tenant, agent, state_workflow] = key;
    if (tenant != tenant_id || state_workflow != workflow) continue;
    auto covering = CoveringLocked(tenant_id, workflow, agent);
    if (covering == nullptr || covering->hash == state.pact_hash) continue;
    // A pact that validated on publish rebinds; if it could not, the old monitors stay.
    const pact::Autonomy before = state.trust.Snapshot(time).autonomy;
    if (!state.trust.Rebind(covering->pact).ok()) continue;
    state.pact_hash = covering->hash;
    // Consequences of conditions the new version changed or removed end with them: that is a
    // change of autonomy like any other, so it is an event, with the pact as its cause.
    const pact::Autonomy after = state.trust.Snapshot(time).autonomy;
    if (after != before) {
      events->push_back({tenant_id,
                         agent,
                         workflow,
                         {"consequence.applied",
                          time,
                          {{"action", after > before ? "restore" : "narrow"},
                           {"from", pact::NameOf(before)},
                           {"to", pact::NameOf(after)},
                           {"reason", "pact version"},
                           {"cause",
                            {{"pact", covering->pact.name},
                             {"version", covering->pact.version},
                             {"log_index", covering->log_index}}}}}});
    }
  }
}

void TrustBook::SetFingerprint(const std::string& tenant_id, const std::string& agent_id,
                               const std::string& fingerprint, double time,
                               std::vector<LoopEvent>* events) {
  std::unique_lock lock(mu_);
  ++recording_version_;
  auto [it, inserted] = fingerprints_.try_emplace({tenant_id, agent_id}, fingerprint);
  if (inserted || it->second == fingerprint) return;
  const std::string previous = std::exchange(it->second, fingerprint);
  bool any_state = false;
  for (auto& [key, state] : states_) {
    const auto& [tenant, agent, workflow] = key;
    if (tenant != tenant_id || agent != agent_id) continue;
    any_state = true;
    std::vector<trust::TrustEvent> caused;
    state.trust.FingerprintChanged(time, fingerprint, &caused);
    for (auto& e : caused)
      events->push_back({tenant_id, agent_id, workflow, std::move(e)});
  }
  if (!any_state) {
    events->push_back({tenant_id,
                       agent_id,
                       "",
                       {"agent.fingerprint_changed",
                        time,
                        {{"from", previous}, {"to", fingerprint}, {"cause", Json::object()}}}});
  }
}

Status TrustBook::ApplyEvidence(const std::string& tenant_id, const trust::Evidence& evidence,
                                std::vector<LoopEvent>* events) {
  std::unique_lock lock(mu_);
  const std::uint64_t version = recording_version_.load();
  auto it = states_.find(std::tie(tenant_id, evidence.agent, evidence.workflow));
  // Evidence needs a pact in force that covers it. A state found covered is not looked up
  // again until pacts or fingerprints change (the recording version moves with either).
  if (it == states_.end() || it->second.covered_at != version) {
    auto covering = CoveringLocked(tenant_id, evidence.workflow, evidence.agent);
    if (covering == nullptr)
      return InvalidArgument("no published pact covers agent \"" + evidence.agent +
                                 "\" in workflow \"" + evidence.workflow + "\"",
                             {{"field", "workflow"}});
    if (it == states_.end()) {
      PACTUM_ASSIGN_OR_RETURN(trust::AgentTrust created,
                              trust::AgentTrust::Create(covering->pact, config_));
      // The state starts with the agent's current fingerprint: the evidence it earns is its own.
      if (auto fp = fingerprints_.find({tenant_id, evidence.agent}); fp != fingerprints_.end())
        created.FingerprintChanged(evidence.time, fp->second, nullptr);
      it = states_
               .emplace(StateKey{tenant_id, evidence.agent, evidence.workflow},
                        State{std::move(created), covering->hash})
               .first;
    }
    it->second.covered_at = version;
  }
  std::vector<trust::TrustEvent> caused;
  PACTUM_TRY(it->second.trust.Apply(evidence, &caused));
  for (auto& e : caused)
    events->push_back({tenant_id, evidence.agent, evidence.workflow, std::move(e)});
  return Status::Ok();
}

std::shared_ptr<const PublishedPact> TrustBook::Covering(const std::string& tenant_id,
                                                         const std::string& workflow,
                                                         const std::string& agent_id) const {
  std::shared_lock lock(mu_);
  return CoveringLocked(tenant_id, workflow, agent_id);
}

std::optional<std::string> TrustBook::Fingerprint(const std::string& tenant_id,
                                                  const std::string& agent_id) const {
  std::shared_lock lock(mu_);
  auto it = fingerprints_.find({tenant_id, agent_id});
  if (it == fingerprints_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> TrustBook::Workflows(const std::string& tenant_id,
                                              const std::string& agent_id) const {
  std::shared_lock lock(mu_);
  std::vector<std::string> out;
  for (const auto& [key, state] : states_) {
    if (std::get<0>(key) == tenant_id && std::get<1>(key) == agent_id)
      out.push_back(std::get<2>(key));
  }
  return out;
}

template <typename Read>
auto TrustBook::ReadState(const std::string& tenant_id, const std::string& agent_id,
                          const std::string& workflow, Read read) const
    -> Result<decltype(read(std::declval<const trust::AgentTrust&>()))> {
  std::shared_lock lock(mu_);
  auto it = states_.find({tenant_id, agent_id, workflow});
  if (it != states_.end()) return read(it->second.trust);
  // Covered but without evidence yet: trust as a new agent's.
  auto covering = CoveringLocked(tenant_id, workflow, agent_id);
  if (covering == nullptr)
    return NotFound(
        "no published pact covers agent \"" + agent_id + "\" in workflow \"" + workflow + "\"",
        {{"field", "workflow"}});
  PACTUM_ASSIGN_OR_RETURN(trust::AgentTrust fresh,
                          trust::AgentTrust::Create(covering->pact, config_));
  return read(fresh);
}

Result<Json> TrustBook::Explain(const std::string& tenant_id, const std::string& agent_id,
                                const std::string& workflow, double time) const {
  return ReadState(tenant_id, agent_id, workflow,
                   [time](const trust::AgentTrust& t) { return t.Explain(time); });
}

Result<trust::TrustSnapshot> TrustBook::Snapshot(const std::string& tenant_id,
                                                 const std::string& agent_id,
                                                 const std::string& workflow, double time) const {
  return ReadState(tenant_id, agent_id, workflow,
                   [time](const trust::AgentTrust& t) { return t.Snapshot(time); });
}

}  // namespace pactum::service
