// `pactum webhooks add|list|remove|enable|test`: webhook subscriptions of the key's tenant,
// against a running server (docs/WEBHOOKS.md).
#include <functional>
#include <iostream>
#include <sstream>

#include "pactum/cli/commands.h"
#include "pactum/cli/remote.h"

namespace pactum::cli {
namespace {

struct WebhookFlags {
  RemoteFlags remote;
  std::string url;
  std::string events;  // comma-separated
  std::string description;
  std::string id;
  bool json = false;
};

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ','))
    if (!part.empty()) parts.push_back(part);
  return parts;
}

void PrintWebhook(const Json& w) {
  std::string events;
  for (const Json& e : w.value("events", Json::array()))
    events += (events.empty() ? "" : ",") + e.get<std::string>();
  std::cout << w.value("id", "") << "  " << (w.value("enabled", false) ? "enabled " : "DISABLED")
            << "  " << w.value("url", "") << "  " << events;
  if (!w.value("description", "").empty())
    std::cout << "  (" << w["description"].get<std::string>() << ")";
  std::cout << "\n";
  if (w.contains("disabled_reason") && w["disabled_reason"].is_string())
    std::cout << "    " << w["disabled_reason"].get<std::string>() << "\n";
}

// Runs one call; prints its JSON with --json, else `print(answer)`.
int Run(const std::string& command, const WebhookFlags& f, const std::string& method,
        const std::string& path, const Json* body, const std::function<int(const Json&)>& print) {
  auto client = Connect(f.remote);
  if (!client.ok()) return Fail("webhooks " + command, client.status());
  auto answer = CallJson(**client, method, path, body);
  if (!answer.ok()) return Fail("webhooks " + command, answer.status());
  if (f.json) {
    std::cout << answer->dump(2) << "\n";
    return 0;
  }
  return print(*answer);
}

}  // namespace

void RegisterWebhooks(CLI::App& app, int* exit_code) {
  auto* webhooks = app.add_subcommand("webhooks", "Webhook subscriptions (against a server)");
  webhooks->require_subcommand(1);

  auto add_flags = std::make_shared<WebhookFlags>();
  auto* add = webhooks->add_subcommand("add", "Subscribe a URL to events; prints the secret once");
  add->add_option("--url", add_flags->url, "Receiver URL (http:// or https://)")->required();
  add->add_option("--events", add_flags->events,
                  "Event types, comma-separated (\"*\" for all, \"review.*\" for a family)")
      ->required();
  add->add_option("--description", add_flags->description, "What the subscription is for");
  add->add_flag("--json", add_flags->json, "Print the JSON answer");
  AddRemoteOptions(add, &add_flags->remote);
  add->callback([=] {
    const WebhookFlags& f = *add_flags;
    Json body = {{"url", f.url}, {"events", SplitCommas(f.events)}};
    if (!f.description.empty()) body["description"] = f.description;
    *exit_code = Run("add", f, "POST", "/v1/webhooks", &body, [](const Json& w) {
      PrintWebhook(w);
      std::cout << "signing secret (shown once; store it now):\n  " << w.value("secret", "")
                << "\n";
      return 0;
    });
  });

  auto list_flags = std::make_shared<WebhookFlags>();
  auto* list = webhooks->add_subcommand("list", "The subscriptions of the key's tenant");
  list->add_flag("--json", list_flags->json, "Print the JSON answer");
  AddRemoteOptions(list, &list_flags->remote);
  list->callback([=] {
    *exit_code = Run("list", *list_flags, "GET", "/v1/webhooks", nullptr, [](const Json& a) {
      for (const Json& w : a.value("webhooks", Json::array()))
        PrintWebhook(w);
      return 0;
    });
  });

  auto remove_flags = std::make_shared<WebhookFlags>();
  auto* remove = webhooks->add_subcommand("remove", "Remove a subscription");
  remove->add_option("id", remove_flags->id, "Subscription id")->required();
  AddRemoteOptions(remove, &remove_flags->remote);
  remove->callback([=] {
    *exit_code = Run("remove", *remove_flags, "DELETE", "/v1/webhooks/" + remove_flags->id, nullptr,
                     [&](const Json&) {
                       std::cout << "removed " << remove_flags->id << "\n";
                       return 0;
                     });
  });

  auto enable_flags = std::make_shared<WebhookFlags>();
  auto* enable = webhooks->add_subcommand("enable", "Enable a subscription again");
  enable->add_option("id", enable_flags->id, "Subscription id")->required();
  enable->add_flag("--json", enable_flags->json, "Print the JSON answer");
  AddRemoteOptions(enable, &enable_flags->remote);
  enable->callback([=] {
    *exit_code = Run("enable", *enable_flags, "POST",
                     "/v1/webhooks/" + enable_flags->id + "/enable", nullptr, [](const Json& w) {
                       PrintWebhook(w);
                       return 0;
                     });
  });

  auto test_flags = std::make_shared<WebhookFlags>();
  auto* test = webhooks->add_subcommand(
      "test", "Send a test message now and print the receiver's answer (fails unless 2xx)");
  test->add_option("id", test_flags->id, "Subscription id")->required();
  test->add_flag("--json", test_flags->json, "Print the JSON answer");
  AddRemoteOptions(test, &test_flags->remote);
  test->callback([=] {
    const Json empty = Json::object();
    int code = Run("test", *test_flags, "POST", "/v1/webhooks/" + test_flags->id + "/test", &empty,
                   [](const Json& a) {
                     const bool delivered = a.value("delivered", false);
                     std::cout << (delivered ? "delivered" : "NOT delivered") << ": HTTP "
                               << a.value("status", 0) << " in " << a.value("latency_ms", 0)
                               << " ms (message " << a.value("message_id", "") << ")\n";
                     if (a.contains("error") && a["error"].is_string())
                       std::cout << "  " << a["error"].get<std::string>() << "\n";
                     if (!a.value("response", "").empty())
                       std::cout << "  receiver said: " << a["response"].get<std::string>() << "\n";
                     return delivered ? 0 : kExitFailure;
                   });
    *exit_code = code;
  });
}

}  // namespace pactum::cli
