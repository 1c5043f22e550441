// SPDX-License-Identifier: MIT
#include "engine/config/yaml_writer.hpp"

#include "engine/config/config_node.hpp"
#include "engine/config/yaml_node.hpp"

#include <yaml-cpp/yaml.h>

namespace rotor {

struct YamlWriter::Impl {
    YAML::Emitter out;
};

YamlWriter::YamlWriter() : impl_(std::make_unique<Impl>()) {}
YamlWriter::~YamlWriter() = default;

void YamlWriter::setDoublePrecision(int digits) {
    impl_->out.SetDoublePrecision(static_cast<std::size_t>(digits));
}

YamlWriter& YamlWriter::operator<<(yaml::Token token) {
    YAML::Emitter& o = impl_->out;
    switch (token) {
        case yaml::BeginMap: o << YAML::BeginMap; break;
        case yaml::EndMap: o << YAML::EndMap; break;
        case yaml::BeginSeq: o << YAML::BeginSeq; break;
        case yaml::EndSeq: o << YAML::EndSeq; break;
        case yaml::Key: o << YAML::Key; break;
        case yaml::Value: o << YAML::Value; break;
        case yaml::Flow: o << YAML::Flow; break;
    }
    return *this;
}

YamlWriter& YamlWriter::operator<<(const std::string& s) {
    impl_->out << s;
    return *this;
}
YamlWriter& YamlWriter::operator<<(const char* s) {
    impl_->out << s;
    return *this;
}
YamlWriter& YamlWriter::operator<<(double v) {
    impl_->out << v;
    return *this;
}
YamlWriter& YamlWriter::operator<<(int v) {
    impl_->out << v;
    return *this;
}
YamlWriter& YamlWriter::operator<<(long v) {
    impl_->out << v;
    return *this;
}
YamlWriter& YamlWriter::operator<<(long long v) {
    impl_->out << v;
    return *this;
}
YamlWriter& YamlWriter::operator<<(unsigned long v) {
    impl_->out << v;
    return *this;
}
YamlWriter& YamlWriter::operator<<(unsigned long long v) {
    impl_->out << v;
    return *this;
}
YamlWriter& YamlWriter::operator<<(bool v) {
    impl_->out << v;
    return *this;
}
YamlWriter& YamlWriter::operator<<(const ConfigNode& node) {
    impl_->out << yamlNodeOf(node);
    return *this;
}

YamlWriter& YamlWriter::embed(const std::string& yamlText) {
    impl_->out << YAML::Load(yamlText);
    return *this;
}

std::string YamlWriter::str() const { return impl_->out.c_str(); }

}  // namespace rotor
