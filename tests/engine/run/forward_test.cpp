// SPDX-License-Identifier: MIT
// A forward cell rebuilt from stored shares, as `rotor merge` does, on the small forward
// scenario of the invalid-input corpus (50 paths): shares of two ranges combine to the run of
// all paths; a share cut short, damaged or from another range set is rotor::InputError naming
// the shard, never another error. Rank 0 of an MPI run (rank 1 played by the test) labels the
// failures the other rank reports by what failed.
#include "engine/run/forward.hpp"

#include "engine/config/compose.hpp"
#include "engine/core/error.hpp"
#include "engine/data/data_store.hpp"
#include "engine/run/process_group.hpp"
#include "engine/spec/scenario_spec.hpp"
#include "strategies/register_builtin.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rotor {
namespace {
namespace forward_test {

ScenarioSpec fwd() {
    const std::string file = std::string(ROTOR_SOURCE_DIR) +
                             "/tests/fixtures/invalid_input_test/common/fwd.yaml";
    return parseScenario(expandScenarioFile(file).front().root, strategies::builtinRegistry());
}

ShareBytes share(const ScenarioSpec& spec, PathRange range) {
    DataStore data;
    return simulateShare(spec, data, range);
}

// A share as a shard stores it: its head, and its pieces read one at a time.
StoredShare stored(const std::string& source, const std::vector<char>& head,
                   std::vector<std::vector<char>> pieces) {
    auto all = std::make_shared<std::vector<std::vector<char>>>(std::move(pieces));
    return {source, head, all->size(), [all](std::uint64_t k) { return all->at(k); }};
}

// Every piece of a share, in order.
std::vector<std::vector<char>> piecesOf(const ShareBytes& bytes) {
    std::vector<std::vector<char>> all;
    for (std::uint64_t k = 0; k < bytes.pieces; ++k) all.push_back(bytes.nextPiece());
    return all;
}

StoredShare stored(const std::string& source, const ShareBytes& bytes) {
    return stored(source, bytes.head, piecesOf(bytes));
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
    ScenarioSpec spec = fwd();
    spec.simulation->chunk = 1;  // pieces of 16 paths: paths 20:50 in two, the last one short
    DataStore data;
    const McScenarioRun whole = runForward(spec, data);
    const ShareBytes b = share(spec, {20, 50});
    ASSERT_EQ(b.pieces, 2U);
    const McScenarioRun joined = merged(spec, {stored("b.h5", b),  // any order
                                               stored("a.h5", share(spec, {0, 20}))});
    ASSERT_EQ(joined.strategies.size(), whole.strategies.size());
    for (std::size_t s = 0; s < whole.strategies.size(); ++s) {
        const Vector& w = whole.strategies[s].paths.terminalWealth;
        const Vector& j = joined.strategies[s].paths.terminalWealth;
        ASSERT_EQ(j.size(), 50);
        for (Index p = 0; p < w.size(); ++p) EXPECT_EQ(j(p), w(p)) << s << "/" << p;
    }
}

TEST(ForwardStoredShares, ADamagedShareIsBadInputNamingItsShard) {
    ScenarioSpec spec = fwd();
    spec.simulation->chunk = 1;  // paths 20:50 in two pieces
    const StoredShare a = stored("a.h5", share(spec, {0, 20}));
    const ShareBytes whole = share(spec, {20, 50});
    const std::vector<char>& b = whole.head;
    const std::vector<std::vector<char>> wholePieces = piecesOf(whole);
    // Cut short: the fingerprint still matches, the totals end early.
    std::vector<char> cut(b.begin(), b.end() - 5);
    std::string what = refusal(spec, {a, stored("b.h5", cut, wholePieces)});
    EXPECT_NE(what.find("b.h5: path range bytes: "), std::string::npos) << what;
    // A trailing byte.
    std::vector<char> longer = b;
    longer.push_back('x');
    what = refusal(spec, {a, stored("b.h5", longer, wholePieces)});
    EXPECT_NE(what.find("b.h5: path range bytes: trailing bytes"), std::string::npos) << what;
    // A piece cut short, one with a trailing byte, one missing, the pieces swapped.
    std::vector<std::vector<char>> pieces = wholePieces;
    pieces[1].resize(pieces[1].size() - 5);
    what = refusal(spec, {a, stored("b.h5", b, pieces)});
    EXPECT_NE(what.find("b.h5: path range bytes: "), std::string::npos) << what;
    pieces = wholePieces;
    pieces[0].push_back('x');
    what = refusal(spec, {a, stored("b.h5", b, pieces)});
    EXPECT_NE(what.find("b.h5: path range bytes: trailing bytes"), std::string::npos) << what;
    what = refusal(spec, {a, stored("b.h5", b, {wholePieces[0]})});
    EXPECT_NE(what.find("b.h5: paths 36:50 are missing"), std::string::npos) << what;
    what = refusal(spec, {a, stored("b.h5", b, {wholePieces[1], wholePieces[0]})});
    EXPECT_NE(what.find("b.h5: "), std::string::npos) << what;
    // No share of the other range: a gap.
    what = refusal(spec, {a});
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
            (void)merged(spec, {a, stored("b.h5", bad, wholePieces)});
        } catch (const InputError&) {
        } catch (const std::exception& e) {
            ADD_FAILURE() << "byte " << i << ": not an InputError: " << e.what();
        }
    }
    // The same in a piece of per-path values.
    const std::vector<char>& p = wholePieces[1];
    for (std::size_t k = 0; k < 200; ++k) {
        const std::size_t i = p.size() * k / 200;
        pieces = wholePieces;
        pieces[1][i] = static_cast<char>(pieces[1][i] ^ 0x5a);
        try {
            (void)merged(spec, {a, stored("b.h5", b, pieces)});
        } catch (const InputError&) {
        } catch (const std::exception& e) {
            ADD_FAILURE() << "piece byte " << i << ": not an InputError: " << e.what();
        }
    }
}

