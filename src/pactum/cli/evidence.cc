// `pactum evidence ingest FILE.jsonl` (bulk evidence with a progress line) and
// `pactum trust AGENT` (explained trust), against a running server.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "pactum/base/digest.h"
#include "pactum/base/encoding.h"
#include "pactum/base/json.h"
#include "pactum/cli/bulk.h"
#include "pactum/cli/commands.h"
#include "pactum/cli/remote.h"

namespace pactum::cli {
namespace {

struct IngestFlags {
  RemoteFlags remote;
  std::string file;
  std::size_t batch_bytes = 768 * 1024;  // below the server's default 1 MiB body limit
  bool quiet = false;
};

struct Chunk {
  std::string body;
  std::vector<std::size_t> lines;  // the file line of each body line
};

int Ingest(const IngestFlags& f) {
  std::ifstream in(f.file, std::ios::binary);
  if (!in) return Fail("evidence ingest", f.file + ": cannot read");
  // Items without their own idempotency key get one from the file's name, the line number and
  // the line's content: re-running a file (after a failure part way, or by mistake) counts each
  // item once, and fixing a bad line does not re-key the others.
  const std::string name = std::filesystem::path(f.file).filename().string();
  std::vector<Chunk> chunks(1);
  std::size_t items = 0;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto json = ParseJson(line);
    if (!json.ok())
      return Fail("evidence ingest",
                  f.file + ":" + std::to_string(number) + ": " + json.status().message());
    if (!json->is_object())
      return Fail("evidence ingest", f.file + ":" + std::to_string(number) + ": not a JSON object");
    if (!json->contains("idempotency_key")) {
      (*json)["idempotency_key"] = name + ":" + std::to_string(number) + ":" +
                                   HexEncode(AsBytes(Sha256(line))).substr(0, 16);
    }
    std::string text = json->dump() + "\n";
    if (!chunks.back().body.empty() && chunks.back().body.size() + text.size() > f.batch_bytes)
      chunks.emplace_back();
    chunks.back().body += text;
    chunks.back().lines.push_back(number);
    ++items;
  }
  if (items == 0) return Fail("evidence ingest", f.file + ": no evidence lines");
  auto client = Connect(f.remote);
  if (!client.ok()) return Fail("evidence ingest", client.status().message());
  Progress progress(items, f.quiet);
  std::size_t done = 0, accepted = 0, duplicates = 0;
  for (const Chunk& chunk : chunks) {
    auto posted = PostEvidenceBulk(**client, chunk.body);
    if (!posted.ok()) {
      std::string message = posted.status().message();
      // The server names the line of the chunk ("line N: ..."); name the file's line.
      const Json& details = posted.status().details();
      const std::size_t at =
          details.is_object() && details.contains("line") ? details["line"].get<std::size_t>() : 0;
      if (at >= 1 && at <= chunk.lines.size() && message.rfind("line ", 0) == 0) {
        message = message.substr(message.find(": ") + 2);
        return Fail("evidence ingest",
                    f.file + ":" + std::to_string(chunk.lines[at - 1]) + ": " + message +
                        (done ? " (the " + std::to_string(done) +
                                    " items before were recorded; re-running counts them once)"
                              : ""));
      }
      return Fail("evidence ingest", message);
    }
    accepted += posted->accepted;
    duplicates += posted->duplicates;
    done += chunk.lines.size();
    progress.Update(done);
  }
  std::cout << f.file << ": " << accepted << " recorded, " << duplicates
            << " already recorded (not counted twice)\n";
  return 0;
}

struct TrustFlags {
  RemoteFlags remote;
  std::string agent;
  std::string workflow;
  bool json = false;
};

void PrintScore(const char* name, const Json& s) {
  std::cout << "  " << name << ": ";
  if (!s.value("measured", false)) {
    std::cout << "unmeasured\n";
    return;
  }
  std::cout << s.value("score", 0) << " (lower bound " << s.value("lower_bound", 0)
            << ", confidence " << s.value("confidence", 0.0) << ", n " << s.value("n", 0.0)
            << ", tier " << s.value("tier", "") << ")\n";
}

void PrintTrust(const Json& t) {
  std::cout << t.value("workflow", "") << ": tier " << t.value("tier", "") << ", autonomy "
            << t.value("autonomy", "") << (t.value("drifting", false) ? ", DRIFTING" : "")
            << (t.value("fingerprint_fresh", true) ? "" : ", fingerprint STALE") << "\n";
  PrintScore("capability", t.value("capability", Json::object()));
  PrintScore("reputation", t.value("reputation", Json::object()));
  for (const Json& c : t.value("recent_consequences", Json::array())) {
    std::cout << "  " << c.value("time", "") << " " << c.value("action", "") << " "
              << c.value("from", "") << " -> " << c.value("to", "") << " ("
              << c.value("cause", Json::object()).dump() << ")\n";
  }
}

int Trust(const TrustFlags& f) {
  auto client = Connect(f.remote);
  if (!client.ok()) {
    std::cerr << "pactum trust: " << client.status().message() << "\n";
    return kExitFailure;
  }
  std::string path = "/v1/agents/" + f.agent + "/trust";
  if (!f.workflow.empty()) path += "?workflow=" + f.workflow;
  auto trust = CallJson(**client, "GET", path);
  if (!trust.ok()) {
    std::cerr << "pactum trust: " << trust.status().message() << "\n";
    return kExitFailure;
  }
  if (f.json) {
    std::cout << trust->dump(2) << "\n";
    return 0;
  }
  std::cout << "agent " << f.agent << " (fingerprint " << trust->value("fingerprint", "") << ")\n";
  if (trust->contains("workflows")) {
    for (const Json& t : (*trust)["workflows"])
      PrintTrust(t);
  } else {
    PrintTrust(*trust);
  }
  return 0;
}

}  // namespace

void RegisterEvidence(CLI::App& app, int* exit_code) {
  auto* evidence = app.add_subcommand("evidence", "Evidence about agents (against a server)");
  evidence->require_subcommand(1);
  auto ingest_flags = std::make_shared<IngestFlags>();
  auto* ingest = evidence->add_subcommand(
      "ingest", "Submit a JSON Lines file of evidence, in batches, with progress");
  ingest->add_option("file", ingest_flags->file, "JSON Lines file")->required();
  ingest->add_option("--batch-bytes", ingest_flags->batch_bytes, "Bytes per request")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{64} << 20));
  ingest->add_flag("--quiet", ingest_flags->quiet, "No progress line");
  AddRemoteOptions(ingest, &ingest_flags->remote);
  ingest->callback([=] { *exit_code = Ingest(*ingest_flags); });

  auto trust_flags = std::make_shared<TrustFlags>();
  auto* trust = app.add_subcommand("trust", "Explained trust of an agent (against a server)");
  trust->add_option("agent", trust_flags->agent, "Agent id")->required();
  trust->add_option("--workflow", trust_flags->workflow, "One workflow (default: all)");
  trust->add_flag("--json", trust_flags->json, "Print the JSON answer");
  AddRemoteOptions(trust, &trust_flags->remote);
  trust->callback([=] { *exit_code = Trust(*trust_flags); });
}

}  // namespace pactum::cli
