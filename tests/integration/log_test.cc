// The transparency log through the real binary: HTTP endpoints, the `pactum log` commands,
// offline `pactum verify`, tamper detection, and a crash test that SIGKILLs an appending
// process again and again.
#include <csignal>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pactum/base/encoding.h"
#include "pactum/ledger/ledger.h"
#include "pactum/merkle/verify.h"

#include "harness.h"

namespace pactum::testing {
namespace {

namespace fs = std::filesystem;

std::string Pactum(const std::vector<std::string>& args, int expected_exit = 0) {
  std::string out, err;
  const int code = RunPactum(args, &out, &err);
  std::string command = "pactum";
  for (const auto& a : args)
    command += " " + a;
  EXPECT_EQ(code, expected_exit) << command << "\nstdout: " << out << "\nstderr: " << err;
  return expected_exit == 0 ? out : err + out;
}

// `pactum verify FILE --key KEYS`: the exit code and what it printed.
int VerifyWithBinary(const fs::path& dir, const std::string& artifact, const fs::path& keys,
                     std::string* said) {
  const fs::path file = dir / "artifact";
  WriteAll(file, artifact);
  std::string out, err;
  const int code = RunPactum({"verify", file.string(), "--key", keys.string()}, &out, &err);
  *said = out + err;
  return code;
}

class LogTest : public ::testing::Test {
 protected:
  fs::path data() const { return dir_.path() / "data"; }
  fs::path keys() const { return dir_.path() / "log-keys.txt"; }

  void AppendLeaves(const std::string& tenant, int count) {
    Pactum({"log", "append-loop", "--data", data().string(), "--threads", "1", "--count",
            std::to_string(count), "--tenant", tenant});
  }
  void SaveKeys() { WriteAll(keys(), Pactum({"log", "public-key", "--data", data().string()})); }

