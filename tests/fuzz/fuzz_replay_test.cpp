// SPDX-License-Identifier: MIT
// Replays the fuzz targets' seed corpus (fuzz/corpus/<target>/) and every input a fuzzer once
// failed on (fuzz/regressions/<target>/) through the same target bodies the libFuzzer programs
// run, in every build: under the sanitizer build a crash, a leak or undefined behaviour fails
// here, and anything but rotor::InputError escaping a target fails in any build.
#include "fuzz/fuzz_targets.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace {
namespace fuzz_replay_test {

using Target = int (*)(const std::uint8_t*, std::size_t);

// The files of fuzz/<kind>/<target>/, sorted for a stable order.
std::vector<fs::path> inputs(const std::string& kind, const std::string& target) {
    std::vector<fs::path> out;
    const fs::path dir = fs::path(ROTOR_SOURCE_DIR) / "fuzz" / kind / target;
    if (!fs::is_directory(dir)) return out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file()) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

std::size_t replay(Target target, const std::string& name) {
    std::size_t n = 0;
    for (const char* kind : {"corpus", "regressions"}) {
        for (const auto& p : inputs(kind, name)) {
            SCOPED_TRACE(p.string());
            std::ifstream in(p, std::ios::binary);
            std::ostringstream ss;
            ss << in.rdbuf();
            const std::string bytes = ss.str();
            EXPECT_NO_THROW(
                target(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
            ++n;
        }
    }
    return n;
}

// Each target has a seed corpus worth the name: the bundled files of its kind.
TEST(FuzzReplay, ScenarioCorpusAndRegressions) {
    EXPECT_GE(replay(rotor::fuzz::scenario, "scenario"), 50u);
}
TEST(FuzzReplay, CsvCorpusAndRegressions) { EXPECT_GE(replay(rotor::fuzz::csv, "csv"), 20u); }
TEST(FuzzReplay, ResultsCorpusAndRegressions) {
    EXPECT_GE(replay(rotor::fuzz::results, "results"), 3u);
}
TEST(FuzzReplay, PartCorpusAndRegressions) { EXPECT_GE(replay(rotor::fuzz::part, "part"), 2u); }

}  // namespace fuzz_replay_test
}  // namespace
