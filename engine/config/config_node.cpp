// SPDX-License-Identifier: MIT
#include "engine/config/config_node.hpp"

#include "engine/config/yaml_node.hpp"
#include "engine/core/error.hpp"

#include <yaml-cpp/eventhandler.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <unordered_map>

namespace rotor {

ConfigNode::ConfigNode(std::shared_ptr<const Yaml> node, std::shared_ptr<const std::string> file,
                       std::string keyPath, std::shared_ptr<const NodeFileSource> origins)
    : node_(std::move(node)),
      file_(std::move(file)),
      keyPath_(std::move(keyPath)),
      origins_(std::move(origins)) {}

std::shared_ptr<const std::string> ConfigNode::fileOfChild(const std::string& childKeyPath) const {
    if (origins_) {
        if (auto f = origins_->fileAt(childKeyPath)) return f;
    }
    return file_;
}

namespace {
ConfigNode childOf(const ConfigNode& parent, const YAML::Node& node, std::string childKeyPath,
                   std::shared_ptr<const std::string> file) {
    return ConfigNodeAccess::make(node, std::move(file), std::move(childKeyPath),
                                  ConfigNodeAccess::origins(parent));
}
}  // namespace

// yaml-cpp marks are 0-based; editors count from 1.
int ConfigNode::line() const { return node_->node.Mark().line + 1; }
int ConfigNode::column() const { return node_->node.Mark().column + 1; }

ConfigLocation ConfigNode::location() const { return {*file_, line(), column(), keyPath_}; }

bool ConfigNode::isMap() const { return node_->node.IsMap(); }
bool ConfigNode::isSequence() const { return node_->node.IsSequence(); }
bool ConfigNode::isScalar() const { return node_->node.IsScalar(); }
bool ConfigNode::isNull() const { return node_->node.IsNull(); }

std::string ConfigNode::toYaml() const {
    YAML::Emitter out;
    out << node_->node;
    return out.c_str();
}

void ConfigNode::fail(const std::string& msg) const {
    throw ConfigError(*file_, line(), column(), keyPath_, msg);
}

std::string ConfigNode::childPath(const std::string& key) const {
    return keyPath_.empty() ? key : keyPath_ + "." + key;
}

std::string ConfigNode::describe() const {
    if (node_->node.IsMap()) return "a map";
    if (node_->node.IsSequence()) return "a sequence";
    if (node_->node.IsNull()) return "nothing";
    return "'" + node_->node.Scalar() + "'";
}

bool ConfigNode::has(const std::string& key) const {
    if (!node_->node.IsMap()) return false;
    const YAML::Node& n = node_->node;
    return static_cast<bool>(n[key]);
}

ConfigNode ConfigNode::at(const std::string& key) const {
    if (!node_->node.IsMap()) fail("expected a map with key '" + key + "', found " + describe());
    const YAML::Node& n = node_->node;
    YAML::Node value = n[key];
    if (!value) fail("missing required key '" + key + "'");
    const std::string path = childPath(key);
    return childOf(*this, value, path, fileOfChild(path));
}

std::optional<ConfigNode> ConfigNode::find(const std::string& key) const {
    if (!has(key)) return std::nullopt;
    return at(key);
}

std::vector<std::string> ConfigNode::keys() const {
    if (!node_->node.IsMap()) fail("expected a map, found " + describe());
    std::vector<std::string> out;
    for (const auto& kv : node_->node) out.push_back(kv.first.Scalar());
    return out;
}

void ConfigNode::failKey(const std::string& key, const std::string& msg) const {
    for (const auto& kv : node_->node) {
        if (kv.first.Scalar() != key) continue;
        // The key was written by the same file as its value.
        const std::string path = childPath(key);
        throw ConfigError(*fileOfChild(path), kv.first.Mark().line + 1, kv.first.Mark().column + 1,
                          path, msg);
    }
    fail(msg);
}

void ConfigNode::allowOnly(const std::vector<std::string>& allowed) const {
    if (!node_->node.IsMap()) fail("expected a map, found " + describe());
    for (const auto& kv : node_->node) {
        const std::string key = kv.first.Scalar();
        bool ok = false;
        for (const auto& a : allowed) ok = ok || a == key;
        if (!ok) {
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
            failKey(key, "unknown key '" + key + "' (allowed: " + list + ")");
        }
    }
}

void ConfigNode::allowOnly(std::initializer_list<const char*> allowed) const {
    allowOnly(std::vector<std::string>(allowed.begin(), allowed.end()));
}

std::vector<ConfigNode> ConfigNode::items() const {
    if (!node_->node.IsSequence()) fail("expected a sequence, found " + describe());
    std::vector<ConfigNode> out;
    std::size_t i = 0;
    for (const auto& item : node_->node) {
        std::string path = keyPath_ + "[" + std::to_string(i++) + "]";
        auto file = fileOfChild(path);
        out.push_back(childOf(*this, item, std::move(path), std::move(file)));
    }
    return out;
}

std::string ConfigNode::asString() const {
    if (!node_->node.IsScalar()) fail("expected a string, found " + describe());
    return node_->node.Scalar();
}

double ConfigNode::asDouble() const {
    if (!node_->node.IsScalar()) fail("expected a number, found " + describe());
    const std::string& s = node_->node.Scalar();
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE || !std::isfinite(v))
        fail("expected a number, found " + describe());
    return v;
}

