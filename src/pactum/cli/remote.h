// Commands that talk to a running pactum server over its HTTP API (the server owns the store
// and the live trust state, so writes go through it): the shared --server and --key options.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "pactum/base/status.h"
#include "pactum/net/http_client.h"

namespace pactum::cli {

struct RemoteFlags {
  std::string server;  // default: $PACTUM_SERVER, else http://127.0.0.1:7700
  std::string key;     // default: $PACTUM_API_KEY
};

void AddRemoteOptions(CLI::App* command, RemoteFlags* flags);
Result<std::unique_ptr<net::HttpClient>> Connect(const RemoteFlags& flags);

// Sends a JSON request; a non-2xx answer becomes an error with the server's message.
Result<Json> CallJson(net::HttpClient& client, const std::string& method, const std::string& path,
                      const Json* body = nullptr);

}  // namespace pactum::cli
