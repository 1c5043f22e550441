// SPDX-License-Identifier: MIT
// The MPI world as a ProcessGroup, built as the module librotor_mpi.so and loaded only when an
// MPI launcher started rotor (engine/run/process_group.cpp): linking Open MPI into the rotor
// executable itself would cost every run ~4 ms of library loading (docs/cluster.md).
#include "engine/core/error.hpp"
#include "engine/run/process_group.hpp"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <thread>
#include <vector>

namespace rotor {

namespace {

// Messages go in pieces of at most 1 GiB: MPI counts are int.
constexpr std::uint64_t kPiece = std::uint64_t{1} << 30;

void check(int rc, const char* what) {
    if (rc != MPI_SUCCESS) throw Error(std::string("MPI: ") + what + " failed");
}

// When Open MPI started every rank on this one machine and nobody chose its point-to-point
// layer, take ob1 (shared memory between the ranks): opening the other layers (cm and its fabric
// transports) costs about 0.2 s at start-up and gains nothing on one node (docs/cluster.md).
// A choice made with `--mca pml` or OMPI_MCA_pml (setenv does not overwrite it), or a job across
// nodes, is left alone.
void preferSharedMemoryOnOneNode() {
    const char* size = std::getenv("OMPI_COMM_WORLD_SIZE");
    const char* local = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
    if (size == nullptr || local == nullptr || std::string(size) != local) return;
    ::setenv("OMPI_MCA_pml", "ob1", 0);
}

void sendBytes(const std::vector<char>& bytes, int to) {
    const std::uint64_t n = bytes.size();
    check(MPI_Send(&n, 1, MPI_UINT64_T, to, 0, MPI_COMM_WORLD), "send");
    for (std::uint64_t at = 0; at < n; at += kPiece) {
        const auto len = static_cast<int>(std::min(kPiece, n - at));
        check(MPI_Send(bytes.data() + at, len, MPI_BYTE, to, 1, MPI_COMM_WORLD), "send");
    }
}

std::vector<char> receiveBytes(int from) {
    std::uint64_t n = 0;
    check(MPI_Recv(&n, 1, MPI_UINT64_T, from, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "receive");
    std::vector<char> bytes(static_cast<std::size_t>(n));
    for (std::uint64_t at = 0; at < n; at += kPiece) {
        const auto len = static_cast<int>(std::min(kPiece, n - at));
        check(MPI_Recv(bytes.data() + at, len, MPI_BYTE, from, 1, MPI_COMM_WORLD,
                       MPI_STATUS_IGNORE),
              "receive");
    }
    return bytes;
}

class MpiWorld final : public ProcessGroup {
public:
    MpiWorld(int* argc, char*** argv) {
        // Only the main thread calls MPI; the simulation's worker threads never do.
        int provided = 0;
        preferSharedMemoryOnOneNode();
        check(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided), "init");
        int r = 0;
        int s = 0;
        MPI_Comm_rank(MPI_COMM_WORLD, &r);
        MPI_Comm_size(MPI_COMM_WORLD, &s);
        rank_ = static_cast<unsigned>(r);
        size_ = static_cast<unsigned>(s);
    }
    ~MpiWorld() override { MPI_Finalize(); }
    MpiWorld(const MpiWorld&) = delete;
    MpiWorld& operator=(const MpiWorld&) = delete;

    unsigned rank() const override { return rank_; }
    unsigned size() const override { return size_; }

    std::vector<std::vector<char>> gather(const std::vector<char>& mine) override {
        if (!root()) {
            sendBytes(mine, 0);
            return {};
        }
        std::vector<std::vector<char>> all{mine};
        for (unsigned r = 1; r < size_; ++r) all.push_back(receiveBytes(static_cast<int>(r)));
        return all;
    }

    void send(const std::vector<char>& bytes, unsigned to) override {
        sendBytes(bytes, static_cast<int>(to));
    }

    std::vector<char> receive(unsigned from) override {
        return receiveBytes(static_cast<int>(from));
    }

    void awaitMessage(unsigned from) override {
        // Open MPI's blocking calls poll without sleeping; a rank waiting for another's whole
        // cell would take a core from the ranks computing (on a shared or oversubscribed node).
        for (;;) {
            int arrived = 0;
            check(MPI_Iprobe(static_cast<int>(from), 0, MPI_COMM_WORLD, &arrived,
                             MPI_STATUS_IGNORE),
                  "probe");
            if (arrived != 0) return;
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
    }

    std::string broadcast(const std::string& fromRoot) override {
        std::uint64_t n = root() ? fromRoot.size() : 0;
        check(MPI_Bcast(&n, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD), "broadcast");
        std::string text = root() ? fromRoot : std::string(static_cast<std::size_t>(n), '\0');
        if (n >= static_cast<std::uint64_t>(std::numeric_limits<int>::max()))
            throw Error("MPI: broadcast of " + std::to_string(n) + " bytes");
        if (n > 0)
            check(MPI_Bcast(text.data(), static_cast<int>(n), MPI_CHAR, 0, MPI_COMM_WORLD),
                  "broadcast");
        return text;
    }

    [[noreturn]] void abortAll(int code) override {
        MPI_Abort(MPI_COMM_WORLD, code);
        std::_Exit(code);  // MPI_Abort does not return; this satisfies [[noreturn]]
    }

private:
    unsigned rank_ = 0;
    unsigned size_ = 1;
};

}  // namespace

}  // namespace rotor

// The module's one entry point: a new MPI world (MPI initialised), owned by the caller.
// NOLINTNEXTLINE(readability-identifier-naming): a C symbol, looked up by this name
extern "C" rotor::ProcessGroup* rotor_mpi_join(int* argc, char*** argv) {
    return new rotor::MpiWorld(argc, argv);
}
