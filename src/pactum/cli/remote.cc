#include "pactum/cli/remote.h"

#include <cstdlib>

#include "pactum/base/json.h"

namespace pactum::cli {

void AddRemoteOptions(CLI::App* command, RemoteFlags* flags) {
  const char* server = std::getenv("PACTUM_SERVER");
  const char* key = std::getenv("PACTUM_API_KEY");
  flags->server = server != nullptr ? server : "http://127.0.0.1:7700";
  flags->key = key != nullptr ? key : "";
  command->add_option("--server", flags->server, "Server URL (default $PACTUM_SERVER)")
      ->capture_default_str();
  command->add_option("--key", flags->key, "API key (default $PACTUM_API_KEY)");
}

Result<std::unique_ptr<net::HttpClient>> Connect(const RemoteFlags& flags) {
  if (flags.key.empty())
    return InvalidArgument("an API key is needed: --key or $PACTUM_API_KEY", {{"field", "key"}});
  return net::HttpClient::Create({.base_url = flags.server, .bearer_token = flags.key});
}

Result<Json> CallJson(net::HttpClient& client, const std::string& method, const std::string& path,
                      const Json* body) {
  PACTUM_ASSIGN_OR_RETURN(net::HttpResponse response,
                          client.Send(method, path, body ? body->dump() : ""));
  if (response.status < 200 || response.status >= 300)
    return Status(response.status == 404 ? Code::kNotFound : Code::kFailedPrecondition,
                  net::ErrorMessage(response));
  return ParseJson(response.body);
}

}  // namespace pactum::cli
