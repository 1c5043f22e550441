// SPDX-License-Identifier: MIT
// Composes scenario files before parsing: `extends` (deep merge over a parent file), `sweep`
// (a cartesian grid over scalars) and packs (an ordered list of scenarios) become cells.
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/core/error.hpp"
#include "engine/core/input_file.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace rotor {

// Which file wrote each node of a tree merged from several files. The merged tree keeps its
// marks (line, column) on the nodes and the files here, keyed by the ConfigNode key path
// ("strategies[2].lookback"); a node without its own entry was written by the file of its
// nearest recorded ancestor. As the cell root's NodeFileSource it gives every ConfigNode of the
// cell its own file.
class NodeOrigins final : public NodeFileSource {
public:
    using File = std::shared_ptr<const std::string>;
    using Path = std::vector<std::string>;  // map keys and "[i]" items, root = {}

    explicit NodeOrigins(File rootFile);

    // NodeFileSource: the node's own entry, or nullptr (its parent's file, which ConfigNode
    // already holds: the nearest-ancestor rule applied one level at a time).
    File fileAt(const std::string& keyPath) const override;

    const File& fileOf(const Path& path) const;
    const std::string& fileOf(const std::string& keyPath) const;

    // `path` and everything below it now come from `file`.
    void assign(const Path& path, const File& file);
    // `path` itself comes from `file`; entries below it keep theirs.
    void assignNode(const Path& path, const File& file);
    // Records the file `path` has now, so that a later assignNode of an ancestor keeps it.
    void pin(const Path& path);
    // Forgets `path` and everything below it (a deleted key).
    void erase(const Path& path);

    // "a.b[2].c" <-> {"a", "b", "[2]", "c"}. Map keys holding '.' or '[' cannot be told apart.
    static Path parseKeyPath(const std::string& keyPath);
    static std::string keyPath(const Path& path);

private:
    std::map<Path, File> files_;
};

// One sweep dimension's value in a cell: what `sweep:` set and the label the cell name uses.
struct SweepValue {
    std::string key;    // as written under sweep:, e.g. "strategies[name=momentum].lookback"
    std::string label;  // as in the cell name, e.g. "lookback"
    std::string value;  // the scalar as written, e.g. "63"
};

// One runnable scenario produced by expandScenarioFile.
struct ScenarioCell {
    std::string name;  // unique in the expansion; also written into root's `name`
    // What parseScenario receives. root.file() is the scenario file; every node below knows
    // the file that wrote it (origins is the root's NodeFileSource).
    ConfigNode root;
    std::string sourceYaml;  // the resolved tree as YAML, for provenance
    std::shared_ptr<const NodeOrigins> origins;
    // The sweep values that made this cell, in sweep-key order; empty outside a sweep.
    std::vector<SweepValue> sweep;
    // The name before the sweep's suffixes: shared by every cell of one sweep (a walk-forward
    // groups its cells by it).
    std::string baseName;

    // The file that wrote the node at `keyPath` of root (may be a parent or a pack file).
    const std::string& fileOf(const std::string& keyPath) const;
    // A path scalar resolved against the folder of the file that wrote it; the same as
    // rotor::resolvePath(node) for a node of root.
    std::string resolvePath(const ConfigNode& node) const;
};

// Expands a scenario file or a scenario pack into its cells, in order:
//  - `extends: parent.yaml` (relative to the file; chains allowed, cycles refused): the file's
//    keys deep-merge over the parent's; maps merge key by key, sequences and scalars replace,
//    `key: null` (or `~`) deletes the inherited key;
//  - `sweep: {key.path[0].x: [v1, v2], list[name=n].y: [...]}`: one cell per combination,
//    first key varying slowest, named `<name>__<label>=<value>__...`;
//  - `pack: [a.yaml, ...]` or `scenarios: [{file, name, overrides}, ...]`: each entry expanded
//    in turn (overrides deep-merge over the entry, as a child would).
// Problems are ConfigErrors at the file:line:column that wrote the offending text.
// See docs/composition.md.
// Bounded: an extends chain holds at most kMaxExtendsFiles files, and a file expands to at most
// kMaxScenarioCells cells (a sweep's cell count is computed with overflow checks); beyond either,
// a ConfigError at the `extends` or `sweep` key.
std::vector<ScenarioCell> expandScenarioFile(const std::string& file);

inline constexpr std::size_t kMaxExtendsFiles = 32;
inline constexpr std::uint64_t kMaxScenarioCells = 10000;

// A file read while expanding: the bytes parsed (provenance stores these, not a later read)
// and the identity (an output must never replace one of them).
struct ScenarioSource {
    std::string path;
    FileId id;
    std::string text;
};

struct ExpandedScenario {
    std::vector<ScenarioCell> cells;
    // Every file read, in first-read order: the scenario file itself, then parents and pack
    // entries as they were met.
    std::vector<ScenarioSource> sources;
};

// As expandScenarioFile, keeping the files read.
ExpandedScenario expandScenario(const std::string& file);
// As expandScenario, for YAML text that stands in for the file `file`: errors name `file`, and
// relative paths (data files, `extends`, pack entries) resolve against its folder. `file` need
// not exist; its source entry has no file identity (FileId{}).
ExpandedScenario expandScenarioText(const std::string& text, const std::string& file);

}  // namespace rotor
