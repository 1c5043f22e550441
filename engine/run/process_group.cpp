// SPDX-License-Identifier: MIT
#include "engine/run/process_group.hpp"

#include "engine/core/error.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace rotor {

void SingleProcess::abortAll(int code) { std::_Exit(code); }

// One process has no other to exchange with: a caller's mistake.
void SingleProcess::send(const std::vector<char>&, unsigned to) {
    throw Error("one process cannot send to rank " + std::to_string(to));
}

std::vector<char> SingleProcess::receive(unsigned from) {
    throw Error("one process cannot receive from rank " + std::to_string(from));
}

namespace {

// Set by Open MPI's mpirun, by PMI launchers (MPICH's, Slurm's srun) and by PMIx.
bool startedByMpiLauncher() {
    for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
        if (std::getenv(v) != nullptr) return true;
    return false;
}

// Where librotor_mpi.so lies: beside the executable (build tree) or in ../lib/rotor (installed).
std::vector<std::string> moduleCandidates() {
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return {"librotor_mpi.so"};
    const std::filesystem::path dir = exe.parent_path();
    return {(dir / "librotor_mpi.so").string(),
            (dir.parent_path() / "lib" / "rotor" / "librotor_mpi.so").string()};
}

}  // namespace

std::unique_ptr<ProcessGroup> joinProcessGroup(int* argc, char*** argv) {
    if (!startedByMpiLauncher()) return std::make_unique<SingleProcess>();
    std::string tried;
    for (const std::string& path : moduleCandidates()) {
        // RTLD_GLOBAL: Open MPI loads its own plugins, which need libmpi's symbols.
        void* module = ::dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
        if (module == nullptr) {
            const char* why = ::dlerror();
            tried += "\n  " + path + ": " + (why != nullptr ? why : "not loaded");
            continue;
        }
        using Join = ProcessGroup* (*)(int*, char***);
        auto join = reinterpret_cast<Join>(::dlsym(module, "rotor_mpi_join"));
        if (join == nullptr) throw Error(path + " has no rotor_mpi_join");
        return std::unique_ptr<ProcessGroup>(join(argc, argv));
    }
    throw Error(
        "started by an MPI launcher, but this rotor has no MPI module (built without "
        "MPI, or librotor_mpi.so missing):" +
        tried);
}

}  // namespace rotor
