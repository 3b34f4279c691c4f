// The live trust of every (tenant, agent, workflow), with the pacts and fingerprints it depends
// on: what decide reads and evidence updates (DESIGN §5, §6). It is rebuilt at start by replaying
// the loop's records in log order, and the same calls made live in log order give the same
// state and the same events: the store is the truth, this is its cache.
//
// Thread-safe: updates take an exclusive lock, reads a shared one.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/pact/pact.h"
#include "pactum/trust/trust.h"

namespace pactum::service {

// An event of the loop: a trust event, or one of the book's own (pact.published,
// agent.fingerprint_changed for an agent with no trust state yet), with whom it is about.
struct LoopEvent {
  std::string tenant_id;
  std::string agent_id;  // empty for pact.published
  std::string workflow;
  trust::TrustEvent event;
  std::uint64_t cause_index = 0;  // the log index of the record that caused it (set by Service)
};

struct PublishedPact {
  pact::Pact pact;
  std::string hash;
  std::uint64_t log_index = 0;
};

class TrustBook {
 public:
  explicit TrustBook(trust::TrustConfig config) : config_(std::move(config)) {}

  // A pact version was published: states it now covers are rebound to it.
  void AddPact(const std::string& tenant_id, PublishedPact published, double time,
               std::vector<LoopEvent>* events);
  // The agent was registered or changed; a different fingerprint makes its capability stale.
  void SetFingerprint(const std::string& tenant_id, const std::string& agent_id,
                      const std::string& fingerprint, double time, std::vector<LoopEvent>* events);
  // Evidence accepted into the store. Fails (changing nothing) when no pact covers it.
  Status ApplyEvidence(const std::string& tenant_id, const trust::Evidence& evidence,
                       std::vector<LoopEvent>* events);

  // The pact governing the agent in the workflow: of the pacts for the workflow whose agent
  // globs match, the newest version of the most recently published name; null if none. Shared,
  // immutable: it stays valid after the lock is released.
  std::shared_ptr<const PublishedPact> Covering(const std::string& tenant_id,
                                                const std::string& workflow,
                                                const std::string& agent_id) const;
  std::optional<std::string> Fingerprint(const std::string& tenant_id,
                                         const std::string& agent_id) const;
  // Changes whenever a pact is added or a fingerprint set: what evidence is recorded under. A
  // caller that looked up both before taking a lock can tell, under it, that they still hold.
  std::uint64_t RecordingVersion() const { return recording_version_.load(); }
  // Workflows the agent has trust state in.
  std::vector<std::string> Workflows(const std::string& tenant_id,
                                     const std::string& agent_id) const;
  // Explained trust (trust.h) of the agent in the workflow at `time`; a covered agent with no
  // evidence yet is explained as new. NotFound (field "workflow") when no pact covers it.
  Result<Json> Explain(const std::string& tenant_id, const std::string& agent_id,
                       const std::string& workflow, double time) const;
  Result<trust::TrustSnapshot> Snapshot(const std::string& tenant_id, const std::string& agent_id,
                                        const std::string& workflow, double time) const;

 private:
  using StateKey = std::tuple<std::string, std::string, std::string>;  // tenant, agent, workflow
  struct State {
    trust::AgentTrust trust;
    std::string pact_hash;
    // The recording version at which a pact was last found to cover it: until pacts change, the
    // next item need not look again.
    std::uint64_t covered_at = 0;
  };

  std::shared_ptr<const PublishedPact> CoveringLocked(const std::string& tenant_id,
                                                      const std::string& workflow,
                                                      const std::string& agent_id) const;
  // Reads the state of (tenant, agent, workflow) under the shared lock, or that of a new agent
  // when a pact covers it but it has no evidence yet.
  template <typename Read>
  auto ReadState(const std::string& tenant_id, const std::string& agent_id,
                 const std::string& workflow, Read read) const
      -> Result<decltype(read(std::declval<const trust::AgentTrust&>()))>;

  const trust::TrustConfig config_;
  mutable std::shared_mutex mu_;
  // By tenant, in log order.
  std::map<std::string, std::vector<std::shared_ptr<const PublishedPact>>> pacts_;
  std::map<std::pair<std::string, std::string>, std::string> fingerprints_;
  std::map<StateKey, State, std::less<>> states_;  // found by views too: no copies to look up
  std::atomic<std::uint64_t> recording_version_{0};
};

}  // namespace pactum::service
