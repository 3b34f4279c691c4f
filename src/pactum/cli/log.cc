// `pactum log ...` (the transparency log, on the data folder) and `pactum verify FILE`
// (offline, needs only the artifact and a key file).
#include <atomic>
#include <iostream>
#include <mutex>
#include <thread>

#include "pactum/base/encoding.h"
#include "pactum/base/file.h"
#include "pactum/cli/commands.h"
#include "pactum/service/service.h"

namespace pactum::cli {
namespace {

struct LogFlags {
  std::string data = "var";
  std::uint64_t index = 0;
  std::optional<std::uint64_t> size;  // set from size_value when --size is given
  std::uint64_t size_value = 0;
  std::uint64_t from = 0;
  std::optional<std::uint64_t> to;  // likewise for --to
  std::uint64_t to_value = 0;
  int threads = 4;
  std::uint64_t count = 0;  // 0: until killed
  std::string tenant = "crash-test";
  bool json = false;
};

Result<std::unique_ptr<service::Service>> OpenService(const LogFlags& f) {
  return service::Service::Open(service::OperatorOptions(f.data));
}

int Checkpoint(const LogFlags& f) {
  auto service = OpenService(f);
  if (!service.ok()) return Fail("log checkpoint", service.status());
  auto note = (*service)->LogCheckpoint(f.size);
  if (!note.ok()) return Fail("log checkpoint", note.status());
  std::cout << *note;
  return 0;
}

int Proof(const LogFlags& f) {
  auto service = OpenService(f);
  if (!service.ok()) return Fail("log proof", service.status());
  auto bundle = (*service)->LogInclusionProof(f.index, f.size, /*with_leaf=*/true);
  if (!bundle.ok()) return Fail("log proof", bundle.status());
  std::cout << bundle->dump(2) << "\n";
  return 0;
}

int Consistency(const LogFlags& f) {
  auto service = OpenService(f);
  if (!service.ok()) return Fail("log consistency", service.status());
  auto bundle = (*service)->LogConsistencyProof(f.from, f.to);
  if (!bundle.ok()) return Fail("log consistency", bundle.status());
  std::cout << bundle->dump(2) << "\n";
  return 0;
}

int Leaf(const LogFlags& f) {
  auto service = OpenService(f);
  if (!service.ok()) return Fail("log leaf", service.status());
  auto leaf = (*service)->LogLeafAsOperator(f.index);
  if (!leaf.ok()) return Fail("log leaf", leaf.status());
  std::cout << leaf->dump(2) << "\n";
  return 0;
}

int Verify(const LogFlags& f) {
  auto service = OpenService(f);
  if (!service.ok()) return Fail("log verify", service.status());
  auto report = (*service)->VerifyLog();
  if (!report.ok()) return Fail("log verify", report.status());
  if (f.json) {
    Json j = {{"ok", report->ok()},
              {"size", report->size},
              {"checkpoints_checked", report->checkpoints_checked}};
    if (!report->ok()) {
      j["first_bad_index"] = *report->first_bad_index;
      j["problem"] = report->problem;
    }
    std::cout << j.dump(2) << "\n";
  } else if (report->ok()) {
    std::cout << "log verified: " << report->size << " leaves, " << report->checkpoints_checked
              << " signed checkpoints match\n";
  } else {
    std::cout << "log verify failed: first bad index " << *report->first_bad_index << ": "
              << report->problem << "\n";
  }
  return report->ok() ? 0 : kExitFailure;
}

int RotateKey(const LogFlags& f) {
  auto service = OpenService(f);
  if (!service.ok()) return Fail("log rotate-key", service.status());
  if (Status s = (*service)->RotateLogKey(); !s.ok()) return Fail("log rotate-key", s);
  auto keys = (*service)->LogKeyFile();
  if (!keys.ok()) return Fail("log rotate-key", keys.status());
  std::cout << "rotated the log key; old checkpoints keep verifying with the old key. Keys now:\n"
            << *keys;
  return 0;
}

int PublicKey(const LogFlags& f) {
  auto service = OpenService(f);
  if (!service.ok()) return Fail("log public-key", service.status());
  auto keys = (*service)->LogKeyFile();
  if (!keys.ok()) return Fail("log public-key", keys.status());
  std::cout << *keys;
  return 0;
}

// Test support (hidden from --help): appends leaves from `threads` appenders until killed (or
// `count` appends each) and prints "<index> <base64 leaf hash>" for each acknowledged (durable)
// append.
int AppendLoop(const LogFlags& f) {
  auto service = OpenService(f);
  if (!service.ok()) return Fail("log append-loop", service.status());
  std::mutex out_mu;
  std::vector<std::thread> threads;
  std::atomic<bool> failed = false;
  for (int t = 0; t < f.threads; ++t) {
    threads.emplace_back([&, t] {
      for (std::uint64_t n = 0; !failed && (f.count == 0 || n < f.count); ++n) {
        auto receipt =
            (*service)->AppendLeaf("test.append", f.tenant, Json{{"appender", t}, {"n", n}});
        std::lock_guard lock(out_mu);
        if (!receipt.ok()) {
          std::cerr << "pactum log append-loop: " << receipt.status().message() << "\n";
          failed = true;
          return;
        }
        std::cout << receipt->index << " " << Base64Encode(AsBytes(receipt->leaf_hash)) << "\n"
                  << std::flush;
      }
    });
  }
  for (auto& th : threads)
    th.join();
  return failed ? kExitFailure : 0;
}

struct VerifyFlags {
  std::string file;
  std::string key_file;
  ledger::VerifyOptions options;
};

int VerifyFile(const VerifyFlags& f) {
  auto artifact = ReadFile(f.file);
  if (!artifact.ok()) return Fail("verify", artifact.status());
  auto keys = ReadFile(f.key_file);
  if (!keys.ok()) return Fail("verify", keys.status());
  auto verified = service::VerifyArtifact(*artifact, *keys, f.options);
  if (!verified.ok()) {
    std::cerr << "pactum verify: rejected " << f.file << ": " << verified.status().message()
              << "\n";
    return kExitFailure;
  }
  std::cout << "verified " << verified->kind << ": " << verified->summary << "\n";
  return 0;
}

}  // namespace

void RegisterLog(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<LogFlags>();
  CLI::App* log =
      app.add_subcommand("log", "The transparency log (works on the data folder directly)");
  log->require_subcommand(1);
  auto data = [&](CLI::App* cmd) {
    cmd->add_option("--data", flags->data, "Data folder (default ./var)");
  };

  CLI::App* checkpoint =
      log->add_subcommand("checkpoint", "Print a signed checkpoint (C2SP note) of the log");
  data(checkpoint);
  CLI::Option* checkpoint_size =
      checkpoint->add_option("--size", flags->size_value, "Of the first N leaves (default: all)");
  checkpoint->callback([flags, exit_code, checkpoint_size] {
    if (checkpoint_size->count() > 0) flags->size = flags->size_value;
    *exit_code = Checkpoint(*flags);
  });

  CLI::App* proof =
      log->add_subcommand("proof", "Print an inclusion proof bundle (JSON) for one leaf");
  data(proof);
  proof->add_option("--index", flags->index, "The leaf index")->required();
  CLI::Option* proof_size = proof->add_option(
      "--size", flags->size_value, "Tree size to prove against (default: the whole log)");
  proof->callback([flags, exit_code, proof_size] {
    if (proof_size->count() > 0) flags->size = flags->size_value;
    *exit_code = Proof(*flags);
  });

  CLI::App* consistency =
      log->add_subcommand("consistency", "Print a consistency proof bundle (JSON)");
  data(consistency);
  consistency->add_option("--from", flags->from, "The older tree size (>= 1)")->required();
  CLI::Option* to = consistency->add_option("--to", flags->to_value,
                                            "The newer tree size (default: the whole log)");
  consistency->callback([flags, exit_code, to] {
    if (to->count() > 0) flags->to = flags->to_value;
    *exit_code = Consistency(*flags);
  });

  CLI::App* leaf = log->add_subcommand("leaf", "Print one leaf (any tenant's)");
  data(leaf);
  leaf->add_option("--index", flags->index, "The leaf index")->required();
  leaf->callback([flags, exit_code] { *exit_code = Leaf(*flags); });

  CLI::App* verify = log->add_subcommand(
      "verify", "Recompute every hash from the stored leaves; report the first bad index (exit 1)");
  data(verify);
  verify->add_flag("--json", flags->json, "Print JSON");
  verify->callback([flags, exit_code] { *exit_code = Verify(*flags); });

  CLI::App* rotate = log->add_subcommand(
      "rotate-key", "Sign with a fresh key from now on (old keys stay trusted)");
  data(rotate);
  rotate->callback([flags, exit_code] { *exit_code = RotateKey(*flags); });

  CLI::App* public_key =
      log->add_subcommand("public-key", "Print the log's keys, as a key file for pactum verify");
  data(public_key);
  public_key->callback([flags, exit_code] { *exit_code = PublicKey(*flags); });

  CLI::App* loop = log->add_subcommand("append-loop", "Test support: append until killed");
  loop->group("");  // hidden from --help
  data(loop);
  loop->add_option("--threads", flags->threads, "Concurrent appenders")->check(CLI::Range(1, 256));
  loop->add_option("--count", flags->count, "Appends per appender (default: until killed)");
  loop->add_option("--tenant", flags->tenant, "Tenant of the leaves");
  loop->callback([flags, exit_code] { *exit_code = AppendLoop(*flags); });

  auto vflags = std::make_shared<VerifyFlags>();
  CLI::App* verify_file = app.add_subcommand("verify",
                                             "Check a checkpoint, proof bundle, DSSE envelope or "
                                             "trust packet offline against trusted keys");
  verify_file->add_option("file", vflags->file, "The artifact")->required();
  verify_file
      ->add_option("--key", vflags->key_file,
                   "Key file: PEM public keys and/or note verifier keys (pactum log public-key)")
      ->required();
  verify_file->add_option("--payload-type", vflags->options.payload_type,
                          "Expected DSSE payloadType (default application/vnd.in-toto+json)");
  verify_file->add_option("--keyid", vflags->options.dsse_keyid,
                          "DSSE key id of the trusted key (default: its fingerprint)");
  verify_file->add_option("--origin", vflags->options.origin,
                          "Expected checkpoint origin (default: any)");
  verify_file->callback([vflags, exit_code] { *exit_code = VerifyFile(*vflags); });
}

}  // namespace pactum::cli
