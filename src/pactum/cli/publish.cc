// `pactum pact publish FILE`: validates the pact locally (the same checks as lint, with the
// boundary files read beside it) and publishes its canonical JSON to a running server.
#include <iostream>

#include "pactum/cli/commands.h"
#include "pactum/cli/remote.h"
#include "pactum/pact/loader.h"

namespace pactum::cli {
namespace {

struct PublishFlags {
  RemoteFlags remote;
  std::string file;
};

int Publish(const PublishFlags& f) {
  auto fail = [](const std::string& message) {
    std::cerr << "pactum pact publish: " << message << "\n";
    return kExitFailure;
  };
  auto pact = pact::LoadPactFile(f.file);
  if (!pact.ok()) return fail(pact.status().message());
  auto client = Connect(f.remote);
  if (!client.ok()) return fail(client.status().message());
  const std::string body = pact::ToJson(*pact).dump();
  auto response = (*client)->Send("POST", "/v1/pacts", body);
  if (!response.ok()) return fail(response.status().message());
  if (response->status != 200 && response->status != 201)
    return fail(f.file + ": " + net::ErrorMessage(*response));
  auto json = Json::parse(response->body, nullptr, false);
  std::cout << f.file << ": pact " << pact->name << " v" << pact->version
            << (response->status == 201 ? " published" : " already published") << ", hash "
            << json.value("hash", "") << ", log index " << json.value("log_index", 0) << "\n";
  return 0;
}

}  // namespace

void AddPactPublish(CLI::App& pact_command, int* exit_code) {
  auto flags = std::make_shared<PublishFlags>();
  auto* publish = pact_command.add_subcommand(
      "publish", "Publish a pact version to a server (immutable once published)");
  publish->add_option("file", flags->file, "Pact YAML file")->required()->check(CLI::ExistingFile);
  AddRemoteOptions(publish, &flags->remote);
  publish->callback([=] { *exit_code = Publish(*flags); });
}

}  // namespace pactum::cli
