// SPDX-License-Identifier: MIT
// ConfigNode's per-node files: with a NodeFileSource (here a hand-written table, independent of
// composition) children, errors and resolvePath name the file that wrote each node; without
// one the whole tree is in its own file.
#include "engine/config/config_node.hpp"

#include "engine/config/yaml_node.hpp"  // a tree with a NodeFileSource, as composition makes
#include "engine/core/error.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace rotor {
namespace {
namespace config_node_test {

// Exact key path -> file; anything else inherits its parent's file.
class TableSource final : public NodeFileSource {
public:
    explicit TableSource(std::map<std::string, std::string> files) {
        for (auto& [path, file] : files)
            files_[path] = std::make_shared<const std::string>(std::move(file));
    }
    std::shared_ptr<const std::string> fileAt(const std::string& keyPath) const override {
        ++calls;
        const auto it = files_.find(keyPath);
        return it == files_.end() ? nullptr : it->second;
    }
    mutable int calls = 0;

private:
    std::map<std::string, std::shared_ptr<const std::string>> files_;
};

// Line 1 "costs:", line 2 "  fee: 1.5", line 3 "  typo: 2", line 4 "paths: [a.csv, b/c.csv]",
// line 5 "out: x.h5".
const char* const kText = "costs:\n  fee: 1.5\n  typo: 2\npaths: [a.csv, b/c.csv]\nout: x.h5\n";

ConfigNode withSource(std::shared_ptr<const NodeFileSource> source) {
    const ConfigNode plain = loadYamlString(kText, "/top/a/root.yaml");
    return ConfigNodeAccess::make(yamlNodeOf(plain),
                                  std::make_shared<const std::string>("/top/a/root.yaml"), "",
                                  std::move(source));
}

TEST(ConfigNodeOrigins, WithoutASourceTheWholeTreeIsInOneFile) {
    const ConfigNode root = loadYamlString(kText, "/top/a/root.yaml");
    EXPECT_EQ(root.at("costs").at("fee").file(), "/top/a/root.yaml");
    EXPECT_EQ(root.at("paths").items()[1].file(), "/top/a/root.yaml");
    EXPECT_EQ(resolvePath(root.at("paths").items()[1]), "/top/a/b/c.csv");
}

TEST(ConfigNodeOrigins, ChildrenTakeTheirOwnFileOrInheritTheirParents) {
    auto source = std::make_shared<TableSource>(std::map<std::string, std::string>{
        {"costs", "/top/b/parent.yaml"}, {"paths[1]", "/top/c/pack.yaml"}});
    const ConfigNode root = withSource(source);
    const ConfigNode costs = root.at("costs");
    EXPECT_EQ(costs.file(), "/top/b/parent.yaml");
    // fee has no entry: it inherits costs' file, not the root's.
    EXPECT_EQ(costs.at("fee").file(), "/top/b/parent.yaml");
    ASSERT_TRUE(costs.find("fee").has_value());
    EXPECT_EQ(costs.find("fee")->file(), "/top/b/parent.yaml");
    const auto items = root.at("paths").items();
    EXPECT_EQ(items[0].file(), "/top/a/root.yaml");
    EXPECT_EQ(items[1].file(), "/top/c/pack.yaml");
    EXPECT_EQ(root.at("out").file(), "/top/a/root.yaml");
    // A copy carries the source on: its children still look files up.
    const ConfigNode copy = root;
    EXPECT_EQ(copy.at("costs").at("fee").file(), "/top/b/parent.yaml");
    EXPECT_GT(source->calls, 0);
}

TEST(ConfigNodeOrigins, PathsResolveAgainstTheFolderOfTheirOwnFile) {
    const ConfigNode root = withSource(std::make_shared<TableSource>(
        std::map<std::string, std::string>{{"paths[1]", "/top/c/pack.yaml"}}));
    const auto items = root.at("paths").items();
    EXPECT_EQ(resolvePath(items[0]), "/top/a/a.csv");    // root.yaml is in /top/a
    EXPECT_EQ(resolvePath(items[1]), "/top/c/b/c.csv");  // pack.yaml is in /top/c
}

TEST(ConfigNodeOrigins, ErrorsNameTheFileThatWroteTheNode) {
    const ConfigNode root = withSource(std::make_shared<TableSource>(
        std::map<std::string, std::string>{{"costs.typo", "/top/b/parent.yaml"}}));
    const ConfigNode costs = root.at("costs");
    // A value error at the node: "  typo: 2" puts "2" after 2 + 4 + 2 = 8 chars.
    const ConfigError bad = test::configErrorOf([&] { (void)costs.at("typo").asBool(); });
    EXPECT_EQ(bad.file(), "/top/b/parent.yaml");
    EXPECT_EQ(bad.line(), 3);
    EXPECT_EQ(bad.column(), 9);
    // An unknown key is reported at the key itself (line 3, column 3), in the key's file.
    const ConfigError unknown = test::configErrorOf([&] { costs.allowOnly({"fee"}); });
    EXPECT_EQ(unknown.file(), "/top/b/parent.yaml");
    EXPECT_EQ(unknown.line(), 3);
    EXPECT_EQ(unknown.column(), 3);
    EXPECT_EQ(unknown.key(), "costs.typo");
    // A missing key is reported at the parent map, in the map's file (costs: the root's).
    const ConfigError missing = test::configErrorOf([&] { (void)costs.at("rate"); });
    EXPECT_EQ(missing.file(), "/top/a/root.yaml");
    EXPECT_EQ(missing.key(), "costs");
    // A key next to the misspelt one keeps the root's file.
    const ConfigError fee = test::configErrorOf([&] { (void)costs.at("fee").asBool(); });
    EXPECT_EQ(fee.file(), "/top/a/root.yaml");
    EXPECT_EQ(fee.line(), 2);
}

}  // namespace config_node_test
}  // namespace
}  // namespace rotor
