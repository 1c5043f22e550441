// SPDX-License-Identifier: MIT
// A simulated path range (McPart) as bytes, to ship it between processes of one run: the
// per-path arrays, the band histograms and the failures. The shared fields (names, dates, the
// model, ...) are the same in every process and are not sent; the receiver takes them from its
// own part. Bytes are in the machine's order: every process of a run is one build of rotor on
// one architecture (docs/cluster.md).
#pragma once

#include "engine/montecarlo/simulator.hpp"

#include <vector>

namespace rotor {

// A part in pieces, so that a receiver never holds more than one piece of the paths
// (MPI ranks' shares, shard files): its totals (range, histograms, failures), then its per-path
// values a range of paths at a time (encodePaths: `paths` within part.range).
std::vector<char> encodeTotals(const McPart& part);
std::vector<char> encodePaths(const McPart& part, PathRange paths);

// The totals `bytes` encode, with the shared fields of `like` (a part of the same simulation)
// and no per-path values. Throws rotor::InputError ("path range bytes: ...") when the bytes do
// not fit that simulation's shape or hold values no simulation of it gives (a failure outside
// the range, histograms that do not count the range's paths), so that what decodes also
// combines and is written as results.
McPart decodeTotals(const std::vector<char>& bytes, const McPart& like);

// Per-path values of some paths of the part whose totals `share` holds (decodeTotals): a part
// whose range is those paths, whose per-path arrays hold them and whose histograms and failures
// are empty. Throws rotor::InputError when they lie outside share.range or do not fit (a regime
// the simulation does not name, a non-finite terminal wealth of a strategy that did not fail).
McPart decodePaths(const std::vector<char>& bytes, const McPart& share);

}  // namespace rotor
