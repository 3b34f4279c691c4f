#include <iostream>
#include <sstream>

#include "pactum/base/clock.h"
#include "pactum/cli/commands.h"
#include "pactum/service/service.h"

namespace pactum::cli {
namespace {

std::vector<std::string> SplitComma(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes)
    out += (out.empty() ? "" : ",") + s;
  return out;
}

struct KeyFlags {
  std::string data = "var";
  std::string tenant;
  std::string name;
  std::string scopes;
  std::string id;
  bool json = false;
};

int Create(const KeyFlags& f) {
  auto service = service::Service::Open(service::OperatorOptions(f.data));
  if (!service.ok()) return Fail("keys", service.status());
  auto issued = (*service)->CreateOperatorKey(f.tenant, f.name, SplitComma(f.scopes));
  if (!issued.ok()) return Fail("keys", issued.status());
  if (f.json) {
    Json j = service::ApiKeyJson(issued->key);
    j["secret"] = issued->secret;
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "created key " << issued->key.id << " for tenant \"" << issued->key.tenant_name
              << "\" with scopes " << JoinScopes(issued->key.scopes) << "\n"
              << "secret (shown once; store it now):\n  " << issued->secret << "\n";
  }
  return 0;
}

int List(const KeyFlags& f) {
  auto service = service::Service::Open(service::OperatorOptions(f.data));
  if (!service.ok()) return Fail("keys", service.status());
  auto keys = (*service)->ListAllKeys(f.tenant.empty() ? std::nullopt : std::optional(f.tenant));
  if (!keys.ok()) return Fail("keys", keys.status());
  if (f.json) {
    Json list = Json::array();
    for (const auto& k : *keys)
      list.push_back(service::ApiKeyJson(k));
    std::cout << list.dump(2) << "\n";
    return 0;
  }
  std::printf("%-36s  %-16s  %-20s  %-10s  %-8s  %s\n", "ID", "TENANT", "NAME", "PREFIX", "STATUS",
              "SCOPES");
  for (const auto& k : *keys) {
    std::printf("%-36s  %-16s  %-20s  %-10s  %-8s  %s\n", k.id.c_str(), k.tenant_name.c_str(),
                k.name.c_str(), k.prefix.c_str(), k.revoked_at ? "revoked" : "active",
                JoinScopes(k.scopes).c_str());
  }
  return 0;
}

int Revoke(const KeyFlags& f) {
  auto service = service::Service::Open(service::OperatorOptions(f.data));
  if (!service.ok()) return Fail("keys", service.status());
  if (Status s = (*service)->RevokeAnyKey(f.id); !s.ok()) return Fail("keys", s);
  std::cout << "revoked key " << f.id << "\n";
  return 0;
}

}  // namespace

void RegisterKeys(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<KeyFlags>();
  CLI::App* keys =
      app.add_subcommand("keys", "Manage API keys (works on the data folder directly)");
  keys->require_subcommand(1);

  std::string scopes_help = "Comma-separated scopes: ";
  for (const auto& s : service::KnownScopes())
    scopes_help += s + " ";

  CLI::App* create = keys->add_subcommand(
      "create", "Create a key (and its tenant, if new); prints the secret once");
  create->add_option("--data", flags->data, "Data folder (default ./var)");
  create->add_option("--tenant", flags->tenant, "Tenant name")->required();
  create->add_option("--name", flags->name, "A name for the key, e.g. who or what uses it")
      ->required();
  create->add_option("--scopes", flags->scopes, scopes_help)->required();
  create->add_flag("--json", flags->json, "Print JSON");
  create->callback([flags, exit_code] { *exit_code = Create(*flags); });

  CLI::App* list = keys->add_subcommand("list", "List keys (never their secrets)");
  list->add_option("--data", flags->data, "Data folder (default ./var)");
  list->add_option("--tenant", flags->tenant, "Only this tenant's keys");
  list->add_flag("--json", flags->json, "Print JSON");
  list->callback([flags, exit_code] { *exit_code = List(*flags); });

  CLI::App* revoke = keys->add_subcommand("revoke", "Revoke a key by id; it stops working at once");
  revoke->add_option("--data", flags->data, "Data folder (default ./var)");
  revoke->add_option("id", flags->id, "The key id (from keys list)")->required();
  revoke->callback([flags, exit_code] { *exit_code = Revoke(*flags); });
}

}  // namespace pactum::cli
