// SPDX-License-Identifier: MIT
// A forward cell rebuilt from stored shares, as `rotor merge` does, on the small forward
// scenario of the invalid-input corpus (50 paths): shares of two ranges combine to the run of
// all paths; a share cut short, damaged or from another range set is rotor::InputError naming
// the shard, never another error.
#include "engine/run/forward.hpp"

#include "engine/config/compose.hpp"
#include "engine/core/error.hpp"
#include "engine/data/data_store.hpp"
#include "engine/run/process_group.hpp"
#include "engine/spec/scenario_spec.hpp"
#include "strategies/register_builtin.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace forward_test {

ScenarioSpec fwd() {
    const std::string file = std::string(ROTOR_SOURCE_DIR) +
                             "/tests/fixtures/invalid_input_test/common/fwd.yaml";
    return parseScenario(expandScenarioFile(file).front().root, strategies::builtinRegistry());
}

std::vector<char> share(const ScenarioSpec& spec, PathRange range) {
    DataStore data;
    return simulateShare(spec, data, range);
}

McScenarioRun merged(const ScenarioSpec& spec, const std::vector<StoredShare>& stored) {
    DataStore data;
    SingleProcess alone;
    return std::move(*runForward(spec, data, {}, alone, &stored));
}

std::string refusal(const ScenarioSpec& spec, const std::vector<StoredShare>& stored) {
    try {
        (void)merged(spec, stored);
    } catch (const InputError& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not an InputError: " << e.what();
        return e.what();
    }
    ADD_FAILURE() << "merged";
    return "";
}

TEST(ForwardStoredShares, TwoRangesCombineToTheRunOfAllPaths) {
    const ScenarioSpec spec = fwd();
    DataStore data;
    const McScenarioRun whole = runForward(spec, data);
    const McScenarioRun joined = merged(spec, {{"a.h5", share(spec, {0, 20})},
                                               {"b.h5", share(spec, {20, 50})}});
    ASSERT_EQ(joined.strategies.size(), whole.strategies.size());
    for (std::size_t s = 0; s < whole.strategies.size(); ++s) {
        const Vector& w = whole.strategies[s].paths.terminalWealth;
        const Vector& j = joined.strategies[s].paths.terminalWealth;
        ASSERT_EQ(j.size(), 50);
        for (Index p = 0; p < w.size(); ++p) EXPECT_EQ(j(p), w(p)) << s << "/" << p;
    }
}

TEST(ForwardStoredShares, ADamagedShareIsBadInputNamingItsShard) {
    const ScenarioSpec spec = fwd();
    const std::vector<char> a = share(spec, {0, 20});
    const std::vector<char> b = share(spec, {20, 50});
    // Cut short: the fingerprint still matches, the part ends early.
    std::vector<char> cut(b.begin(), b.end() - 5);
    std::string what = refusal(spec, {{"a.h5", a}, {"b.h5", cut}});
    EXPECT_NE(what.find("b.h5: path range bytes: "), std::string::npos) << what;
    // A trailing byte.
    std::vector<char> longer = b;
    longer.push_back('x');
    what = refusal(spec, {{"a.h5", a}, {"b.h5", longer}});
    EXPECT_NE(what.find("b.h5: path range bytes: trailing bytes"), std::string::npos) << what;
    // No share of the other range: a gap.
    what = refusal(spec, {{"a.h5", a}});
    EXPECT_NE(what.find("paths 20:50 are in no range"), std::string::npos) << what;
    // Bytes of the part changed one at a time (200 spread over it, after the fingerprint):
    // refused as bad input or, where the byte is part of a value such as a wealth, merged.
    std::uint64_t print = 0;
    std::memcpy(&print, b.data(), sizeof print);
    const std::size_t from = sizeof print + static_cast<std::size_t>(print);
    ASSERT_LT(from, b.size());
    for (std::size_t k = 0; k < 200; ++k) {
        const std::size_t i = from + (b.size() - from) * k / 200;
        std::vector<char> bad = b;
        bad[i] = static_cast<char>(bad[i] ^ 0x5a);
        try {
            (void)merged(spec, {{"a.h5", a}, {"b.h5", bad}});
        } catch (const InputError&) {
        } catch (const std::exception& e) {
            ADD_FAILURE() << "byte " << i << ": not an InputError: " << e.what();
        }
    }
}

}  // namespace forward_test
}  // namespace
}  // namespace rotor
