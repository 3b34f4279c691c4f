// pactum: the command-line entry point. Bad usage prints one line and exits 2.
#include <iostream>

#include "pactum/cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"pactum: trust infrastructure for AI agents in security operations", "pactum"};
  app.require_subcommand(1);
  app.set_version_flag("--version", PACTUM_VERSION);
  int exit_code = 0;
  app.add_subcommand("version", "Print the version")->callback([] {
    std::cout << "pactum " << PACTUM_VERSION << "\n";
  });
  pactum::cli::RegisterServe(app, &exit_code);
  pactum::cli::RegisterKeys(app, &exit_code);
  pactum::cli::RegisterLog(app, &exit_code);
  pactum::cli::RegisterEvidence(app, &exit_code);
  pactum::cli::RegisterPact(app, &exit_code);
  pactum::cli::RegisterPolicy(app, &exit_code);
  pactum::cli::RegisterWebhooks(app, &exit_code);
  pactum::cli::RegisterScorecard(app, &exit_code);
  pactum::cli::RegisterPacket(app, &exit_code);
  pactum::cli::RegisterReplay(app, &exit_code);
  pactum::cli::RegisterEval(app, &exit_code);
  pactum::cli::RegisterSimulate(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "pactum: " << e.what() << " (see pactum --help)\n";
    return pactum::cli::kExitUsage;
  }
  return exit_code;
}
