// SPDX-License-Identifier: MIT
// Values as bytes and back, to ship results between the processes of one run (part_codec,
// history_codec). Bytes are in the machine's order: every process of a run is one build of
// rotor on one architecture (docs/cluster.md).
#pragma once

#include "engine/core/error.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace rotor {

class ByteWriter {
public:
    template <class T>
    void put(const T& v) {
        static_assert(std::is_trivially_copyable_v<T>);
        raw(&v, sizeof v);
    }
    template <class T>
    void array(const T* data, std::size_t n) {
        static_assert(std::is_trivially_copyable_v<T>);
        put<std::uint64_t>(n);
        raw(data, n * sizeof(T));
    }
    void text(const std::string& s) { array(s.data(), s.size()); }
    void raw(const void* p, std::size_t n) {
        const auto* c = static_cast<const char*>(p);
        out.insert(out.end(), c, c + n);
    }
    std::vector<char> out;
};

// Every problem of the bytes is rotor::InputError "<context>: <what>": bytes read back from a
// file are the user's input; a caller whose bytes came from another process says otherwise.
class ByteReader {
public:
    ByteReader(const std::vector<char>& b, std::string context)
        : bytes_(b), context_(std::move(context)) {}
    [[noreturn]] void bad(const std::string& what) const {
        throw InputError(context_ + ": " + what);
    }
    template <class T>
    T get() {
        static_assert(std::is_trivially_copyable_v<T>);
        T v{};
        raw(&v, sizeof v);
        return v;
    }
    // n values into `data`, after checking that the stored count is n.
    template <class T>
    void array(T* data, std::size_t n, const char* what) {
        const auto stored = get<std::uint64_t>();
        if (stored != n)
            bad(std::string(what) + " has " + std::to_string(stored) + " values, expected " +
                std::to_string(n));
        if (n > left() / sizeof(T)) bad(std::string(what) + " runs past the end");
        raw(data, n * sizeof(T));
    }
    template <class T>
    std::vector<T> vector(const char* what) {
        const auto n = get<std::uint64_t>();
        // Checked before anything is allocated: the count is whatever the bytes say.
        if (n > left() / sizeof(T)) bad(std::string(what) + " runs past the end");
        std::vector<T> v(static_cast<std::size_t>(n));
        raw(v.data(), v.size() * sizeof(T));
        return v;
    }
    std::string text(const char* what) {
        const std::vector<char> v = vector<char>(what);
        return {v.begin(), v.end()};
    }
    void raw(void* p, std::size_t n) {
        if (n > left()) bad("the bytes end early");
        if (n > 0) std::memcpy(p, bytes_.data() + at_, n);
        at_ += n;
    }
    std::size_t left() const { return bytes_.size() - at_; }
    bool done() const { return at_ == bytes_.size(); }

private:
    const std::vector<char>& bytes_;
    std::string context_;
    std::size_t at_ = 0;
};

}  // namespace rotor
