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

std::vector<char> encodePart(const McPart& part);

// The part `bytes` encodes, with the shared fields of `like` (a part of the same simulation).
// Throws rotor::InputError ("path range bytes: ...") when the bytes do not fit that simulation's
// shape or hold values no simulation of it gives (a regime it does not name, a failure outside
// the range, histograms that do not count the range's paths, a non-finite terminal wealth), so
// that what decodes also combines and is written as results.
McPart decodePart(const std::vector<char>& bytes, const McPart& like);

}  // namespace rotor
