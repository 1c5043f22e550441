// SPDX-License-Identifier: MIT
// SHA-256 (FIPS 180-4) of byte strings and files, for checksumming every input in the provenance.
// Backed by OpenSSL's libcrypto, which uses the CPU's SHA extensions where present (about 10x
// a portable implementation, and provenance hashes every data file on every run).
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

    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

private:
    void* ctx_;  // EVP_MD_CTX, kept out of this header
    bool finished_ = false;
};

// Lowercase hex digest of `data`.
std::string sha256Hex(std::string_view data);
// Lowercase hex digest of the file's bytes; throws rotor::DataError if it cannot be read.
std::string sha256File(const std::string& path);

}  // namespace rotor
