// diaggauss — command-line front end.  Parsing is CLI11's (Debian libcli11-dev): every subcommand has generated
// --help, unknown options and malformed values are errors (exit 2, naming the option and the value) and nothing
// runs until the whole command line has parsed.
// Whatever a command does, the process ends with a message and an exit status, never an abort: main() catches
// std::bad_alloc ("out of memory") and any other exception around every command, and checks that standard output
// was written (a full disk, a closed descriptor: "error writing to standard output: <OS reason>", exit 1).
#include <fcntl.h>
#include <stdio_ext.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <new>
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

void discard_stdout() {
  std::cout.clear();
  ::__fpurge(stdout);
  std::clearerr(stdout);
}

}  // namespace diaggauss::cli

namespace {

using namespace diaggauss::cli;

// A descriptor 0, 1 or 2 the process was started without is occupied by /dev/null opened read-only: no file the
// command opens can take its number (a profile would receive the report), and a write to it still fails (EBADF),
// so a closed stdout is reported like any other write error.
void occupy_closed_std_fds() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int got = ::open("/dev/null", O_RDONLY);
    if (got >= 0 && got != fd) {
      ::dup2(got, fd);
      ::close(got);
    }
  }
}

// Output nobody received is an error: flush stdout (std::cout shares its buffer) and look at its error flag.
// A closed pipe kills the process by SIGPIPE first (the shell's usual silent end of `diaggauss ... | head`); where
// SIGPIPE is ignored, EPIPE is reported like any other error.
int finish_stdout(int rc) {
  std::cout.flush();
  errno = 0;
  const bool flush_failed = std::fflush(stdout) != 0;
  int err = flush_failed ? errno : 0;
  if (!flush_failed && !std::ferror(stdout) && !std::cout.bad()) return rc;
  if (err == 0) {
    // An earlier write failed and its data is gone: ask the descriptor itself for the reason.
    err = ::write(STDOUT_FILENO, "", 0) < 0 ? errno : EIO;
    if (err == 0) err = EIO;
  }
  discard_stdout();
  std::fprintf(stderr, "diaggauss: error writing to standard output: %s\n", std::strerror(err));
  return rc == 0 ? 1 : rc;
}

// CLI11 turns an empty value of an option whose value is optional (`tune --verify ""`, `--verify=`) into "no value
// given": the default would be used without a word.  An explicitly empty value is refused here instead.
void refuse_empty_optional_values(CLI::App& app, int argc, char** argv) {
  CLI::App* sub = nullptr;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (!sub) {
      for (CLI::App* s : app.get_subcommands({}))
        if (s->check_name(arg)) sub = s;
      continue;
    }
    if (arg == "--") return;
    std::string name = arg;
    bool empty = false;
    if (const std::size_t eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      name = arg.substr(0, eq);
      empty = eq + 1 == arg.size();
    } else {
      empty = i + 1 < argc && argv[i + 1][0] == '\0';
    }
    if (!empty || name.empty() || name[0] != '-') continue;
    for (const CLI::Option* opt : sub->get_options())
      if (opt->get_expected_min() == 0 && opt->get_expected_max() >= 1 && opt->check_name(name))
        throw CLI::ValidationError(opt->get_name(), "empty value (leave the value out for the default)");
  }
}

int run(int argc, char** argv) {
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

  // CLI11 answers an unknown first word with "A subcommand is required"; name it and list the commands instead.
  if (argc >= 2 && argv[1][0] != '-') {
    const std::string word = argv[1];
    bool known = false;
    for (CLI::App* s : app.get_subcommands({})) known |= s->check_name(word);
    if (!known) {
      std::string list;
      for (CLI::App* s : app.get_subcommands({})) list += (list.empty() ? "" : ", ") + s->get_name();
      std::fprintf(stderr, "diaggauss: unknown command '%s'; the commands are %s\nRun with --help for more information.\n",
                   word.c_str(), list.c_str());
      return 2;
    }
  }
  try {
    refuse_empty_optional_values(app, argc, argv);
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
    const std::string name = c.first->get_name();
    const bool mpi = name == "mc" && mpi_launched();
    if (mpi) mpi_start(&argc, &argv);
    int rc;
    // The last resort: a command reports what it was doing where it can; nothing may end the process by abort.
    try {
      rc = c.second();
    } catch (const std::bad_alloc&) {
      std::fprintf(stderr, "diaggauss %s: out of memory\n", name.c_str());
      rc = 1;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "diaggauss %s: internal error: %s\n", name.c_str(), e.what());
      rc = 1;
    } catch (...) {
      std::fprintf(stderr, "diaggauss %s: internal error (unknown exception)\n", name.c_str());
      rc = 1;
    }
    if (mpi) mpi_stop();
    return rc;
  }
  return 2;  // unreachable: require_subcommand(1)
}

}  // namespace

int main(int argc, char** argv) {
  occupy_closed_std_fds();
  int rc;
  try {
    rc = run(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "diaggauss: out of memory\n");
    rc = 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "diaggauss: internal error: %s\n", e.what());
    rc = 1;
  }
  return finish_stdout(rc);
}
