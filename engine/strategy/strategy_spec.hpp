// SPDX-License-Identifier: MIT
// A strategy as a scenario declares it: built once from its YAML entry (which validates every
// parameter, located), then cloned for each path or worker thread that runs it.
#pragma once

#include "engine/strategy/strategy.hpp"

#include <memory>
#include <string>

namespace rotor {

struct StrategySpec {
    std::string name;                           // YAML `name`, unique in the scenario
    std::string type;                           // YAML `type`, a registry key
    std::shared_ptr<const Strategy> prototype;  // never run itself: clone() it
    std::string yaml;  // the entry as written, for the resolved scenario (provenance)
};

}  // namespace rotor
