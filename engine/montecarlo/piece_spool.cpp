// SPDX-License-Identifier: MIT
#include "engine/montecarlo/piece_spool.hpp"

#include "engine/core/error.hpp"
#include "engine/montecarlo/part_codec.hpp"
#include "engine/montecarlo/streamed_combine.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace rotor {

namespace {

[[noreturn]] void failed(const char* what) {
    throw IoError(std::string("spooling per-path values to a temporary file: ") + what + ": " +
                  std::strerror(errno));
}

}  // namespace

PieceSpool::PieceSpool(std::uint64_t piecePaths) : piecePaths_(piecePaths) {
    ROTOR_REQUIRE(piecePaths >= 1, "pieces of " << piecePaths << " paths");
    // In $TMPDIR (else /tmp), unlinked at once: the space is freed however the process ends.
    const char* tmp = std::getenv("TMPDIR");
    const std::string dir = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
    std::string name = dir + "/rotor-spool-XXXXXX";
    const int fd = ::mkstemp(name.data());
    if (fd < 0) failed(("cannot create it in " + dir).c_str());
    ::unlink(name.c_str());
    file_ = ::fdopen(fd, "w+b");
    if (file_ == nullptr) {
        ::close(fd);
        failed("cannot open it");
    }
}

PieceSpool::~PieceSpool() {
    if (file_ != nullptr) std::fclose(file_);
}

void PieceSpool::beginPaths(const McScenarioRun& shape) { checkpointDay_ = shape.checkpointDay; }

void PieceSpool::writePaths(std::uint64_t first, const McScenarioRun& block) {
    ROTOR_REQUIRE(!reading_, "paths written to a spool being read");
    McPart piece;
    piece.range = {first, first + block.regimeOfPath.size()};
    piece.run = block;
    piece.run.checkpointDay = checkpointDay_;  // which columns the block holds
    if (!pending_) {
        pending_ = std::move(piece);
    } else {
        pending_->range.end = piece.range.end;
        appendPaths(*pending_, piece);
    }
    if (pending_->range.size() >= piecePaths_) flush();
}

void PieceSpool::readPaths(std::size_t, Column, const Block&) {
    throw Error("a spooled share's columns are read where it is combined, not from the spool");
}

void PieceSpool::flush() {
    if (!pending_) return;
    const std::vector<char> bytes = encodePaths(*pending_, pending_->range);
    pending_.reset();
    const std::uint64_t n = bytes.size();
    if (std::fwrite(&n, sizeof n, 1, file_) != 1 ||
        (n > 0 && std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()))
        failed("cannot write");
    ++count_;
}

std::uint64_t PieceSpool::pieces() {
    if (!reading_) {
        flush();
        if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0) failed("cannot rewind");
        reading_ = true;
    }
    return count_;
}

std::vector<char> PieceSpool::nextPiece() {
    (void)pieces();
    std::uint64_t n = 0;
    if (std::fread(&n, sizeof n, 1, file_) != 1) failed("cannot read a piece back");
    std::vector<char> bytes(static_cast<std::size_t>(n));
    if (n > 0 && std::fread(bytes.data(), 1, bytes.size(), file_) != bytes.size())
        failed("cannot read a piece back");
    return bytes;
}

}  // namespace rotor
