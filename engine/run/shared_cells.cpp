// SPDX-License-Identifier: MIT
#include "engine/run/shared_cells.hpp"

#include "engine/core/error.hpp"
#include "engine/run/commands.hpp"
#include "engine/run/runner.hpp"

#include <cstring>
#include <string>
#include <utility>

namespace rotor {

namespace {

std::string rankName(unsigned rank) { return "MPI rank " + std::to_string(rank); }

std::vector<char> countBytes(std::uint64_t n) {
    std::vector<char> bytes(sizeof n);
    std::memcpy(bytes.data(), &n, sizeof n);
    return bytes;
}

}  // namespace

void computeOwnCell(OwnCells& own, std::size_t index, const ScenarioSpec& spec, DataStore& data,
                    const PathProgressFn& progress) {
    if (spec.monteCarlo()) {
        own.forward.emplace(index, simulateShare(spec, data, PathRange{0, spec.simulation->paths},
                                                 progress));
        return;
    }
    HistoryCell cell;
    RunHooks hooks;
    hooks.strategyDone = [&cell](const ScenarioRun&, std::size_t k) { cell.order.push_back(k); };
    if (progress)
        hooks.progress = [&progress](const std::string&, std::size_t done, std::size_t total) {
            progress(done, total);
        };
    data.beginCell();
    runHistorical(spec, data, cell.run, hooks);
    cell.digests = data.cellDigests();
    own.histories.emplace(index, std::move(cell));
}

void sendOwnCell(OwnCells& own, std::size_t index, ProcessGroup& group) {
    // Rank 0 asks for the cell when it comes to it; until then this rank sleeps.
    group.awaitMessage(0);
    const std::vector<char> asked = group.receive(0);
    std::uint64_t wanted = 0;
    if (asked.size() == sizeof wanted) std::memcpy(&wanted, asked.data(), sizeof wanted);
    if (asked.size() != sizeof wanted || wanted != index)
        throw Error("rank 0 asked for another cell than " + std::to_string(index));
    if (auto h = own.histories.find(index); h != own.histories.end()) {
        group.send(encodeHistoryCell(h->second), 0);
        own.histories.erase(h);
        return;
    }
    auto f = own.forward.find(index);
    if (f == own.forward.end())
        throw Error("cell " + std::to_string(index) + " is not this rank's");
    ShareBytes& share = f->second;
    group.send(share.head, 0);
    group.send(countBytes(share.pieces), 0);
    for (std::uint64_t k = 0; k < share.pieces; ++k) group.send(share.nextPiece(), 0);
    own.forward.erase(f);
}

namespace {

// Asks rank `from` for cell `index` and waits, sleeping, until it comes.
void ask(std::size_t index, unsigned from, ProcessGroup& group) {
    group.send(countBytes(index), from);
    group.awaitMessage(from);
}

}  // namespace

HistoryCell receiveHistory(std::size_t index, unsigned from, ProcessGroup& group) {
    ask(index, from, group);
    const std::vector<char> bytes = group.receive(from);  // a failed MPI call is this rank's
    try {
        return decodeHistoryCell(bytes);
    } catch (const Error& e) {
        throw RankError(rankName(from) + ": " + e.what());  // not the user's input
    }
}

std::vector<StoredShare> receiveForward(std::size_t index, unsigned from, ProcessGroup& group) {
    ask(index, from, group);
    StoredShare share;
    share.source = rankName(from);
    share.fromRank = true;
    share.bytes = group.receive(from);
    const std::vector<char> count = group.receive(from);
    if (count.size() != sizeof share.pieces)
        throw RankError(share.source + " sent a piece count of " + std::to_string(count.size()) +
                        " bytes");
    std::memcpy(&share.pieces, count.data(), sizeof share.pieces);
    share.piece = [&group, from](std::uint64_t) { return group.receive(from); };
    return {std::move(share)};
}

}  // namespace rotor
