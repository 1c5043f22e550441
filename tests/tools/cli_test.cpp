// SPDX-License-Identifier: MIT
// Runs the real `rotor` binary on tiny fixtures: exit codes 0/1/2, one-line located errors,
// --json, --force, and that bad input never leaves an output file behind.
#include "tests/test_support.hpp"
#include "tests/tools/cli_support.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace fs = std::filesystem;

namespace {
namespace cli_test {

using rotor::test::CliResult;
using rotor::test::rotorCli;
using rotor::test::slurp;

class Cli : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = rotor::test::scratchDir(
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        for (const char* f : {"AAA.csv", "BBB.csv", "BAD.csv", "LATE.csv", "rate.csv", "ok.yaml"})
            fs::copy_file(ROTOR_TEST_INPUT(f), dir_ + "/" + f);
    }
    void write(const std::string& name, const std::string& text) {
        std::ofstream(dir_ + "/" + name) << text;
    }
    // ok.yaml with `from` replaced by `to`.
    void variant(const std::string& name, const std::string& from, const std::string& to) {
        std::string y = slurp(dir_ + "/ok.yaml");
        const auto at = y.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        y.replace(at, from.size(), to);
        write(name, y);
    }
    // Exit code 2, one line on stderr matching `pattern`, and no output file left behind.
    void expectBadInput(const std::string& yaml, const std::string& pattern) {
        const CliResult r = rotorCli("run " + yaml + " -o out.h5", dir_);
        EXPECT_EQ(r.code, 2) << r.err;
        EXPECT_TRUE(std::regex_search(r.err, std::regex(pattern))) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_FALSE(fs::exists(dir_ + "/out.h5"));
        for (const auto& e : fs::directory_iterator(dir_))
            EXPECT_EQ(e.path().string().find(".tmp"), std::string::npos) << e.path();
    }
    std::string dir_;
};

double jsonMetric(const std::string& json, const std::string& strategy, const std::string& metric) {
    const std::regex re("\"name\":\"" + strategy + "\"[^}]*\"" + metric + "\":([-0-9.eE+]+)");
    std::smatch m;
    if (!std::regex_search(json, m, re)) return std::nan("");
    return std::stod(m[1]);
}

TEST_F(Cli, RunWritesResultsAndJsonMatchesAHandComputation) {
    const CliResult r = rotorCli("run ok.yaml -o out.h5 --json", dir_);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(fs::exists(dir_ + "/out.h5"));
    EXPECT_NE(r.out.find("\"scenarios\":[{\"name\":\"tiny\""), std::string::npos) << r.out;
    // hold_a buys AAA on day 0 paying 2 bps: E' = 10000 / 1.0002, then rides AAA from
    // 100.0000 (2024-01-02) to the last close in AAA.csv.
    std::ifstream in(dir_ + "/AAA.csv");
    std::string line, last;
    while (std::getline(in, line)) last = line;
    const double pLast = std::stod(last.substr(last.find(',') + 1));
    const double expected = (10000.0 / 1.0002) * pLast / 100.0 / 10000.0 - 1.0;
    EXPECT_NEAR(jsonMetric(r.out, "hold_a", "total_return"), expected, 1e-12);
}

TEST_F(Cli, ExistingOutputNeedsForce) {
    ASSERT_EQ(rotorCli("run ok.yaml -o out.h5 --quiet", dir_).code, 0);
    const std::string before = slurp(dir_ + "/out.h5");
    const CliResult again = rotorCli("run ok.yaml -o out.h5", dir_);
    EXPECT_EQ(again.code, 2);
    EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;
    EXPECT_EQ(slurp(dir_ + "/out.h5"), before);
    EXPECT_EQ(rotorCli("run ok.yaml -o out.h5 --force --quiet", dir_).code, 0);
}

TEST_F(Cli, QuietPrintsNothingAndTableOtherwise) {
    const CliResult q = rotorCli("run ok.yaml -o a.h5 --quiet", dir_);
    EXPECT_EQ(q.code, 0);
    EXPECT_EQ(q.out, "");
    const CliResult t = rotorCli("run ok.yaml -o b.h5", dir_);
    EXPECT_EQ(t.code, 0);
    EXPECT_NE(t.out.find("hold_a *"), std::string::npos) << t.out;
    EXPECT_NE(t.out.find("Sharpe"), std::string::npos);
}

TEST_F(Cli, YamlSyntaxErrorNamesFileLineColumn) {
    variant("bad.yaml", "  assets: [AAA, BBB]", "  assets: [AAA, BBB");
    expectBadInput("bad.yaml", R"(^rotor: bad\.yaml:\d+:\d+: .*YAML syntax error)");
}

TEST_F(Cli, UnknownKeyIsLocated) {
    variant("bad.yaml", "initial_capital: 10000", "initial_capitol: 10000");
    expectBadInput("bad.yaml",
                   R"(^rotor: bad\.yaml:11:1: initial_capitol: unknown key 'initial_capitol')");
}

TEST_F(Cli, WrongTypeIsLocated) {
    variant("bad.yaml", "initial_capital: 10000", "initial_capital: lots");
    expectBadInput("bad.yaml",
                   R"(^rotor: bad\.yaml:11:18: initial_capital: expected a number, found 'lots')");
}

TEST_F(Cli, UnknownStrategyListsTheKnownOnes) {
    variant("bad.yaml", "type: fixed_mix", "type: fixed_mixx");
    expectBadInput(
        "bad.yaml",
        R"(^rotor: bad\.yaml:18:11: strategies\[1\]\.type: unknown strategy 'fixed_mixx' \(known: .*buy_and_hold.*fixed_mix.*relative_momentum)");
}

TEST_F(Cli, MalformedCsvNamesFileAndLine) {
    variant("bad.yaml", "assets: [AAA, BBB]", "assets: [BAD, BBB]");
    std::string y = slurp(dir_ + "/bad.yaml");
    y = std::regex_replace(y, std::regex("AAA: 1.0"), "BAD: 1.0");
    y = std::regex_replace(y, std::regex("AAA"), "BAD");
    write("bad.yaml", y);
    expectBadInput("bad.yaml", R"(^rotor: .*BAD\.csv:5: )");
}

TEST_F(Cli, MissingDataForAnAssetIsRefusedNamingItsFirstDate) {
    std::string y = std::regex_replace(slurp(dir_ + "/ok.yaml"), std::regex("BBB"), "LATE");
    y = std::regex_replace(y, std::regex("mode: historical"),
                           "mode: historical\nwindow: {start: 2024-01-02}");
    write("bad.yaml", y);
    expectBadInput("bad.yaml", R"(LATE.*2024-01-16)");
}

TEST_F(Cli, BadCommandLine) {
    EXPECT_EQ(rotorCli("run ok.yaml --frobnicate", dir_).code, 2);
    EXPECT_EQ(rotorCli("launch ok.yaml", dir_).code, 2);
    EXPECT_EQ(rotorCli("run", dir_).code, 2);
    EXPECT_EQ(rotorCli("--help", dir_).code, 0);
    const CliResult v = rotorCli("--version", dir_);
    EXPECT_EQ(v.code, 0);
    EXPECT_EQ(v.out.rfind("rotor ", 0), 0u);
}

TEST_F(Cli, ValidateAndListStrategies) {
    const CliResult v = rotorCli("validate ok.yaml", dir_);
    EXPECT_EQ(v.code, 0) << v.err;
    EXPECT_NE(v.out.find("ok.yaml: ok"), std::string::npos);
    const CliResult l = rotorCli("list-strategies", dir_);
    EXPECT_EQ(l.code, 0);
    for (const char* s : {"buy_and_hold", "fixed_mix", "relative_momentum", "dual_momentum",
                          "trend_filter", "rate_regime"})
        EXPECT_NE(l.out.find(s), std::string::npos) << s;
}

}  // namespace cli_test
}  // namespace