long ConfigNode::asInt() const {
    if (!node_->node.IsScalar()) fail("expected an integer, found " + describe());
    const std::string& s = node_->node.Scalar();
    errno = 0;
    char* end = nullptr;
    const long v = std::strtol(s.c_str(), &end, 10);
    if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE)
        fail("expected an integer, found " + describe());
    return v;
}

bool ConfigNode::asBool() const {
    if (node_->node.IsScalar()) {
        const std::string& s = node_->node.Scalar();
        if (s == "true" || s == "True" || s == "yes") return true;
        if (s == "false" || s == "False" || s == "no") return false;
    }
    fail("expected true or false, found " + describe());
}

Date ConfigNode::asDate() const {
    // Years a scenario can mean: the oldest data is from 1926, and a forward horizon is at most
    // 100 years. Outside them, date arithmetic (calendars, horizons) is only ever wrong.
    static const Date kFirst = Date::fromYmd(1800, 1, 1);
    static const Date kLast = Date::fromYmd(2199, 12, 31);
    if (node_->node.IsScalar()) {
        if (auto d = Date::parseIso(node_->node.Scalar())) {
            if (!(*d < kFirst) && !(kLast < *d)) return *d;
            fail("expected a date YYYY-MM-DD from 1800-01-01 to 2199-12-31, found " + describe());
        }
    }
    fail("expected a date YYYY-MM-DD, found " + describe());
}

std::vector<std::string> ConfigNode::asStringList() const {
    if (node_->node.IsScalar()) return {node_->node.Scalar()};
    std::vector<std::string> out;
    for (const auto& item : items()) out.push_back(item.asString());
    return out;
}

std::string ConfigNode::getString(const std::string& key, const std::string& dflt) const {
    return has(key) ? at(key).asString() : dflt;
}
double ConfigNode::getDouble(const std::string& key, double dflt) const {
    return has(key) ? at(key).asDouble() : dflt;
}
long ConfigNode::getInt(const std::string& key, long dflt) const {
    return has(key) ? at(key).asInt() : dflt;
}
bool ConfigNode::getBool(const std::string& key, bool dflt) const {
    return has(key) ? at(key).asBool() : dflt;
}

double ConfigNode::asDoubleIn(double lo, double hi) const {
    const double v = asDouble();
    if (v < lo || v > hi) {
        std::ostringstream os;
        os << "expected a number in [" << lo << ", " << hi << "], found " << v;
        fail(os.str());
    }
    return v;
}