  TempDir dir_;
};

TEST_F(LogTest, HttpEndpointsServeVerifiableProofs) {
  AppendLeaves("default", 20);
  AppendLeaves("other", 5);
  SaveKeys();
  auto server = ServerProcess::Start(data());
  ASSERT_TRUE(server);
  const std::string key = server->bootstrap_key();
  ASSERT_FALSE(key.empty());
  HttpClient http = server->client();
  std::string said;

  HttpResult checkpoint = http.Get("/v1/log/checkpoint", key);
  ASSERT_EQ(checkpoint.status, 200) << checkpoint.body;
  EXPECT_NE(checkpoint.body.find("\n25\n"), std::string::npos) << checkpoint.body;
  EXPECT_EQ(VerifyWithBinary(dir_.path(), checkpoint.body, keys(), &said), 0) << said;

  HttpResult inclusion = http.Get("/v1/log/proof/inclusion?index=21", key);
  ASSERT_EQ(inclusion.status, 200) << inclusion.body;
  EXPECT_EQ(inclusion.json()["size"], 25);
  EXPECT_FALSE(inclusion.json().contains("leaf"));  // no leaf contents across tenants
  EXPECT_EQ(VerifyWithBinary(dir_.path(), inclusion.body, keys(), &said), 0) << said;
  HttpResult older = http.Get("/v1/log/proof/inclusion?index=3&size=9", key);
  ASSERT_EQ(older.status, 200) << older.body;
  EXPECT_EQ(VerifyWithBinary(dir_.path(), older.body, keys(), &said), 0) << said;

  HttpResult consistency = http.Get("/v1/log/proof/consistency?from=7&to=25", key);
  ASSERT_EQ(consistency.status, 200) << consistency.body;
  EXPECT_EQ(VerifyWithBinary(dir_.path(), consistency.body, keys(), &said), 0) << said;

  for (const char* bad : {"/v1/log/proof/inclusion", "/v1/log/proof/inclusion?index=x",
                          "/v1/log/proof/inclusion?index=-1", "/v1/log/proof/inclusion?index=25",
                          "/v1/log/proof/inclusion?index=1&size=26",
                          "/v1/log/proof/inclusion?index=99999999999999999999",
                          "/v1/log/proof/consistency?from=0&to=3", "/v1/log/proof/consistency?to=3",
                          "/v1/log/proof/consistency?from=4&to=3", "/v1/log/leaves/abc"}) {
    HttpResult r = http.Get(bad, key);
    EXPECT_EQ(r.status, 400) << bad << ": " << r.body;
    EXPECT_TRUE(r.json()["error"]["details"].contains("field")) << bad << ": " << r.body;
  }

  HttpResult own = http.Get("/v1/log/leaves/4", key);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(own.json()["tenant"], "default");
  EXPECT_EQ(own.json()["leaf"]["type"], "test.append");
  // Another tenant's leaf looks exactly like a missing one.
  HttpResult foreign = http.Get("/v1/log/leaves/22", key);
  HttpResult missing = http.Get("/v1/log/leaves/2500", key);
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(foreign.json()["error"]["message"].get<std::string>().find("22"),
            missing.json()["error"]["message"].get<std::string>().find("2500"));

  EXPECT_EQ(http.Get("/v1/log/checkpoint").status, 401);
  std::string out, err;
  ASSERT_EQ(RunPactum({"keys", "create", "--data", data().string(), "--tenant", "default", "--name",
                       "decider", "--scopes", "decide", "--json"},
                      &out, &err),
            0)
      << err;
  const std::string decide_only = Json::parse(out)["secret"];
  EXPECT_EQ(http.Get("/v1/log/checkpoint", decide_only).status, 403);
  EXPECT_EQ(http.Get("/v1/log/leaves/1", decide_only).status, 403);
}

TEST_F(LogTest, CliProofsVerifyOfflineAndBadOnesAreRejected) {
  AppendLeaves("acme", 30);
  SaveKeys();
  std::string said;
  const std::string checkpoint = Pactum({"log", "checkpoint", "--data", data().string()});
  EXPECT_EQ(VerifyWithBinary(dir_.path(), checkpoint, keys(), &said), 0) << said;
  EXPECT_NE(said.find("30 leaves"), std::string::npos) << said;

  const Json proof =
      Json::parse(Pactum({"log", "proof", "--data", data().string(), "--index", "11"}));
  EXPECT_TRUE(proof.contains("leaf"));
  EXPECT_EQ(VerifyWithBinary(dir_.path(), proof.dump(), keys(), &said), 0) << said;
  const Json consistency = Json::parse(
      Pactum({"log", "consistency", "--data", data().string(), "--from", "3", "--to", "30"}));
  EXPECT_EQ(VerifyWithBinary(dir_.path(), consistency.dump(), keys(), &said), 0) << said;
  EXPECT_NE(Pactum({"log", "verify", "--data", data().string()}).find("log verified: 30 leaves"),
            std::string::npos);

  // Every verify path rejects bad input with a reason.
  Json truncated = proof;
  truncated["proof"].erase(truncated["proof"].size() - 1);
  Json wrong_size = proof;
  wrong_size["size"] = 29;
  Json bad_base64 = proof;
  bad_base64["leaf_hash"] = "@@@@";
  const std::map<std::string, std::string> bad = {
      {"truncated proof", truncated.dump()},
      {"wrong size", wrong_size.dump()},
      {"bad base64", bad_base64.dump()},
      {"cut bundle", proof.dump().substr(0, 100)},
      {"cut checkpoint", checkpoint.substr(0, checkpoint.size() - 20)},
      {"edited checkpoint", "x" + checkpoint}};
  for (const auto& [name, artifact] : bad) {
    EXPECT_EQ(VerifyWithBinary(dir_.path(), artifact, keys(), &said), 1) << name;
    EXPECT_NE(said.find("rejected"), std::string::npos) << name << ": " << said;
  }
  const fs::path other_keys = dir_.path() / "other-keys.txt";
  {
    TempDir other;
    WriteAll(other_keys, Pactum({"log", "public-key", "--data", (other.path() / "d").string()}));
  }
  EXPECT_EQ(VerifyWithBinary(dir_.path(), proof.dump(), other_keys, &said), 1) << said;
  EXPECT_EQ(VerifyWithBinary(dir_.path(), checkpoint, other_keys, &said), 1) << said;

  EXPECT_NE(Pactum({"log", "proof", "--data", data().string(), "--index", "30"}, 1).find("index"),
            std::string::npos);
  EXPECT_NE(
      Pactum({"log", "consistency", "--data", data().string(), "--from", "0"}, 1).find("from"),
      std::string::npos);
}

TEST_F(LogTest, RotatedKeyKeepsOldCheckpointsVerifiable) {
  AppendLeaves("acme", 3);
  const std::string before = Pactum({"log", "checkpoint", "--data", data().string()});
  Pactum({"log", "rotate-key", "--data", data().string()});
  AppendLeaves("acme", 2);
  const std::string after = Pactum({"log", "checkpoint", "--data", data().string()});
  SaveKeys();
  std::string said;
  EXPECT_EQ(VerifyWithBinary(dir_.path(), before, keys(), &said), 0) << said;
  EXPECT_EQ(VerifyWithBinary(dir_.path(), after, keys(), &said), 0) << said;
  EXPECT_EQ(Pactum({"log", "verify", "--data", data().string()}).find("log verified: 5 leaves"),
            0u);
  // The key file holds no secret, and the private key is the owner's alone.
  EXPECT_EQ(ReadAll(keys()).find("PRIVATE"), std::string::npos);
  EXPECT_EQ(fs::status(data() / "log-key.pem").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(LogTest, VerifyNamesTheTamperedIndex) {
  AppendLeaves("acme", 40);
  const std::string ok = Pactum({"log", "verify", "--data", data().string()});
  struct Case {
    const char* sql;
    const char* expected;
  };
  for (const Case& c :
       {Case{"UPDATE log_leaves SET data = CAST(replace(CAST(data AS TEXT), '\"n\":7}', "
             "'\"n\":8}') AS BLOB) "
             "WHERE idx = 7",
             "first bad index 7:"},
        Case{"UPDATE log_subtrees SET hash = x'00' || substr(hash, 2) WHERE level = 2 AND idx = 5",
             "first bad index 20:"}}) {
    const fs::path copy = dir_.path() / "tampered";
    fs::remove_all(copy);
    fs::copy(data(), copy, fs::copy_options::recursive);
    {
      auto store = store::Store::Open(copy);
      ASSERT_TRUE(store.ok());
      ASSERT_TRUE((*store)
                      ->Write([&](store::Connection& db) -> Status {
                        PACTUM_TRY(db.Exec(c.sql));
                        return db.Changes() == 1 ? Status::Ok() : Internal("no row changed");
                      })
                      .ok())
          << c.sql;
    }
    const std::string said = Pactum({"log", "verify", "--data", copy.string()}, 1);
    EXPECT_NE(said.find(c.expected), std::string::npos) << said;
  }
}

// Starts `pactum log append-loop` with stdout to `out`.
pid_t StartAppender(const fs::path& data, const fs::path& out) {
  return SpawnPactum({"log", "append-loop", "--data", data.string(), "--threads", "4"}, out,
                     "/dev/null");
}

// "<index> <base64 hash>" per complete line: what the appender was told is durable.
std::map<std::uint64_t, std::string> Acknowledged(const std::string& text) {
  std::map<std::uint64_t, std::string> acked;
  std::size_t pos = 0;
  for (std::size_t eol; (eol = text.find('\n', pos)) != std::string::npos; pos = eol + 1) {
    std::istringstream line(text.substr(pos, eol - pos));
    std::uint64_t index = 0;
    std::string hash;
    if (line >> index >> hash) acked[index] = hash;
  }
  return acked;
}

TEST_F(LogTest, KillDashNineLosesNoAcknowledgedLeaf) {
  constexpr int kKills = 24;
  std::mt19937 random(std::random_device{}());
  std::map<std::uint64_t, std::string> acked;  // over all runs
  for (int round = 0; round < kKills; ++round) {
    const fs::path out = dir_.path() / ("acks-" + std::to_string(round));
    pid_t pid = StartAppender(data(), out);
    ASSERT_GT(pid, 0);
    // Kill it at a random moment once it is appending (some rounds only just after it starts).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (ReadAll(out).empty() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::this_thread::sleep_for(
        std::chrono::microseconds(std::uniform_int_distribution<int>(0, 150'000)(random)));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "round " << round << ": the appender exited by itself";
    const auto this_round = Acknowledged(ReadAll(out));
    ASSERT_FALSE(this_round.empty()) << "round " << round;
    for (const auto& [index, hash] : this_round) {
      ASSERT_FALSE(acked.contains(index)) << "index " << index << " acknowledged twice";
      acked[index] = hash;
    }

    // After the restart: the log verifies, and every acknowledged leaf is there, unaltered,
    // provably included under a fresh checkpoint signed by the log's key.
    std::string out_text = Pactum({"log", "verify", "--data", data().string()});
    ASSERT_NE(out_text.find("log verified"), std::string::npos) << out_text;
    SaveKeys();
    const std::string note = Pactum({"log", "checkpoint", "--data", data().string()});
    std::string said;
    ASSERT_EQ(VerifyWithBinary(dir_.path(), note, keys(), &said), 0) << said;
    auto store = store::Store::Open(data());
    ASSERT_TRUE(store.ok());
    auto ledger = ledger::Ledger::Open(**store);
    ASSERT_TRUE(ledger.ok());
    auto checkpoint = crypto::Checkpoint::FromText(note.substr(0, note.find("\n\n") + 1));
    ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().message();
    ASSERT_GT(checkpoint->size, acked.rbegin()->first);
    const std::string root(AsBytes(checkpoint->root));
    for (const auto& [index, hash] : acked) {
      auto leaf = (*ledger)->Leaf(index);
      ASSERT_TRUE(leaf.ok()) << "acknowledged leaf " << index
                             << " lost: " << leaf.status().message();
      ASSERT_EQ(Base64Encode(AsBytes(leaf->leaf_hash)), hash) << "leaf " << index;
      auto proof = (*ledger)->ProveInclusion(index, checkpoint->size);
      ASSERT_TRUE(proof.ok()) << proof.status().message();
      ASSERT_TRUE(merkle::VerifyInclusion(index, checkpoint->size,
                                          std::string(AsBytes(leaf->leaf_hash)), proof->path, root)
                      .ok())
          << "leaf " << index;
    }
  }
  RecordProperty("acknowledged_leaves", static_cast<int>(acked.size()));
}

}  // namespace
}  // namespace pactum::testing
