// SPDX-License-Identifier: MIT
// SHA-256 (FIPS 180-4) of byte strings and files, for checksumming every input in the provenance.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace rotor {

// Incremental hasher: update() any number of times, then digest() once.
class Sha256 {
public:
    using Digest = std::array<std::uint8_t, 32>;

    Sha256();
    void update(const void* data, std::size_t size);
    void update(std::string_view data) { update(data.data(), data.size()); }
    // Pads and returns the digest; the hasher must not be updated afterwards.
    Digest digest();

    static std::string hex(const Digest& d);  // lowercase, 64 characters

private:
    void compress(const std::uint8_t* block);

    std::array<std::uint32_t, 8> state_;
    std::array<std::uint8_t, 64> buffer_{};
    std::size_t buffered_ = 0;
    std::uint64_t length_ = 0;  // bytes hashed so far
    bool finished_ = false;
};

// Lowercase hex digest of `data`.
std::string sha256Hex(std::string_view data);
// Lowercase hex digest of the file's bytes; throws rotor::DataError if it cannot be read.
std::string sha256File(const std::string& path);

}  // namespace rotor
