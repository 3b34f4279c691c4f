// `pactum packet --agent A --workflow W [--out DIR]`: asks a running server for the signed trust
// packet (docs/PACKETS.md) and writes it as packet.json (the DSSE envelope, what `pactum verify`
// checks) and packet.html (the readable page).
#include <filesystem>
#include <fstream>
#include <iostream>

#include "pactum/cli/commands.h"
#include "pactum/cli/remote.h"
#include "pactum/service/packet_html.h"

namespace pactum::cli {
namespace {

struct PacketFlags {
  RemoteFlags remote;
  std::string agent, workflow;
  std::string out = ".";
};

Status WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return IoError("cannot write " + path.string());
  return Status::Ok();
}

int Run(const PacketFlags& f) {
  auto client = Connect(f.remote);
  if (!client.ok()) return Fail("packet", client.status());
  const Json body = {{"agent", f.agent}, {"workflow", f.workflow}};
  auto envelope = CallJson(**client, "POST", "/v1/packets", &body);
  if (!envelope.ok()) return Fail("packet", envelope.status());
  auto html = service::TrustPacketHtml(*envelope);
  if (!html.ok()) return Fail("packet", html.status().WithContext("the server's answer"));
  std::error_code ec;
  std::filesystem::create_directories(f.out, ec);
  if (ec) return Fail("packet", IoError("cannot create " + f.out + ": " + ec.message()));
  const std::filesystem::path dir(f.out);
  if (Status s = WriteFile(dir / "packet.json", envelope->dump(2) + "\n"); !s.ok())
    return Fail("packet", s);
  if (Status s = WriteFile(dir / "packet.html", *html); !s.ok()) return Fail("packet", s);
  std::cout << "wrote " << (dir / "packet.json").string() << " and "
            << (dir / "packet.html").string() << "\n";
  return 0;
}

}  // namespace

void RegisterPacket(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<PacketFlags>();
  auto* cmd = app.add_subcommand(
      "packet", "Write the signed trust packet of an agent in a workflow (against a server)");
  cmd->add_option("--agent", flags->agent, "Agent id")->required();
  cmd->add_option("--workflow", flags->workflow, "Workflow")->required();
  cmd->add_option("--out", flags->out, "Folder for packet.json and packet.html (default .)");
  AddRemoteOptions(cmd, &flags->remote);
  cmd->callback([flags, exit_code] { *exit_code = Run(*flags); });
}

}  // namespace pactum::cli
