// SPDX-License-Identifier: MIT
// Writes the synthetic benchmark case: a wide CSV of GBM prices and a scenario running a
// monthly top-1, 126-day momentum rotation on it.
#include "bench/synthetic.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: rotor_make_synthetic DIR\n";
        return 2;
    }
    const std::filesystem::path dir(argv[1]);
    std::filesystem::create_directories(dir);
    const rotor::Index assets = 50, days = 6300;
    const auto path = rotor::bench::syntheticPath(assets, days, 20260102);
    rotor::bench::writeWideCsv(path, rotor::bench::syntheticUniverse(assets),
                               (dir / "synthetic_50x6300.csv").string());
    std::ofstream y(dir / "synthetic_momentum.yaml");
    y << "name: synthetic_momentum\n"
         "description: 50 GBM assets x 6300 business days, monthly top-1 126-day momentum\n"
         "mode: historical\n"
         "universe:\n"
         "  assets: [";
    const auto u = rotor::bench::syntheticUniverse(assets);
    for (std::size_t i = 0; i < u.assets.size(); ++i) y << (i ? ", " : "") << u.assets[i];
    y << "]\n"
         "  table: synthetic_50x6300.csv\n"
         "cash_rate: {constant: 2.0}\n"
         "costs: {commission_bps: 1, slippage_bps: 2}\n"
         "initial_capital: 1000000\n"
         "strategies:\n"
         "  - name: momentum_top1_126d\n"
         "    type: relative_momentum\n"
         "    assets: [";
    for (std::size_t i = 0; i < u.assets.size(); ++i) y << (i ? ", " : "") << u.assets[i];
    y << "]\n"
         "    lookback: 126\n"
         "    top_k: 1\n"
         "    rebalance: monthly\n";
    return 0;
}
