// SPDX-License-Identifier: MIT
// Writes YAML text (resolved scenarios, model descriptions, calibration output) through the
// same stream interface yaml-cpp's emitter has, so that yaml-cpp stays a private dependency of
// engine/config: no other layer includes it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rotor {

class ConfigNode;

namespace yaml {
// Structure tokens, as yaml-cpp's manipulators of the same names.
enum Token { BeginMap, EndMap, BeginSeq, EndSeq, Key, Value, Flow };
}  // namespace yaml

class YamlWriter {
public:
    YamlWriter();
    ~YamlWriter();
    YamlWriter(const YamlWriter&) = delete;
    YamlWriter& operator=(const YamlWriter&) = delete;

    // Significant digits of doubles written from here on (yaml-cpp's default otherwise).
    void setDoublePrecision(int digits);

    YamlWriter& operator<<(yaml::Token token);
    YamlWriter& operator<<(const std::string& s);
    YamlWriter& operator<<(const char* s);
    YamlWriter& operator<<(double v);
    YamlWriter& operator<<(int v);
    YamlWriter& operator<<(long v);
    YamlWriter& operator<<(long long v);
    YamlWriter& operator<<(unsigned long v);
    YamlWriter& operator<<(unsigned long long v);
    YamlWriter& operator<<(bool v);
    // A node of a read file, written as it was read (its keys, order and scalars).
    YamlWriter& operator<<(const ConfigNode& node);
    // A YAML document given as text (e.g. ConfigNode::toYaml), written as the next value.
    YamlWriter& embed(const std::string& yamlText);
    // A sequence, element by element (what yaml-cpp does for std::vector).
    template <class T>
    YamlWriter& operator<<(const std::vector<T>& items) {
        *this << yaml::BeginSeq;
        for (const auto& item : items) *this << item;
        return *this << yaml::EndSeq;
    }

    // The text so far.
    std::string str() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace rotor
