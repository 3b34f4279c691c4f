// `pactum pact lint|diff|hash`: pacts as code, checked offline before review (DESIGN §4,
// docs/PACTS.md). These read files only; publishing a pact to a server is a separate command.
#include <iostream>

#include "pactum/cli/commands.h"
#include "pactum/pact/diff.h"
#include "pactum/pact/loader.h"

namespace pactum::cli {
namespace {

struct PactFlags {
  std::vector<std::string> files;
  std::string old_file;
  std::string new_file;
  std::string file;
  bool json = false;
};

void PrintDiagnostics(const pact::PactCheck& check, std::ostream& out) {
  for (const pact::Diagnostic& d : check.diagnostics)
    out << pact::ToString(d) << "\n";
}

int Lint(const PactFlags& f) {
  int status = 0;
  for (const std::string& file : f.files) {
    pact::PactCheck check = pact::CheckPactFile(file);
    if (!check.pact) {
      PrintDiagnostics(check, std::cout);  // lint's findings are its output
      status = kExitFailure;
      continue;
    }
    std::cout << file << ": ok (pact " << check.pact->name << " v" << check.pact->version
              << ", hash " << pact::Hash(*check.pact) << ")\n";
  }
  return status;
}

int Diff(const PactFlags& f) {
  pact::PactCheck a = pact::CheckPactFile(f.old_file);
  pact::PactCheck b = pact::CheckPactFile(f.new_file);
  if (!a.pact || !b.pact) {
    PrintDiagnostics(a, std::cerr);
    PrintDiagnostics(b, std::cerr);
    return kExitFailure;
  }
  std::vector<pact::PactChange> changes = pact::Diff(*a.pact, *b.pact);
  if (f.json) {
    std::cout << Json{{"old_hash", pact::Hash(*a.pact)},
                      {"new_hash", pact::Hash(*b.pact)},
                      {"changes", pact::DiffToJson(changes)}}
                     .dump(2)
              << "\n";
  } else if (changes.empty()) {
    std::cout << "no changes (hash " << pact::Hash(*a.pact) << ")\n";
  } else {
    std::cout << pact::RenderDiff(changes);
  }
  return 0;
}

int HashFile(const PactFlags& f) {
  pact::PactCheck check = pact::CheckPactFile(f.file);
  if (!check.pact) {
    PrintDiagnostics(check, std::cerr);
    return kExitFailure;
  }
  std::cout << pact::Hash(*check.pact) << "\n";
  return 0;
}

}  // namespace

void RegisterPact(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<PactFlags>();
  CLI::App* pact_cmd =
      app.add_subcommand("pact", "Pacts as code: lint, diff, hash and publish pact files");
  pact_cmd->require_subcommand(1);

  CLI::App* lint = pact_cmd->add_subcommand(
      "lint", "Validate pact files; print every problem as file:line:column (exit 1 if any)");
  lint->add_option("files", flags->files, "Pact YAML files")->required();
  lint->callback([flags, exit_code] { *exit_code = Lint(*flags); });

  CLI::App* diff =
      pact_cmd->add_subcommand("diff", "Print what changed from one pact file to another");
  diff->add_option("old", flags->old_file, "The older pact file")->required();
  diff->add_option("new", flags->new_file, "The newer pact file")->required();
  diff->add_flag("--json", flags->json, "Print JSON");
  diff->callback([flags, exit_code] { *exit_code = Diff(*flags); });

  CLI::App* hash = pact_cmd->add_subcommand(
      "hash", "Print the pact's hash (SHA-256 of its canonical JSON form)");
  hash->add_option("file", flags->file, "The pact file")->required();
  hash->callback([flags, exit_code] { *exit_code = HashFile(*flags); });

  AddPactPublish(*pact_cmd, exit_code);  // publish.cc: to a running server
}

}  // namespace pactum::cli
