// SPDX-License-Identifier: MIT
#include "engine/io/hdf5_sink.hpp"

#include "engine/core/error.hpp"
#include "engine/core/serial_worker.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/io/hdf5_writer.hpp"

#include <optional>

namespace rotor {

// One results file being written (to a temporary file, or in memory without `output`). The
// worker, declared last, stops before the writer and the temporary file go.
struct Hdf5Sink::File {
    File(const std::string& path, bool force) : output(std::in_place, path, force) {
        io.post([this, temp = output->tempPath()] { writer.emplace(temp); });
    }
    explicit File(const std::string& name) {
        io.post([this, name] { writer.emplace(ResultsWriter::InMemory{name}); });
    }
    std::optional<AtomicOutput> output;
    std::optional<ResultsWriter> writer;
    SerialWorker io;
};

Hdf5Sink::Hdf5Sink(bool force, Target target) : force_(force), target_(target) {}
Hdf5Sink::~Hdf5Sink() = default;

void Hdf5Sink::beginFile(const std::string&, const std::string& output) {
    file_ = target_ == Target::Files ? std::make_unique<File>(output, force_)
                                     : std::make_unique<File>(output);
}

void Hdf5Sink::cellStarting(const std::string&, bool monteCarlo) {
    ROTOR_REQUIRE(file_, "Hdf5Sink: no file begun");
    if (monteCarlo) file_->io.wait();
}

void Hdf5Sink::scenarioStarted(const ScenarioRun& s) {
    File& f = *file_;
    f.io.post([&f, &s] { f.writer->beginScenario(s); });
}

void Hdf5Sink::strategyDone(const ScenarioRun& s, std::size_t k) {
    File& f = *file_;
    f.io.post([&f, &s, k] {
        f.writer->addStrategy(s, k);
        if (f.output) f.output->flushAhead();  // the disk writes while the rest computes
    });
}

void Hdf5Sink::monteCarloDone(const McScenarioRun& s) {
    File& f = *file_;
    f.io.post([&f, &s] { f.writer->addMonteCarlo(s); });
}

void Hdf5Sink::walkForwardDone(const WalkForwardRun& w) {
    File& f = *file_;
    f.io.post([&f, &w] { f.writer->addWalkForward(w); });
}

McPathSink* Hdf5Sink::pathSink() { return file_ ? this : nullptr; }

// Each call waits for the writer: HDF5 calls stay on its thread, the block need not be copied,
// and a failed write stops the run at this block.
void Hdf5Sink::beginPaths(const McScenarioRun& shape) {
    File& f = *file_;
    f.io.post([&f, &shape] { f.writer->beginMonteCarloPaths(shape); });
    f.io.wait();
}

void Hdf5Sink::writePaths(std::uint64_t first, const McScenarioRun& block) {
    File& f = *file_;
    f.io.post([&f, first, &block] { f.writer->writeMonteCarloPaths(first, block); });
    f.io.wait();
}

// `block` runs on the writer's thread while this one waits.
void Hdf5Sink::readPaths(std::size_t strategy, Column column, const Block& block) {
    File& f = *file_;
    f.io.post(
        [&f, &block, strategy, column] { f.writer->readMonteCarloPaths(strategy, column, block); });
    f.io.wait();
}

void Hdf5Sink::endFile(const Provenance& provenance) {
    File& f = *file_;
    f.io.post([&f, &provenance] { f.writer->finish(provenance); });
    f.io.wait();
    if (f.output)
        f.output->commit();
    else
        images_.push_back(f.writer->takeImage());
    file_.reset();
}

void Hdf5Sink::abortFile() {
    file_.reset();  // the worker drops what is queued and joins; the temporary is removed
}

}  // namespace rotor