long ConfigNode::asIntIn(long lo, long hi) const {
    const long v = asInt();
    if (v < lo || v > hi) {
        std::ostringstream os;
        os << "expected an integer in [" << lo << ", " << hi << "], found " << v;
        fail(os.str());
    }
    return v;
}

namespace {

// Nesting deeper than this is no scenario: it only makes recursive readers (ours, yaml-cpp's
// emitter) use stack in proportion to the input.
constexpr std::size_t kMaxYamlDepth = 64;

// Nodes that aliases may add to a file's tree (each alias counts the nodes of its anchor,
// aliases inside the anchor included): an anchor of ten aliases of an anchor of ten... would
// otherwise let a few lines stand for an exponential tree that readers walk node by node.
constexpr std::size_t kMaxAliasNodes = 100000;

// A pass over the parser's events before the tree is built, for what yaml-cpp's loader lets
// through silently: a second document (dropped), a key given twice (the first wins), aliases
// that expand beyond kMaxAliasNodes, keys that are maps or sequences, and unbounded nesting.
class StrictYamlCheck final : public YAML::EventHandler {
public:
    StrictYamlCheck(const std::string& name, const std::string& text) : name_(name), text_(text) {}

    void OnDocumentStart(const YAML::Mark& mark) override {
        if (++documents_ > 1)
            fail(mark, "a second YAML document ('---'): a scenario file holds exactly one");
    }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, "~", anchor); }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        if (atKey()) fail(mark, "a map key must be a plain value, not an alias");
        const auto it = anchorNodes_.find(anchor);
        // yaml-cpp rejects an alias to an unknown anchor itself; an anchor still open (an
        // alias inside its own anchor) is refused here, as it would be a cycle.
        if (it == anchorNodes_.end()) fail(mark, "alias to an anchor that is not complete here");
        nodes_ += it->second;
        aliasNodes_ += it->second;
        if (aliasNodes_ > kMaxAliasNodes)
            fail(mark, "aliases expand to more than " + std::to_string(kMaxAliasNodes) +
                           " nodes; write the values out");
        done();
    }
    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        if (tag == "!") checkClosingQuote(mark);
        leaf(mark, value, anchor);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        open(mark, false, anchor);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        open(mark, true, anchor);
    }
    void OnMapEnd() override { close(); }

