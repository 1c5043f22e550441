// SPDX-License-Identifier: MIT
// `rotor compare`, `rotor report` and `rotor export`: results files in, tables / HTML / CSV out
// (`report` also takes a backtest-model file).
#include "engine/core/error.hpp"
#include "engine/core/input_file.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/report/backtest_reader.hpp"
#include "engine/report/backtest_report.hpp"
#include "engine/report/compare.hpp"
#include "engine/report/export_csv.hpp"
#include "engine/report/html_report.hpp"
#include "engine/report/report_kind.hpp"
#include "engine/report/results_reader.hpp"
#include "engine/run/commands.hpp"
#include "tools/rotor/cli.hpp"

#include <filesystem>
#include <iostream>

namespace po = boost::program_options;

namespace rotor::cli {

namespace {

std::vector<std::string> positionalFiles(const po::variables_map& vm) {
    return vm.count("files") ? vm["files"].as<std::vector<std::string>>()
                             : std::vector<std::string>{};
}

// The one results file a command works on.
std::string singleFile(const po::variables_map& vm, const std::string& command) {
    const auto files = positionalFiles(vm);
    if (files.size() != 1)
        throw InputError(command + ": expected one results file, got " +
                         std::to_string(files.size()) + " (see rotor --help)");
    return files.front();
}

}  // namespace

int runCompare(const std::vector<std::string>& args, const Context&) {
    po::options_description opts("compare options");
    opts.add_options()("metric", po::value<std::string>(),
                       "")("by", po::value<std::string>()->default_value("scenario"),
                           "")("format", po::value<std::string>()->default_value("table"),
                               "")("layout", po::value<std::string>()->default_value("auto"), "")(
        "all", "")("files", po::value<std::vector<std::string>>(), "");
    addLimitOptions(opts);
    const auto vm = parseArgs(args, opts, "files", "compare");
    applyLimitOptions(vm);
    const auto files = positionalFiles(vm);
    if (files.empty()) throw InputError("compare: no results file given (see rotor --help)");

    const std::string by = vm["by"].as<std::string>();
    if (by != "scenario" && by != "strategy")
        throw InputError("compare: --by must be scenario or strategy, not '" + by + "'");
    const std::string format = vm["format"].as<std::string>();
    report::CompareFormat f;
    if (format == "table")
        f = report::CompareFormat::Table;
    else if (format == "csv")
        f = report::CompareFormat::Csv;
    else if (format == "markdown")
        f = report::CompareFormat::Markdown;
    else if (format == "json")
        f = report::CompareFormat::Json;
    else
        throw InputError("compare: --format must be table, csv, markdown or json, not '" + format +
                         "'");
    const std::string metric = vm.count("metric") ? vm["metric"].as<std::string>() : "";
    if (!metric.empty() && !report::findColumn(metric))
        report::buildComparison(std::vector<report::ResultsData>{}, metric,
                                report::CompareBy::Scenario);  // throws, listing the metrics

    const std::string layoutName = vm["layout"].as<std::string>();
    report::CompareLayout layout;
    if (layoutName == "auto")
        layout = report::CompareLayout::Auto;
    else if (layoutName == "side")
        layout = report::CompareLayout::Side;
    else if (layoutName == "stacked")
        layout = report::CompareLayout::Stacked;
    else
        throw InputError("compare: --layout must be side or stacked, not '" + layoutName + "'");
    const bool all = vm.count("all") != 0;

    std::vector<report::ResultsData> data;
    for (const auto& file : files) data.push_back(report::readResults(file));
    const auto table = report::buildComparison(
        data, metric, by == "strategy" ? report::CompareBy::Strategy : report::CompareBy::Scenario);
    const bool side = files.size() >= 2 &&
                      (layout == report::CompareLayout::Side ||
                       (layout == report::CompareLayout::Auto && files.size() == 2));
    if (side && !all && report::sharedPairs(table) == 0)
        std::cerr << "rotor: compare: no (scenario, strategy) is in every file; --all shows "
                     "each file's rows side by side, --layout stacked lists them\n";
    report::writeComparison(table, f, std::cout, layout, all);
    return kExitOk;
}

int runReport(const std::vector<std::string>& args, const Context&) {
    po::options_description opts("report options");
    opts.add_options()("output,o", po::value<std::string>(), "")("force", "")(
        "metric", po::value<std::string>(), "")("axes", po::value<std::string>(), "")(
        "cell", po::value<std::string>(), "")("files", po::value<std::vector<std::string>>(), "");
    addLimitOptions(opts);
    const auto vm = parseArgs(args, opts, "files", "report");
    applyLimitOptions(vm);
    const std::string file = singleFile(vm, "report");
    // Default: the results file's name with .html for .h5, next to it.
    if (vm.count("output") && vm["output"].as<std::string>().empty())
        throw InputError("report: -o is empty");
    std::string output = vm.count("output") ? vm["output"].as<std::string>() : "";
    if (output.empty()) {
        const std::filesystem::path p(file);
        output = (p.extension() == ".h5" ? std::filesystem::path(p).replace_extension(".html")
                                         : std::filesystem::path(file + ".html"))
                     .string();
    }
    report::ReportOptions options;
    if (vm.count("metric")) {
        options.metric = vm["metric"].as<std::string>();
        if (!report::findColumn(options.metric))
            report::buildComparison(std::vector<report::ResultsData>{}, options.metric,
                                    report::CompareBy::Scenario);  // throws, listing the metrics
    }
    if (vm.count("axes")) {
        const std::string axes = vm["axes"].as<std::string>();
        const std::size_t comma = axes.find(',');
        if (comma == std::string::npos || comma == 0 || comma + 1 == axes.size())
            throw InputError("report: --axes takes two swept parameters as X,Y, not '" + axes +
                             "'");
        options.axisX = axes.substr(0, comma);
        options.axisY = axes.substr(comma + 1);
    }
    if (vm.count("cell")) options.cell = vm["cell"].as<std::string>();
    const bool force = vm.count("force") != 0;
    // Before reading a possibly large file; and the report never replaces the results it reads.
    checkOutputWritable(output, force);
    if (const auto id = fileIdOf(file)) checkOutputNotInput(output, {{file, *id}});
    if (report::reportKindOf(file) == report::ReportKind::BacktestModel) {
        if (vm.count("metric") || vm.count("axes") || vm.count("cell"))
            throw InputError("report: --metric, --axes and --cell apply to results files; " + file +
                             " is a backtest-model file");
        report::writeBacktestReport(report::readBacktestModel(file), output, force);
    } else {
        report::writeReport(report::readResults(file), output, force, options);
    }
    std::cout << "wrote " << output << '\n';
    return kExitOk;
}

int runExport(const std::vector<std::string>& args, const Context&) {
    po::options_description opts("export options");
    opts.add_options()("csv", po::value<std::string>(),
                       "")("force", "")("files", po::value<std::vector<std::string>>(), "");
    addLimitOptions(opts);
    const auto vm = parseArgs(args, opts, "files", "export");
    applyLimitOptions(vm);
    const std::string file = singleFile(vm, "export");
    if (!vm.count("csv")) throw InputError("export: --csv DIR is required");
    const std::string dir = vm["csv"].as<std::string>();
    if (dir.empty()) throw InputError("export: --csv is empty");
    const bool force = vm.count("force") != 0;
    // Before reading: the folder is replaced whole, so it must not hold the results file.
    report::checkExportFolder(dir, force);
    std::error_code ec;
    const auto folder = std::filesystem::weakly_canonical(dir, ec);
    const auto results = std::filesystem::weakly_canonical(file, ec);
    const auto rel = results.lexically_relative(folder);
    if (!rel.empty() && *rel.begin() != "..")
        throw InputError("export: " + dir + " holds the results file " + file +
                         ", which this command reads; choose another folder");
    const auto written = report::exportCsv(report::readResults(file), dir, force);
    std::cout << "wrote " << written.size() << " CSV files to " << vm["csv"].as<std::string>()
              << '\n';
    return kExitOk;
}

}  // namespace rotor::cli
