// SPDX-License-Identifier: MIT
// Scenario composition: extends chains, sweeps and packs, resolved at the YAML level so that
// parseScenario sees one ordinary tree per cell and every error still names its own file.
#include "engine/config/compose.hpp"

#include "engine/config/yaml_node.hpp"
#include "engine/core/input_file.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_set>
#include <utility>

namespace rotor {

// ---- NodeOrigins -----------------------------------------------------------------------------

NodeOrigins::NodeOrigins(File rootFile) { files_[Path{}] = std::move(rootFile); }

NodeOrigins::File NodeOrigins::fileAt(const std::string& keyPath) const {
    const auto it = files_.find(parseKeyPath(keyPath));
    return it == files_.end() ? nullptr : it->second;
}

const NodeOrigins::File& NodeOrigins::fileOf(const Path& path) const {
    for (std::size_t len = path.size();; --len) {
        const auto it = files_.find(
            Path(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(len)));
        if (it != files_.end()) return it->second;
        if (len == 0) break;
    }
    return files_.begin()->second;  // unreachable: the root is always recorded
}

const std::string& NodeOrigins::fileOf(const std::string& keyPath) const {
    return *fileOf(parseKeyPath(keyPath));
}

void NodeOrigins::erase(const Path& path) {
    File root = files_[Path{}];  // the root always keeps a file, so fileOf always finds one
    // Extensions of `path` sort directly after it.
    auto it = files_.lower_bound(path);
    while (it != files_.end() && it->first.size() >= path.size() &&
           std::equal(path.begin(), path.end(), it->first.begin()))
        it = files_.erase(it);
    if (path.empty()) files_[Path{}] = std::move(root);
}

void NodeOrigins::assign(const Path& path, const File& file) {
    erase(path);
    files_[path] = file;
}

void NodeOrigins::assignNode(const Path& path, const File& file) { files_[path] = file; }

void NodeOrigins::pin(const Path& path) {
    File f = fileOf(path);
    files_[path] = std::move(f);
}

NodeOrigins::Path NodeOrigins::parseKeyPath(const std::string& keyPath) {
    Path out;
    std::string cur;
    for (std::size_t i = 0; i < keyPath.size(); ++i) {
        const char c = keyPath[i];
        if (c == '.') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else if (c == '[') {
            if (!cur.empty()) out.push_back(cur);
            const std::size_t close = keyPath.find(']', i);
            const std::size_t end = close == std::string::npos ? keyPath.size() - 1 : close;
            out.push_back(keyPath.substr(i, end - i + 1));
            cur.clear();
            i = end;
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

std::string NodeOrigins::keyPath(const Path& path) {
    std::string out;
    for (const auto& part : path) {
        if (!part.empty() && part.front() == '[')
            out += part;
        else
            out += (out.empty() ? "" : ".") + part;
    }
    return out;
}

// ---- ScenarioCell ----------------------------------------------------------------------------

const std::string& ScenarioCell::fileOf(const std::string& keyPath) const {
    return origins->fileOf(keyPath);
}

std::string ScenarioCell::resolvePath(const ConfigNode& node) const {
    const std::filesystem::path p(node.asString());
    if (p.is_absolute()) return p.string();
    const auto base = std::filesystem::path(fileOf(node.keyPath())).parent_path();
    return (base / p).lexically_normal().string();
}

// ---- composition -----------------------------------------------------------------------------

namespace {

using File = NodeOrigins::File;
using Path = NodeOrigins::Path;

// Bounds that keep a hostile file's expansion cheap: each cell is a fresh parse of every file
// of its chain, so cells x depth parses in all.
constexpr std::size_t kMaxExtendsDepth = kMaxExtendsFiles;
constexpr std::uint64_t kMaxCells = kMaxScenarioCells;
constexpr std::uint64_t kMaxParsedBytes = std::uint64_t{256} << 20;
constexpr std::size_t kMaxSweepKeys = 64;

// Reads each file once; every load is a fresh parse. Merging and substitution rewire nodes in
// place, and yaml-cpp's Clone drops the marks, so each cell is built from its own parse.
class Sources {
public:
    struct Doc {
        YAML::Node root;
        File file;
    };

    // `text` stands in for the file `path` (which need not exist).
    void preload(const std::string& path, std::string text) {
        read_.push_back({path, FileId{}, text});
        texts_[path] = Text{std::make_shared<const std::string>(path), std::move(text)};
    }

    Doc load(const std::string& path) {
        auto it = texts_.find(path);
        if (it == texts_.end()) {
            FileBytes read = readYamlFile(path);
            read_.push_back({path, read.id, read.bytes});
            it = texts_
                     .emplace(path, Text{std::make_shared<const std::string>(path),
                                         std::move(read.bytes)})
                     .first;
        }
        // Every cell parses its files afresh: bound the total, so that neither a huge pack nor
        // a long chain times many cells can keep the expansion busy for long.
        parsed_ += it->second.text.size();
        if (parsed_ > kMaxParsedBytes)
            throw ConfigError(path, 0, 0, "",
                              "expanding the scenario parses more than " +
                                  formatBytes(kMaxParsedBytes) +
                                  " of YAML (cells x files of each cell); split it up");
        return {parseYaml(it->second.text, path), it->second.file};
    }

    // Every file read, in first-read order.
    std::vector<ScenarioSource> read() const { return read_; }

private:
    struct Text {
        File file;
        std::string text;
    };
    std::map<std::string, Text> texts_;
    std::vector<ScenarioSource> read_;
    std::uint64_t parsed_ = 0;
};

struct Tree {
    YAML::Node root;
    NodeOrigins origins;
};

struct Entry {
    YAML::Node key;
    YAML::Node value;
};

std::vector<Entry> entries(const YAML::Node& map) {
    std::vector<Entry> out;
    for (const auto& kv : map) out.push_back({kv.first, kv.second});
    return out;
}

const Entry* findEntry(const std::vector<Entry>& list, const std::string& key) {
    for (const auto& e : list)
        if (e.key.Scalar() == key) return &e;
    return nullptr;
}

bool hasKey(const YAML::Node& map, const std::string& key) {
    if (!map.IsMap()) return false;
    const YAML::Node& m = map;
    return static_cast<bool>(m[key]);
}

bool isPack(const YAML::Node& root) { return hasKey(root, "pack") || hasKey(root, "scenarios"); }

// An error at a key's own mark (sweep keys, pack keys), in the file that wrote it.
[[noreturn]] void failAtKey(const YAML::Node& key, const std::string& file,
                            const std::string& keyPath, const std::string& msg) {
    throw ConfigError(file, key.Mark().line + 1, key.Mark().column + 1, keyPath, msg);
}

// Deep-merges `child` (every node of it written by `file`) over `base` at `path` and returns
// the merged node. Maps merge key by key, base keys first in their order; anything else
// replaces. A null child value deletes the key. `keepChildMaps` decides whose map node (and so
// whose mark and key nodes) a merged map keeps: the child's for extends (the file being run is
// the child), the base's for pack overrides (the scenario file stays the scenario's root).
YAML::Node mergeNode(const YAML::Node& base, const YAML::Node& child, const File& file, Path& path,
                     NodeOrigins& origins, bool keepChildMaps) {
    if (!(base.IsMap() && child.IsMap())) {
        origins.assign(path, file);
        return child;
    }
    const std::vector<Entry> baseEntries = entries(base);
    const std::vector<Entry> childEntries = entries(child);
    YAML::Node out = keepChildMaps ? child : base;
    for (const auto& e : keepChildMaps ? childEntries : baseEntries) out.remove(e.key);

    for (const auto& b : baseEntries) {
        path.push_back(b.key.Scalar());
        const Entry* c = findEntry(childEntries, b.key.Scalar());
        if (c == nullptr) {
            origins.pin(path);
            out.force_insert(b.key, b.value);
        } else if (c->value.IsNull()) {
            origins.erase(path);
        } else {
            const bool bothMaps = b.value.IsMap() && c->value.IsMap();
            const YAML::Node merged = mergeNode(b.value, c->value, file, path, origins,
                                                keepChildMaps);
            out.force_insert(bothMaps && !keepChildMaps ? b.key : c->key, merged);
        }
        path.pop_back();
    }
    for (const auto& c : childEntries) {
        if (findEntry(baseEntries, c.key.Scalar()) != nullptr || c.value.IsNull()) continue;
        path.push_back(c.key.Scalar());
        origins.assign(path, file);
        out.force_insert(c.key, c.value);
        path.pop_back();
    }
    if (keepChildMaps) origins.assignNode(path, file);
    return out;
}

// The files a chain of `extends` passes through, outermost first: their identities make the
// cycle check one lookup per level, and the chain is bounded.
struct ExtendsChain {
    std::vector<std::string> names;
    std::set<FileId> ids;
};

// The file with its extends chain resolved. `chain` holds the files extending it, outermost
// first, to name a cycle.
Tree resolveTree(const std::string& file, Sources& sources, ExtendsChain& chain) {
    Sources::Doc doc = sources.load(file);
    Tree tree{doc.root, NodeOrigins(doc.file)};
    if (!hasKey(doc.root, "extends")) return tree;

    const ConfigNode ext = ConfigNodeAccess::make(doc.root, doc.file, "").at("extends");
    if (isPack(doc.root)) ext.fail("a pack cannot use 'extends'");
    const std::string parent = resolvePath(ext);
    if (chain.names.size() + 1 >= kMaxExtendsDepth)
        ext.fail("extends chain deeper than " + std::to_string(kMaxExtendsDepth) + " files");
    const auto selfId = fileIdOf(file);
    std::optional<FileId> parentId;
    try {
        parentId = requireRegularFile(parent);
    } catch (const FileReadError& e) {
        ext.fail("cannot open '" + parent + "': " + e.reason());
    }
    chain.names.push_back(file);
    if (selfId) chain.ids.insert(*selfId);
    if (chain.ids.contains(*parentId)) {
        std::string names;
        for (const auto& g : chain.names) names += g + " -> ";
        ext.fail("extends cycle: " + names + parent);
    }
    Tree base = resolveTree(parent, sources, chain);
    chain.names.pop_back();
    if (selfId) chain.ids.erase(*selfId);
    if (!base.root.IsMap()) ext.fail("'" + parent + "' is not a map of scenario keys");
    if (isPack(base.root)) ext.fail("'" + parent + "' is a pack; extend a scenario file");

    doc.root.remove("extends");
    Path path;
    base.root.reset(mergeNode(base.root, doc.root, doc.file, path, base.origins, true));
    return base;
}

// ---- sweeps ----------------------------------------------------------------------------------

struct Step {
    enum class Kind { Key, Index, Select };
    Kind kind = Kind::Key;
    std::string key;  // Key: the map key; Select: the field
    std::size_t index = 0;
    std::string value;  // Select: the wanted field value
};

struct SweepDim {
    std::string key;                      // as written under sweep:
    Path target;                          // the concrete path it addresses
    std::vector<std::string> labelParts;  // keys, indices and selected values along the way
    std::vector<std::string> values;      // scalar texts
    std::string label;
};

std::string describe(const YAML::Node& n) {
    if (n.IsMap()) return "a map";
    if (n.IsSequence()) return "a sequence";
    if (n.IsNull()) return "nothing";
    return "'" + n.Scalar() + "'";
}

std::string keysOf(const YAML::Node& map) {
    std::string out;
    for (const auto& kv : map) out += (out.empty() ? "" : ", ") + kv.first.Scalar();
    return out;
}

// `a.b[0].c`, `list[name=x].y`: map keys joined by '.', each followed by any number of
// `[index]` or `[field=value]` selectors.
std::vector<Step> parseSweepKey(const std::string& text,
                                const std::function<void(std::string)>& fail) {
    std::vector<Step> steps;
    std::size_t i = 0;
    while (true) {
        std::string key;
        while (i < text.size() && text[i] != '.' && text[i] != '[') key += text[i++];
        if (key.empty())
            fail("malformed sweep key '" + text + "': empty key before position " +
                 std::to_string(i + 1));
        steps.push_back({Step::Kind::Key, key, 0, ""});
        while (i < text.size() && text[i] == '[') {
            const std::size_t close = text.find(']', i);
            if (close == std::string::npos) fail("malformed sweep key '" + text + "': missing ']'");
            const std::string inner = text.substr(i + 1, close - i - 1);
            const std::size_t eq = inner.find('=');
            const bool digits = !inner.empty() && inner.size() < 10 &&
                                std::all_of(inner.begin(), inner.end(),
                                            [](char c) { return c >= '0' && c <= '9'; });
            if (digits) {
                steps.push_back({Step::Kind::Index, "", std::stoul(inner), ""});
            } else if (eq != std::string::npos && eq > 0 && eq + 1 < inner.size()) {
                steps.push_back({Step::Kind::Select, inner.substr(0, eq), 0, inner.substr(eq + 1)});
            } else {
                fail("malformed sweep key '" + text +
                     "': expected [index] or [field=value], found [" + inner + "]");
            }
            i = close + 1;
        }
        if (i == text.size()) break;
        if (text[i] != '.') fail("malformed sweep key '" + text + "': expected '.' or '['");
        ++i;
    }
    return steps;
}

// Resolves a sweep key against the scenario tree into the concrete path of a scalar.
void locateSweepTarget(const YAML::Node& root, SweepDim& dim,
                       const std::function<void(std::string)>& fail) {
    const std::vector<Step> steps = parseSweepKey(dim.key, fail);
    if (steps.front().key == "sweep" || steps.front().key == "extends")
        fail("a sweep cannot address '" + steps.front().key + "'");
    YAML::Node cur = root;
    auto where = [&] {
        return dim.target.empty() ? std::string("the scenario") : NodeOrigins::keyPath(dim.target);
    };
    for (const auto& step : steps) {
        const YAML::Node& c = cur;
        if (step.kind == Step::Kind::Key) {
            if (!c.IsMap())
                fail(where() + " is " + describe(c) + ", not a map with key '" + step.key + "'");
            const YAML::Node next = c[step.key];
            if (!next)
                fail("'" + step.key + "' not found in " + where() + " (keys: " + keysOf(c) + ")");
            dim.target.push_back(step.key);
            dim.labelParts.push_back(step.key);
            cur.reset(next);
            continue;
        }
        if (!c.IsSequence()) fail(where() + " is " + describe(c) + ", not a sequence");
        std::size_t index = step.index;
        if (step.kind == Step::Kind::Index) {
            if (index >= c.size())
                fail("index " + std::to_string(index) + " is past the end of " + where() + " (" +
                     std::to_string(c.size()) + " entries)");
            dim.labelParts.push_back(std::to_string(index));
        } else {
            std::vector<std::size_t> hits;
            std::string seen;
            for (std::size_t k = 0; k < c.size(); ++k) {
                const YAML::Node item = c[k];
                if (!item.IsMap()) continue;
                const YAML::Node field = item[step.key];
                if (!field || !field.IsScalar()) continue;
                seen += (seen.empty() ? "" : ", ") + field.Scalar();
                if (field.Scalar() == step.value) hits.push_back(k);
            }
            if (hits.size() != 1)
                fail(std::string(hits.empty() ? "no" : "more than one") + " entry of " + where() +
                     " has " + step.key + "=" + step.value + " (" + step.key + " values: " + seen +
                     ")");
            index = hits.front();
            dim.labelParts.push_back(step.value);
        }
        dim.target.push_back("[" + std::to_string(index) + "]");
        cur.reset(c[index]);
    }
    const YAML::Node& c = cur;
    if (!c.IsScalar())
        fail("the sweep target " + where() + " is " + describe(c) + ", not a scalar");
}

// Shortest trailing run of label parts that no other dimension shares ("lookback", then
// "momentum.lookback" when two strategies' lookbacks are swept).
void assignLabels(std::vector<SweepDim>& dims) {
    auto suffix = [](const SweepDim& d, std::size_t len) {
        std::string s;
        const std::size_t n = d.labelParts.size();
        for (std::size_t k = n - std::min(len, n); k < n; ++k)
            s += (s.empty() ? "" : ".") + d.labelParts[k];
        return s;
    };
    for (auto& d : dims) {
        for (std::size_t len = 1; len <= d.labelParts.size(); ++len) {
            d.label = suffix(d, len);
            bool unique = true;
            for (const auto& o : dims)
                if (&o != &d && suffix(o, len) == d.label) unique = false;
            if (unique) break;
        }
    }
}

// Cell names stay usable as file and HDF5 group names.
std::string sanitize(const std::string& s) {
    std::string out = s;
    for (auto& ch : out) {
        const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                        (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-' ||
                        ch == '+';
        if (!ok) ch = '_';
    }
    return out;
}

// Validates the tree's sweep section; returns no dimension when there is none.
std::vector<SweepDim> readSweep(const Tree& tree) {
    std::vector<SweepDim> dims;
    if (!hasKey(tree.root, "sweep")) return dims;
    const YAML::Node& root = tree.root;
    const YAML::Node sweep = root["sweep"];
    const Path sweepPath{"sweep"};
    const ConfigNode sweepNode = ConfigNodeAccess::make(sweep, tree.origins.fileOf(sweepPath),
                                                        "sweep");
    if (!sweep.IsMap())
        sweepNode.fail("expected a map of key paths to value lists, found " + describe(sweep));
    // Each key is compared with the others (labels, same-target check): bound their number.
    if (sweep.size() > kMaxSweepKeys)
        sweepNode.fail("more than " + std::to_string(kMaxSweepKeys) + " sweep keys");
    for (const auto& e : entries(sweep)) {
        SweepDim dim;
        dim.key = e.key.Scalar();
        const std::string& file = *tree.origins.fileOf(Path{"sweep", dim.key});
        const std::string keyPath = "sweep." + dim.key;
        auto fail = [&](const std::string& msg) { failAtKey(e.key, file, keyPath, msg); };
        locateSweepTarget(tree.root, dim, fail);
        for (const auto& other : dims)
            if (other.target == dim.target)
                fail("addresses the same value as sweep key '" + other.key + "'");
        const ConfigNode values = ConfigNodeAccess::make(e.value,
                                                         std::make_shared<const std::string>(file),
                                                         keyPath);
        if (!e.value.IsSequence() || e.value.size() == 0)
            values.fail("expected a non-empty list of values, found " + describe(e.value));
        if (e.value.size() > kMaxCells)
            values.fail("more than " + std::to_string(kMaxCells) + " values");
        std::unordered_set<std::string> seen;
        for (const auto& item : values.items()) {
            const std::string v = item.asString();  // a scalar, or "expected a string" here
            if (!seen.insert(v).second) item.fail("duplicate sweep value '" + v + "'");
            dim.values.push_back(v);
        }
        dims.push_back(std::move(dim));
    }
    assignLabels(dims);
    return dims;
}

// Puts sweep value `index` of every dimension into a freshly built tree.
void applySweep(Tree& tree, const std::vector<SweepDim>& dims,
                const std::vector<std::size_t>& pick) {
    const YAML::Node& root = tree.root;
    const YAML::Node sweep = root["sweep"];
    for (std::size_t d = 0; d < dims.size(); ++d) {
        const File file = tree.origins.fileOf(Path{"sweep", dims[d].key});
        const YAML::Node& s = sweep;
        const YAML::Node value = s[dims[d].key][pick[d]];
        YAML::Node cur = tree.root;
        for (const auto& part : dims[d].target) {
            YAML::Node next = part.front() == '[' ? cur[std::stoul(part.substr(1, part.size() - 2))]
                                                  : cur[part];
            cur.reset(next);
        }
        cur = value;  // rebinds the tree's node to the sweep value's data, mark included
        tree.origins.assign(dims[d].target, file);
    }
    tree.root.remove("sweep");
    tree.origins.erase(Path{"sweep"});
}

// ---- cells -----------------------------------------------------------------------------------

struct Expansion {
    Sources sources;
    std::vector<ScenarioCell> cells;
    std::map<std::string, std::string> cellOrigin;  // cell name -> what produced it
};

// Expands one scenario (a file, or a pack entry) built from scratch by `build` for each cell.
// `fallbackName` names it when the tree has no scalar `name`; `where` reports name clashes.
void expandOne(Expansion& ex, const std::function<Tree()>& build, const std::string& fallbackName,
               const std::function<void(std::string)>& clash, const std::string& producer) {
    const Tree first = build();
    const std::vector<SweepDim> dims = readSweep(first);
    // Checked: 64 keys of two values each would wrap a plain product to 0 cells.
    std::uint64_t count = 1;
    for (const auto& d : dims) {
        const auto next = checkedMul(count, d.values.size());
        if (!next || *next > kMaxCells || ex.cells.size() + *next > kMaxCells)
            clash("the sweep's " + std::to_string(dims.size()) + " keys make more than " +
                  std::to_string(kMaxCells - ex.cells.size()) + " cells (at most " +
                  std::to_string(kMaxCells) + " per scenario file)");
        count = *next;
    }

    for (std::size_t cell = 0; cell < count; ++cell) {
        std::vector<std::size_t> pick(dims.size(), 0);
        std::size_t rest = cell;
        for (std::size_t d = dims.size(); d-- > 0;) {  // the last key varies fastest
            pick[d] = rest % dims[d].values.size();
            rest /= dims[d].values.size();
        }
        Tree tree = build();
        if (!dims.empty()) applySweep(tree, dims, pick);

        const YAML::Node& croot = tree.root;
        const bool named = hasKey(croot, "name") && croot["name"].IsScalar();
        std::string name = named ? croot["name"].Scalar() : fallbackName;
        const std::string baseName = name;
        for (std::size_t d = 0; d < dims.size(); ++d)
            name += "__" + dims[d].label + "=" + sanitize(dims[d].values[pick[d]]);
        if (named) {
            YAML::Node nameNode = tree.root["name"];
            nameNode = name;  // set_scalar: the node keeps its mark
        }
        const auto [it, fresh] = ex.cellOrigin.emplace(name, producer);
        if (!fresh) clash("cell name '" + name + "' repeats the one from " + it->second);

        auto origins = std::make_shared<const NodeOrigins>(tree.origins);
        // The origins travel with the root, so every node of the cell names its own file.
        ConfigNode root = ConfigNodeAccess::make(tree.root, origins->fileOf(Path{}), "", origins);
        std::vector<SweepValue> sweep;
        for (std::size_t d = 0; d < dims.size(); ++d)
            sweep.push_back({dims[d].key, dims[d].label, dims[d].values[pick[d]]});
        ex.cells.push_back(ScenarioCell{name, root, YAML::Dump(tree.root) + "\n", origins,
                                        std::move(sweep), baseName});
    }
}

std::string stem(const std::string& file) { return std::filesystem::path(file).stem().string(); }

void expandPack(Expansion& ex, const std::string& packFile) {
    const Sources::Doc doc = ex.sources.load(packFile);
    const ConfigNode pack = ConfigNodeAccess::make(doc.root, doc.file, "");
    pack.allowOnly({"name", "description", "pack", "scenarios"});
    if (pack.has("pack") && pack.has("scenarios"))
        pack.failKey("scenarios", "give either 'pack' (a list of files) or 'scenarios', not both");
    const std::string listKey = pack.has("pack") ? "pack" : "scenarios";
    const std::vector<ConfigNode> items = pack.at(listKey).items();
    if (items.empty()) pack.at(listKey).fail("expected at least one scenario");

    for (std::size_t i = 0; i < items.size(); ++i) {
        const ConfigNode& item = items[i];
        const ConfigNode fileNode = item.isMap() ? item.at("file") : item;
        if (item.isMap()) item.allowOnly({"file", "name", "overrides"});
        const std::string file = resolvePath(fileNode);
        try {
            requireRegularFile(file);
        } catch (const FileReadError& e) {
            fileNode.fail("cannot open '" + file + "': " + e.reason());
        }
        if (isPack(ex.sources.load(file).root)) fileNode.fail("'" + file + "' is itself a pack");
        if (auto n = item.isMap() ? item.find("name") : std::nullopt) (void)n->asString();
        if (auto o = item.isMap() ? item.find("overrides") : std::nullopt) {
            if (!o->isMap())
                o->fail("expected a map of keys to override, found " + describe(yamlNodeOf(*o)));
            if (o->has("extends")) o->failKey("extends", "overrides cannot use 'extends'");
        }

        // A fresh parse of the pack and of the scenario for every cell (see Sources).
        auto build = [&ex, &packFile, &listKey, &file, i]() {
            const Sources::Doc p = ex.sources.load(packFile);
            const YAML::Node& list = p.root;
            const YAML::Node entry = list[listKey][i];
            ExtendsChain chain;
            Tree tree = resolveTree(file, ex.sources, chain);
            if (!entry.IsMap()) return tree;
            const YAML::Node& e = entry;
            if (e["name"] && tree.root.IsMap()) {
                tree.root.remove("name");
                for (const auto& kv : entries(e))
                    if (kv.key.Scalar() == "name") tree.root.force_insert(kv.key, kv.value);
                tree.origins.assign(Path{"name"}, p.file);
            }
            if (e["overrides"]) {
                Path path;
                tree.root.reset(
                    mergeNode(tree.root, e["overrides"], p.file, path, tree.origins, false));
            }
            return tree;
        };
        const std::string producer = listKey + "[" + std::to_string(i) + "] of " + packFile;
        expandOne(
            ex, build, stem(file), [&item](const std::string& m) { item.fail(m); }, producer);
    }
}

ExpandedScenario expand(Expansion& ex, const std::string& file) {
    const Sources::Doc doc = ex.sources.load(file);
    if (isPack(doc.root)) {
        if (hasKey(doc.root, "extends"))
            ConfigNodeAccess::make(doc.root, doc.file, "")
                .failKey("extends", "a pack cannot use 'extends'");
        expandPack(ex, file);
    } else {
        auto build = [&ex, &file]() {
            ExtendsChain chain;
            return resolveTree(file, ex.sources, chain);
        };
        const ConfigNode root = ConfigNodeAccess::make(doc.root, doc.file, "");
        expandOne(
            ex, build, stem(file),
            [&root](const std::string& m) {
                if (root.has("sweep")) root.failKey("sweep", m);
                root.fail(m);
            },
            file);
    }
    return {std::move(ex.cells), ex.sources.read()};
}

}  // namespace

std::vector<ScenarioCell> expandScenarioFile(const std::string& file) {
    return expandScenario(file).cells;
}

ExpandedScenario expandScenario(const std::string& file) {
    Expansion ex;
    return expand(ex, file);
}

ExpandedScenario expandScenarioText(const std::string& text, const std::string& file) {
    Expansion ex;
    ex.sources.preload(file, text);
    return expand(ex, file);
}

}  // namespace rotor
