// SPDX-License-Identifier: MIT
#include "engine/run/shared_cells.hpp"

#include "engine/core/error.hpp"
#include "engine/run/commands.hpp"
#include "engine/run/runner.hpp"

#include <cstring>
#include <limits>
#include <string>
#include <utility>

namespace rotor {

namespace {

std::string rankName(unsigned rank) { return "MPI rank " + std::to_string(rank); }

// A failure as every rank sees it: the cell's index, the exit code, the message.
struct CellFailure {
    std::uint64_t cell = std::numeric_limits<std::uint64_t>::max();
    int code = kExitOk;
    std::string message;
};

std::vector<char> encodeFailure(const CellFailure& f) {
    std::string text(sizeof f.cell, '\0');
    std::memcpy(text.data(), &f.cell, sizeof f.cell);
    text += static_cast<char>('0' + f.code);
    text += f.message;
    return {text.begin(), text.end()};
}

CellFailure decodeFailure(const std::vector<char>& bytes) {
    CellFailure f;
    if (bytes.size() <= sizeof f.cell) return f;  // none
    std::memcpy(&f.cell, bytes.data(), sizeof f.cell);
    f.code = bytes[sizeof f.cell] - '0';
    f.message.assign(bytes.begin() + sizeof f.cell + 1, bytes.end());
    return f;
}

// The earliest cell's failure on any rank (the lowest rank's, of one cell), on every rank.
void agreeOnCells(ProcessGroup& group, const CellFailure& mine) {
    std::vector<char> bytes;
    if (mine.code != kExitOk) bytes = encodeFailure(mine);
    CellFailure first;
    const std::vector<std::vector<char>> all = group.gather(bytes);
    for (std::size_t r = 0; r < all.size(); ++r) {
        CellFailure f = decodeFailure(all[r]);
        if (f.code == kExitOk || f.cell >= first.cell) continue;
        if (r > 0) f.message = rankName(static_cast<unsigned>(r)) + ": " + f.message;
        first = std::move(f);
    }
    std::string agreed;
    if (group.root() && first.code != kExitOk) {
        const std::vector<char> b = encodeFailure(first);
        agreed.assign(b.begin(), b.end());
    }
    agreed = group.broadcast(agreed);
    if (agreed.empty()) return;
    const CellFailure f = decodeFailure({agreed.begin(), agreed.end()});
    group.failureAgreed = true;
    if (f.code == kExitBadInput) throw InputError(f.message);
    throw Error(f.message);
}

std::vector<char> countBytes(std::uint64_t n) {
    std::vector<char> bytes(sizeof n);
    std::memcpy(bytes.data(), &n, sizeof n);
    return bytes;
}

}  // namespace

OwnCells runOwnCells(const std::vector<ScenarioSpec>& cells, const std::vector<unsigned>& owner,
                     ProcessGroup& group, DataStore& data,
                     const std::function<void(std::size_t)>& check,
                     const CellProgressFn& progress) {
    OwnCells own;
    CellFailure failure;
    for (std::size_t i = 0; i < cells.size() && failure.code == kExitOk; ++i) {
        try {
            if (check) check(i);
            if (owner[i] != group.rank()) continue;
            const ScenarioSpec& spec = cells[i];
            const auto report = [&progress, i](std::uint64_t done, std::uint64_t total) {
                if (progress) progress(i, done, total);
            };
            if (spec.monteCarlo()) {
                own.forward.emplace(i, simulateShare(spec, data,
                                                     PathRange{0, spec.simulation->paths}, report));
                continue;
            }
            HistoryCell& cell = own.histories[i];
            RunHooks hooks;
            hooks.strategyDone = [&cell](const ScenarioRun&, std::size_t k) {
                cell.order.push_back(k);
            };
            hooks.progress = [&report](const std::string&, std::size_t done, std::size_t total) {
                report(done, total);
            };
            data.beginCell();
            runHistorical(spec, data, cell.run, hooks);
            cell.digests = data.cellDigests();
        } catch (const InputError& e) {
            failure = {i, kExitBadInput, e.what()};
        } catch (const std::exception& e) {
            failure = {i, kExitRuntimeFailure, e.what()};
        }
    }
    agreeOnCells(group, failure);
    return own;
}

void sendOwnCell(OwnCells& own, std::size_t index, ProcessGroup& group) {
    if (auto h = own.histories.find(index); h != own.histories.end()) {
        group.send(encodeHistoryCell(h->second), 0);
        own.histories.erase(h);
        return;
    }
    auto f = own.forward.find(index);
    if (f == own.forward.end())
        throw Error("cell " + std::to_string(index) + " is not " + rankName(group.rank()) + "'s");
    ShareBytes& share = f->second;
    group.send(share.head, 0);
    group.send(countBytes(share.pieces), 0);
    for (std::uint64_t k = 0; k < share.pieces; ++k) group.send(share.nextPiece(), 0);
    own.forward.erase(f);
}

HistoryCell takeHistory(OwnCells& own, std::size_t index, unsigned owner, ProcessGroup& group) {
    if (owner != 0) {
        try {
            return decodeHistoryCell(group.receive(owner));
        } catch (const Error& e) {
            throw Error(rankName(owner) + ": " + e.what());  // not the user's input
        }
    }
    auto h = own.histories.find(index);
    if (h == own.histories.end()) throw Error("cell " + std::to_string(index) + " was not run");
    HistoryCell cell = std::move(h->second);
    own.histories.erase(h);
    return cell;
}

std::vector<StoredShare> takeForward(OwnCells& own, std::size_t index, unsigned owner,
                                     ProcessGroup& group) {
    StoredShare share;
    share.source = rankName(owner);
    share.fromRank = true;
    if (owner == 0) {
        auto f = own.forward.find(index);
        if (f == own.forward.end()) throw Error("cell " + std::to_string(index) + " was not run");
        auto kept = std::make_shared<ShareBytes>(std::move(f->second));
        own.forward.erase(f);
        share.bytes = std::move(kept->head);
        share.pieces = kept->pieces;
        share.piece = [kept](std::uint64_t) { return kept->nextPiece(); };
        return {std::move(share)};
    }
    share.bytes = group.receive(owner);
    const std::vector<char> count = group.receive(owner);
    if (count.size() != sizeof share.pieces)
        throw Error(share.source + " sent a piece count of " + std::to_string(count.size()) +
                    " bytes");
    std::memcpy(&share.pieces, count.data(), sizeof share.pieces);
    share.piece = [&group, owner](std::uint64_t) { return group.receive(owner); };
    return {std::move(share)};
}

}  // namespace rotor