// Rank 0 of two, rank 1 played here: it sends `fromRank1` as its share, or its receive fails
// as an MPI call would. Broadcasts reach no one.
class RankZeroOfTwo final : public ProcessGroup {
public:
    explicit RankZeroOfTwo(std::string fromRank1) : fromRank1_(std::move(fromRank1)) {}
    static RankZeroOfTwo receiveFails() {
        RankZeroOfTwo g("");
        g.receiveFails_ = true;
        return g;
    }
    unsigned rank() const override { return 0; }
    unsigned size() const override { return 2; }
    std::vector<std::vector<char>> gather(const std::vector<char>& mine) override {
        return {mine, {}};
    }
    void send(const std::vector<char>&, unsigned) override {}
    std::vector<char> receive(unsigned) override {
        if (receiveFails_) throw Error("MPI: receive from rank 1 failed");
        return {fromRank1_.begin(), fromRank1_.end()};
    }
    void awaitMessage(unsigned) override {}
    std::string broadcast(const std::string& fromRoot) override { return fromRoot; }
    [[noreturn]] void abortAll(int) override { std::abort(); }

private:
    std::string fromRank1_;
    bool receiveFails_ = false;
};

struct Failure {
    std::string what;
    bool rankError = false;
    bool pathError = false;
};

// How runForward fails on rank 0 of `group` (the fwd.yaml cell of 50 paths: rank 0 runs 0:25).
Failure failureOnRankZero(ProcessGroup& group) {
    const ScenarioSpec spec = fwd();
    DataStore data;
    try {
        (void)runForward(spec, data, {}, group);
    } catch (const Error& e) {
        return {e.what(), dynamic_cast<const RankError*>(&e) != nullptr,
                dynamic_cast<const PathError*>(&e) != nullptr};
    }
    ADD_FAILURE() << "no error";
    return {};
}

// What failed on another rank arrives as text ("!<code><message>"): a path of rank 1 the model
// could not produce is labelled with the model block (fwd.yaml line 8, column 3: the mapping
// under `model:`) and named "path N" as from one process; rank 1's other failures and a failed
// MPI call keep their own words; bytes that are no share name rank 1 as the one at fault.
TEST(ForwardAcrossRanks, RankZeroLabelsEachFailureByWhatFailed) {
    const std::string file = std::string(ROTOR_SOURCE_DIR) +
                             "/tests/fixtures/invalid_input_test/common/fwd.yaml";
    RankZeroOfTwo path("!430:price of AAA on 2024-03-01 is 0");
    Failure f = failureOnRankZero(path);
    EXPECT_EQ(f.what, file +
                          ":8:3: model: path 30: price of AAA on 2024-03-01 is 0 (the model's "
                          "parameters drive prices out of range)");
    EXPECT_FALSE(f.rankError);
    EXPECT_TRUE(path.failureAgreed);

    RankZeroOfTwo other("!1MPI rank 1: out of memory");
    f = failureOnRankZero(other);
    EXPECT_EQ(f.what, "MPI rank 1: out of memory");
    EXPECT_FALSE(f.rankError);
    EXPECT_FALSE(f.pathError);
    EXPECT_TRUE(other.failureAgreed);

    RankZeroOfTwo mpi = RankZeroOfTwo::receiveFails();
    f = failureOnRankZero(mpi);
    EXPECT_EQ(f.what, "MPI: receive from rank 1 failed");
    EXPECT_FALSE(f.rankError);
    EXPECT_FALSE(f.pathError);
    EXPECT_FALSE(mpi.failureAgreed);  // rank 0's own failure: the others are aborted

    RankZeroOfTwo garbage("no share");
    f = failureOnRankZero(garbage);
    EXPECT_EQ(f.what,
              "MPI rank 1 built another model or read other data than this run (each share "
              "must come from the same scenario and data files)");
    EXPECT_TRUE(f.rankError);
    EXPECT_TRUE(garbage.failureAgreed);
}

}  // namespace forward_test
}  // namespace
}  // namespace rotor
