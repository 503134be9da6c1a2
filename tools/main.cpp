// diaggauss — command-line front end.  Parsing is CLI11's (Debian libcli11-dev): every subcommand has generated
// --help, unknown options and malformed values are errors (exit 2, naming the option and the value) and nothing
// runs until the whole command line has parsed.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "diaggauss/diaggauss.h"
#include "dispatch/selection.hpp"
#include "tools/commands.hpp"
#include "tools/mc_mpi.hpp"

namespace diaggauss::cli {

std::string library_error() { return detail::selection_report().env_error; }

std::string dump_json(const nlohmann::ordered_json& j) {
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

bool stderr_is_tty() { return ::isatty(STDERR_FILENO) == 1; }

}  // namespace diaggauss::cli

int main(int argc, char** argv) {
  using namespace diaggauss::cli;
  CLI::App app{"diaggauss: diagonal-Gaussian kernels (solve, log-density, Philox sampling) dispatched per CPU",
               "diaggauss"};
  app.set_version_flag("--version", std::string("diaggauss ") + dg_version());
  app.require_subcommand(1);
  // The ISA and family names come from their one list (kernels/common/isa_list.hpp, dispatch/names.hpp).
  const auto bar_separated = [](std::string s) {
    for (std::size_t at = s.find(", "); at != std::string::npos; at = s.find(", ", at)) s.replace(at, 2, "|");
    return s;
  };
  app.footer(
      "environment: DIAGGAUSS_ISA=" + bar_separated(diaggauss::detail::all_isa_names()) +
      "  DIAGGAUSS_IMPL=" + bar_separated(diaggauss::detail::all_family_names()) + "\n"
      "             DIAGGAUSS_PROFILE=PATH|none (tuning profile)\n"
      "`diaggauss help CMD` or `diaggauss CMD --help` describes one command.");
  std::vector<std::pair<CLI::App*, Runner>> commands;
  const auto add = [&](Runner (*adder)(CLI::App&)) {
    Runner r = adder(app);
    commands.emplace_back(app.get_subcommands({}).back(), std::move(r));
  };
  add(add_info);
  add(add_demo);
  add(add_tune);
  add(add_mc);
  add(add_bench);
  add(add_sample);
  std::vector<std::string> names;
  for (const auto& c : commands) names.push_back(c.first->get_name());
  CLI::App* help = app.add_subcommand("help", "this text, or `help CMD`: one command's options");
  std::string help_topic;
  help->add_option("command", help_topic, "the command to describe")->check(CLI::IsMember(names));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints help (exit 0) or the error; every error is a usage error, exit 2.
    if (argc < 2) {
      std::fprintf(stderr, "%s", app.help().c_str());
      return 2;
    }
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (help->parsed()) {
    std::cout << (help_topic.empty() ? app.help() : app.get_subcommand(help_topic)->help("diaggauss"));
    return 0;
  }
  for (const auto& c : commands) {
    if (!c.first->parsed()) continue;
    if (c.first->get_name() == "mc" && mpi_launched()) {
      mpi_start(&argc, &argv);
      const int rc = c.second();
      mpi_stop();
      return rc;
    }
    return c.second();
  }
  return 2;  // unreachable: require_subcommand(1)
}
