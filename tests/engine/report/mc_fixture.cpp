// SPDX-License-Identifier: MIT
#include "tests/engine/report/mc_fixture.hpp"

#include "engine/io/hdf5_file.hpp"

#include <cmath>
#include <cstdint>
#include <vector>

namespace rotor::test {

namespace {

struct SummaryRow {
    std::string strategy, type, status;
    double mean, stdev, p05, p25, p50, p75, p95, probLoss, probBeat, var95, cvar95, medianCagr,
        p05Cagr, p95Cagr, medianMaxDd;
};

h5::Table summaryTable(const std::vector<SummaryRow>& rows) {
    h5::Table t(rows.size());
    auto strings = [&](std::string SummaryRow::*f) {
        std::vector<std::string> v;
        for (const auto& r : rows) v.push_back(r.*f);
        return v;
    };
    auto doubles = [&](double SummaryRow::*f) {
        std::vector<double> v;
        for (const auto& r : rows) v.push_back(r.*f);
        return v;
    };
    t.addString("scenario", std::vector<std::string>(rows.size(), "fwd"));
    t.addString("strategy", strings(&SummaryRow::strategy));
    t.addString("type", strings(&SummaryRow::type));
    t.addString("status", strings(&SummaryRow::status));
    t.addInt64("paths", std::vector<std::int64_t>(rows.size(), 4));
    t.addDouble("mean", doubles(&SummaryRow::mean));
    t.addDouble("stdev", doubles(&SummaryRow::stdev));
    t.addDouble("p05", doubles(&SummaryRow::p05));
    t.addDouble("p25", doubles(&SummaryRow::p25));
    t.addDouble("p50", doubles(&SummaryRow::p50));
    t.addDouble("p75", doubles(&SummaryRow::p75));
    t.addDouble("p95", doubles(&SummaryRow::p95));
    t.addDouble("prob_loss", doubles(&SummaryRow::probLoss));
    t.addDouble("prob_beat_benchmark", doubles(&SummaryRow::probBeat));
    t.addDouble("var95", doubles(&SummaryRow::var95));
    t.addDouble("cvar95", doubles(&SummaryRow::cvar95));
    t.addDouble("median_cagr", doubles(&SummaryRow::medianCagr));
    t.addDouble("p05_cagr", doubles(&SummaryRow::p05Cagr));
    t.addDouble("p95_cagr", doubles(&SummaryRow::p95Cagr));
    t.addDouble("median_max_drawdown", doubles(&SummaryRow::medianMaxDd));
    std::vector<std::string> groups;
    for (const auto& r : rows) groups.push_back("/scenarios/fwd/strategies/" + r.strategy);
    t.addString("group", groups);
    return t;
}

}  // namespace

void writeMcFixture(const std::string& path, std::int64_t formatVersion, bool sweep,
                    const std::string& realisedCoverage, const std::string& rateLastObservation) {
    const double nan = std::nan("");
    const std::vector<SummaryRow> rows = {
        {"mom", "relative_momentum", "ok", 1.1375, 0.2, 0.91, 1.01, 1.12, 1.25, 1.38, 0.25, 0.75,
         0.09, 0.1, 0.08, -0.02, 0.2, 0.15},
        {"hold", "buy_and_hold", "ok", 1.035, 0.1, 0.93, 0.99, 1.04, 1.08, 1.12, 0.5, nan, 0.07,
         0.075, 0.03, -0.015, 0.09, 0.22},
        {"broken", "dual_momentum", "failed", nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan,
         nan, nan, nan, nan},
    };
    const std::vector<std::string> dates = {"2026-01-02", "2026-01-05", "2026-01-06", "2026-01-07"};
    h5::File f(path);
    f.setAttribute("format", "rotor-results");
    f.setAttribute("format_version", formatVersion);
    f.setAttribute("rotor_version", "0.1.0");
    f.setAttribute("git_commit", "abc1234");
    f.setAttribute("created_utc", "2026-11-24T13:45:00Z");
    f.setAttribute("command_line", "rotor run fwd.yaml");
    f.setAttribute("scenario_file", "fwd.yaml");
    f.setAttribute("seed", std::uint64_t{42});
    {
        h5::Group p = f.createGroup("provenance");
        p.writeString("scenario_yaml", "name: fwd  # <b>escaped</b> & kept\n");
        p.writeString("resolved_yaml", "name: fwd\npaths: 4\n");
    }
    f.writeTable("mc_summary", summaryTable(rows));
    {
        h5::Group scenarios = f.createGroup("scenarios");
        h5::Group s = scenarios.createGroup("fwd");
        s.setAttribute("name", "fwd");
        s.setAttribute("description", "four paths, two strategies");
        s.setAttribute("mode", "monte_carlo");
        s.setAttribute("benchmark", "hold");
        s.setAttribute("initial_capital", 1000.0);
        s.setAttribute("paths", std::uint64_t{4});
        s.setAttribute("seed", std::uint64_t{42});
        s.setAttribute("checkpoint_day", std::int64_t{1});
        if (sweep) {
            s.setAttribute("sweep_keys", std::vector<std::string>{"simulation.seed",
                                                                  "strategies[name=mom].lookback"});
            s.setAttribute("sweep_labels", std::vector<std::string>{"seed", "lookback"});
            s.setAttribute("sweep_values", std::vector<std::string>{"42", "126"});
        }
        s.writeStrings("dates", dates, 10);
        s.writeStrings("assets", {"AAA", "BBB"});
        const std::vector<double> pct = {5, 50, 95};
        s.writeDoubles("percentiles", pct.data(), pct.size());
        const std::vector<double> rate = {4, 4.5, 5, 3.9, 4.5, 5.1, 3.8, 4.4, 5.2, 3.7, 4.3, 5.3};
        s.writeMatrix("rate_bands", rate.data(), 4, 3);
        s.writeStrings("regime_names", {"calm", "stress"});
        s.writeInt64s("regime_of_path", {0, 0, 1, 0});
        s.writeString("model", "kind: factor\nregimes: [calm, stress]\n");
        h5::Group sts = s.createGroup("strategies");
        struct Spec {
            const char* name;
            const char* type;
            std::vector<double> bands, terminal, checkpoint;
            std::size_t row;
        };
        const std::vector<Spec> specs = {
            {"mom",
             "relative_momentum",
             {1, 1, 1, 0.97, 1.0, 1.04, 0.94, 1.06, 1.2, 0.91, 1.12, 1.38},
             {0.9, 1.05, 1.2, 1.4},
             {0.95, 1.00, 1.03, 1.10},
             0},
            {"hold",
             "buy_and_hold",
             {1, 1, 1, 0.98, 1.0, 1.02, 0.95, 1.02, 1.08, 0.93, 1.04, 1.12},
             {0.92, 1.0, 1.06, 1.1},
             {0.97, 0.99, 1.01, 1.02},
             1},
        };
        for (const auto& sp : specs) {
            h5::Group g = sts.createGroup(sp.name);
            g.setAttribute("name", sp.name);
            g.setAttribute("type", sp.type);
            g.setAttribute("status", "ok");
            g.setAttribute("error", "");
            g.writeMatrix("equity_bands", sp.bands.data(), 4, 3);
            h5::Group paths = g.createGroup("paths");
            paths.writeDoubles("terminal_wealth", sp.terminal.data(), 4);
            const std::vector<double> cagr = {-0.1, 0.05, 0.2, 0.4};
            const std::vector<double> dd = {0.3, 0.1, 0.05, 0.2};
            paths.writeDoubles("cagr", cagr.data(), 4);
            paths.writeDoubles("max_drawdown", dd.data(), 4);
            paths.writeDoubles("checkpoint_wealth", sp.checkpoint.data(), 4);
            g.writeTable("summary", summaryTable({rows[sp.row]}));
        }
        h5::Group broken = sts.createGroup("broken");
        broken.setAttribute("name", "broken");
        broken.setAttribute("type", "dual_momentum");
        broken.setAttribute("status", "failed");
        broken.setAttribute("error", "lookback longer than the history");

        h5::Group real = s.createGroup("realised");
        real.writeStrings("dates", {dates[0], dates[1]}, 10);
        const std::vector<double> cash = {4.3, 4.3};
        real.writeDoubles("cash_rate", cash.data(), 2);
        if (!realisedCoverage.empty()) real.setAttribute("coverage", realisedCoverage);
        if (!rateLastObservation.empty())
            real.setAttribute("cash_rate_last_observation", rateLastObservation);
        h5::Group rs = real.createGroup("strategies");
        const std::vector<std::pair<const char*, std::vector<double>>> realised = {
            {"mom", {1.0, 1.03}}, {"hold", {1.0, 0.98}}};
        const double ranks[] = {62.5, 25.0};
        for (std::size_t i = 0; i < realised.size(); ++i) {
            h5::Group g = rs.createGroup(realised[i].first);
            g.setAttribute("name", realised[i].first);
            h5::Dataset w = g.writeDoubles("wealth", realised[i].second.data(), 2);
            w.setAttribute("percentile_rank", ranks[i]);
        }
    }
    f.close();
}

void writeForeignHdf5(const std::string& path) {
    h5::File f(path);
    const std::vector<double> v = {1, 2, 3};
    f.writeDoubles("x", v.data(), v.size());
    f.close();
}

}  // namespace rotor::test
