// SPDX-License-Identifier: MIT
// The processes one `rotor run` is spread over: the MPI ranks when started by mpirun (or srun),
// otherwise this process alone. Small cells go whole to one rank, big forward cells split their
// paths across the ranks (engine/run/cell_schedule.hpp, forward.cpp); rank 0 writes the results
// file. docs/cluster.md.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace rotor {

class ProcessGroup {
public:
    virtual ~ProcessGroup() = default;
    virtual unsigned rank() const = 0;
    virtual unsigned size() const = 0;
    bool root() const { return rank() == 0; }

    // Collective. On rank 0: every rank's bytes, in rank order (its own first); elsewhere: empty.
    virtual std::vector<std::vector<char>> gather(const std::vector<char>& mine) = 0;
    // Point to point: `bytes` to rank `to`, and the next message rank `from` sent this rank
    // (messages between two ranks arrive in the order sent). A run's shares of paths travel
    // this way in pieces, so that rank 0 holds one piece at a time (engine/run/forward.cpp).
    virtual void send(const std::vector<char>& bytes, unsigned to) = 0;
    virtual std::vector<char> receive(unsigned from) = 0;
    // Waits, sleeping, until a message from rank `from` has arrived: for waits that may be long
    // (a whole cell being computed), where receive() would keep a core busy polling.
    virtual void awaitMessage(unsigned from) = 0;
    // Collective: rank 0's message, on every rank ("" for none).
    virtual std::string broadcast(const std::string& fromRoot) = 0;
    // Ends every process of the group at once with `code` (mpirun exits with it). Used when
    // one rank fails where the others cannot know, so that none waits forever.
    [[noreturn]] virtual void abortAll(int code) = 0;

    // Set when the ranks agreed on a failure (each knows it and ends with the same code), so
    // that ending need not abort the others.
    bool failureAgreed = false;
};

// This process alone.
class SingleProcess final : public ProcessGroup {
public:
    unsigned rank() const override { return 0; }
    unsigned size() const override { return 1; }
    std::vector<std::vector<char>> gather(const std::vector<char>& mine) override { return {mine}; }
    void send(const std::vector<char>& bytes, unsigned to) override;
    std::vector<char> receive(unsigned from) override;
    void awaitMessage(unsigned from) override { receive(from); }
    std::string broadcast(const std::string& fromRoot) override { return fromRoot; }
    [[noreturn]] void abortAll(int code) override;
};

// The MPI world when an MPI launcher started this process (MPI is initialised here, from the
// module librotor_mpi.so, and finalised when the group is destroyed); otherwise SingleProcess.
// Throws rotor::Error under a launcher when the module cannot be loaded.
std::unique_ptr<ProcessGroup> joinProcessGroup(int* argc, char*** argv);

}  // namespace rotor
