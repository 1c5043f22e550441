// SPDX-License-Identifier: MIT
// The `rotor` command: parse options, call the library, map exceptions to exit codes.
#include "engine/core/error.hpp"
#include "engine/core/version.hpp"
#include "engine/run/commands.hpp"
#include "strategies/register_builtin.hpp"

#include <boost/program_options.hpp>

#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

namespace po = boost::program_options;

namespace {

constexpr const char* kUsage = R"(usage: rotor <command> [options]

commands:
  run FILE.yaml [FILE.yaml ...] [-o OUT.h5] [--force] [--quiet] [--json]
                      run scenarios; one HDF5 result file per scenario
  validate FILE.yaml [...]
                      check scenario files (syntax, keys, strategy parameters, data)
  list-strategies     the strategy types a scenario may use

options:
  -h, --help          this help
  --version           rotor version and git commit

exit codes: 0 ok, 1 runtime failure, 2 bad input (YAML, data, command line)
)";

std::string joinArgs(int argc, char** argv) {
    std::string s;
    for (int i = 0; i < argc; ++i) {
        if (i) s += ' ';
        s += argv[i];
    }
    return s;
}

int dispatch(int argc, char** argv) {
    po::options_description opts("options");
    opts.add_options()("help,h", "")("version", "")("output,o", po::value<std::string>(), "")(
        "force", "")("quiet,q", "")("json", "")("command", po::value<std::string>(), "")(
        "files", po::value<std::vector<std::string>>(), "");
    po::positional_options_description pos;
    pos.add("command", 1).add("files", -1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(opts).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw rotor::InputError(std::string(e.what()) + " (see rotor --help)");
    }
    if (vm.count("help")) {
        std::cout << kUsage;
        return rotor::kExitOk;
    }
    if (vm.count("version")) {
        std::cout << "rotor " << rotor::version() << " (" << rotor::gitCommit() << ")\n";
        return rotor::kExitOk;
    }
    if (!vm.count("command")) throw rotor::InputError("no command given (see rotor --help)");
    const std::string command = vm["command"].as<std::string>();
    const auto files =
        vm.count("files") ? vm["files"].as<std::vector<std::string>>() : std::vector<std::string>{};

    rotor::StrategyRegistry registry;
    rotor::strategies::registerBuiltinStrategies(registry);

    if (command == "run") {
        rotor::RunCommand cmd;
        cmd.files = files;
        if (vm.count("output")) cmd.output = vm["output"].as<std::string>();
        cmd.force = vm.count("force") != 0;
        cmd.quiet = vm.count("quiet") != 0;
        cmd.json = vm.count("json") != 0;
        cmd.progress = isatty(STDERR_FILENO) != 0;
        cmd.commandLine = joinArgs(argc, argv);
        return rotor::runCommand(cmd, registry, std::cout, std::cerr);
    }
    // Options that only `run` understands are errors elsewhere, not silently ignored.
    for (const char* o : {"output", "force", "quiet", "json"})
        if (vm.count(o)) throw rotor::InputError("option --" + std::string(o) + " applies to 'run' only");
    if (command == "validate") return rotor::validateCommand(files, registry, std::cout);
    if (command == "list-strategies") {
        if (!files.empty()) throw rotor::InputError("list-strategies takes no arguments");
        rotor::listStrategies(registry, std::cout);
        return rotor::kExitOk;
    }
    throw rotor::InputError("unknown command '" + command + "' (known: run, validate, list-strategies)");
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return dispatch(argc, argv);
    } catch (const rotor::InputError& e) {
        std::cerr << "rotor: " << e.what() << '\n';
        return rotor::kExitBadInput;
    } catch (const std::exception& e) {
        std::cerr << "rotor: error: " << e.what() << '\n';
        return rotor::kExitRuntimeFailure;
    }
}