private:
    struct Frame {
        bool map = false;
        bool nextIsKey = true;  // maps: the next node is a key
        std::size_t index = 0;  // sequences: the next item's index
        std::string key;        // maps: the key whose value comes next
        std::unordered_map<std::string, YAML::Mark> keys;
        YAML::anchor_t anchor = YAML::NullAnchor;  // the collection's anchor (&name), if any
        std::size_t firstNode = 0;                 // nodes_ when the collection opened
    };

    // The key path of the node about to start, as ConfigNode spells it.
    std::string path() const {
        std::string out;
        for (const auto& f : frames_) {
            if (f.map) {
                if (f.nextIsKey) break;
                out += (out.empty() ? "" : ".") + f.key;
            } else {
                out += "[" + std::to_string(f.index) + "]";
            }
        }
        return out;
    }

    [[noreturn]] void fail(const YAML::Mark& mark, const std::string& msg) const {
        throw ConfigError(name_, mark.line + 1, mark.column + 1, path(), msg);
    }

    // yaml-cpp takes a quoted scalar left open to the end of the file as if it were closed
    // there, so `description: "abc` (and every line after it) would read as one string.
    void checkClosingQuote(const YAML::Mark& mark) const {
        if (mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= text_.size()) return;
        const std::size_t start = static_cast<std::size_t>(mark.pos);
        const char quote = text_[start];
        if (quote != '"' && quote != '\'') return;
        for (std::size_t i = start + 1; i < text_.size(); ++i) {
            if (quote == '"' && text_[i] == '\\') {
                ++i;  // an escape: the next character never closes
            } else if (text_[i] == quote) {
                if (quote == '"' || i + 1 >= text_.size() || text_[i + 1] != '\'') return;
                ++i;  // '' inside single quotes is one quote
            }
        }
        fail(mark, std::string("YAML syntax error: the quoted string opened here is never closed "
                               "(no matching ") +
                       quote + ")");
    }

    bool atKey() const {
        return !frames_.empty() && frames_.back().map && frames_.back().nextIsKey;
    }

    void leaf(const YAML::Mark& mark, const std::string& text, YAML::anchor_t anchor) {
        ++nodes_;
        if (anchor != YAML::NullAnchor) anchorNodes_[anchor] = 1;
        if (atKey()) {
            Frame& f = frames_.back();
            const auto [it, fresh] = f.keys.emplace(text, mark);
            if (!fresh) {
                f.nextIsKey = false;
                f.key = text;
                fail(mark, "duplicate key '" + text + "' (first at line " +
                               std::to_string(it->second.line + 1) + ", column " +
                               std::to_string(it->second.column + 1) +
                               "); a key may appear once per map");
            }
            f.key = text;
            f.nextIsKey = false;
            return;
        }
        done();
    }

    void open(const YAML::Mark& mark, bool map, YAML::anchor_t anchor) {
        if (atKey()) fail(mark, "a map key must be a plain value, not a map or a sequence");
        if (frames_.size() >= kMaxYamlDepth)
            fail(mark, "nesting deeper than " + std::to_string(kMaxYamlDepth) + " levels");
        Frame f;
        f.map = map;
        f.anchor = anchor;
        f.firstNode = nodes_++;
        frames_.push_back(std::move(f));
    }

    void close() {
        const Frame& f = frames_.back();
        if (f.anchor != YAML::NullAnchor) anchorNodes_[f.anchor] = nodes_ - f.firstNode;
        frames_.pop_back();
        done();
    }

    // A whole node (scalar, or a collection just closed) has been read in the current frame.
    void done() {
        if (frames_.empty()) return;
        Frame& f = frames_.back();
        if (f.map)
            f.nextIsKey = true;
        else
            ++f.index;
    }

    const std::string& name_;
    const std::string& text_;
    std::vector<Frame> frames_;
    int documents_ = 0;
    std::size_t nodes_ = 0;       // nodes of the tree so far, aliases expanded
    std::size_t aliasNodes_ = 0;  // of which added by aliases
    std::unordered_map<YAML::anchor_t, std::size_t> anchorNodes_;  // nodes each anchor stands for
};

}  // namespace

YAML::Node parseYaml(const std::string& text, const std::string& name) {
    try {
        std::istringstream in(text);
        YAML::Parser parser(in);
        StrictYamlCheck check(name, text);
        while (parser.HandleNextDocument(check)) {
        }
        return YAML::Load(text);
    } catch (const YAML::ParserException& e) {
        throw ConfigError(name, e.mark.line + 1, e.mark.column + 1, "",
                          "YAML syntax error: " + e.msg);
    }
}

FileBytes readYamlFile(const std::string& path) {
    try {
        return readRegularFile(path, inputLimits().maxYamlBytes, "--max-yaml-size");
    } catch (const FileReadError& e) {
        throw ConfigError(path, 0, 0, "",
                          e.reason() == "file not found" ? "cannot open file" : e.reason());
    }
}

ConfigNode loadYamlFile(const std::string& path) {
    const FileBytes file = readYamlFile(path);
    return loadYamlString(file.bytes, path);
}

ConfigNode loadYamlString(const std::string& text, const std::string& name) {
    auto file = std::make_shared<const std::string>(name);
    return ConfigNodeAccess::make(parseYaml(text, name), file, "");
}

std::string resolvePath(const ConfigNode& node) {
    const std::filesystem::path p(node.asString());
    if (p.is_absolute()) return p.string();
    const auto base = std::filesystem::path(node.file()).parent_path();
    return (base / p).lexically_normal().string();
}

}  // namespace rotor
