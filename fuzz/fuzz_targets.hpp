// SPDX-License-Identifier: MIT
// The bodies of rotor's fuzz targets, shared by the libFuzzer programs (fuzz/*_fuzzer.cpp) and
// the regression test that replays every input they once crashed on (fuzz/regressions/).
// Each takes any bytes; bad input must end in rotor::InputError (caught here). Anything else
// escaping (another exception, a crash, a sanitizer report) is a bug the fuzzer reports.
#pragma once

#include <cstddef>
#include <cstdint>

namespace rotor::fuzz {

// The scenario reader with composition: the bytes are a scenario file; after a line
// "#%parent" the rest becomes parent.yaml beside it, so `extends: parent.yaml`, packs listing
// it and sweeps over inherited keys are all reachable. Every cell is parsed and validated
// (strategies built against the universe) and written back as resolved YAML.
int scenario(const std::uint8_t* data, std::size_t size);

// The CSV reader on the bytes of one data file: the price table, single series and named
// columns, whole and from a window start taken from the first byte.
int csv(const std::uint8_t* data, std::size_t size);

// The results reader used by compare/report/export on the bytes of one file; what it reads is
// then compared and rendered as the HTML report, in memory.
int results(const std::uint8_t* data, std::size_t size);

// The stored path ranges `rotor merge` reads, decoded against the forward cell of
// tests/fixtures/invalid_input_test/common/fwd.yaml and combined, then written as results in
// memory. Bytes that begin with HDF5's signature are a shard file (readShardFile and its pieces,
// readShardPiece; its cells of that name); other bytes are shares as a shard stores them, several
// separated by kShareSeparator, each its head (fingerprint and totals) and then its pieces of
// per-path values, separated by kPieceSeparator.
inline constexpr const char* kShareSeparator = "#%rotor-share%#";
inline constexpr const char* kPieceSeparator = "#%rotor-piece%#";
int part(const std::uint8_t* data, std::size_t size);

}  // namespace rotor::fuzz
