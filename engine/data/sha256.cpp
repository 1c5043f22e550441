// SPDX-License-Identifier: MIT
// SHA-256 as specified in FIPS 180-4 section 6.2, processing 64-byte blocks.
#include "engine/data/sha256.hpp"

#include "engine/core/error.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

namespace rotor {

namespace {

EVP_MD_CTX* ctx(void* p) { return static_cast<EVP_MD_CTX*>(p); }

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    ROTOR_REQUIRE(ctx_ && EVP_DigestInit_ex(ctx(ctx_), EVP_sha256(), nullptr) == 1,
                  "cannot initialise SHA-256");
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx(ctx_)); }

void Sha256::update(const void* data, std::size_t size) {
    ROTOR_REQUIRE(!finished_, "Sha256::update after digest()");
    ROTOR_REQUIRE(EVP_DigestUpdate(ctx(ctx_), data, size) == 1, "SHA-256 update failed");
}

Sha256::Digest Sha256::digest() {
    ROTOR_REQUIRE(!finished_, "Sha256::digest called twice");
    finished_ = true;
    Digest out;
    unsigned int len = 0;
    ROTOR_REQUIRE(EVP_DigestFinal_ex(ctx(ctx_), out.data(), &len) == 1 && len == out.size(),
                  "SHA-256 final failed");
    return out;
}

std::string Sha256::hex(const Digest& d) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string s;
    s.reserve(2 * d.size());
    for (std::uint8_t byte : d) {
        s.push_back(kDigits[byte >> 4]);
        s.push_back(kDigits[byte & 0x0f]);
    }
    return s;
}

std::string sha256Hex(std::string_view data) {
    Sha256 h;
    h.update(data);
    return Sha256::hex(h.digest());
}

std::string sha256File(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw DataError(path, 0, std::string("cannot open for checksum: ") + std::strerror(errno));
    Sha256 h;
    std::vector<char> chunk(1 << 16);
    while (in) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        h.update(chunk.data(), static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) throw DataError(path, 0, "read error while computing checksum");
    return Sha256::hex(h.digest());
}

}  // namespace rotor
