// SPDX-License-Identifier: MIT
// SHA-256 against the FIPS 180-2 example vectors and block-boundary lengths.
#include "engine/data/sha256.hpp"

#include "engine/core/error.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace rotor {
namespace {
namespace sha256_test {

// FIPS 180-2, Appendix B.1 ("abc", one block).
TEST(Sha256, FipsOneBlockMessage) {
    EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// FIPS 180-2, Appendix B.2 (448 bits: the padding spills into a second block).
TEST(Sha256, FipsMultiBlockMessage) {
    EXPECT_EQ(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

// The well-known digest of the empty message (padding only).
TEST(Sha256, EmptyMessage) {
    EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// FIPS 180-2, Appendix B.3 (one million 'a'), fed in uneven pieces so partial blocks are joined.
TEST(Sha256, FipsMillionA) {
    const std::string million(1000000, 'a');
    EXPECT_EQ(sha256Hex(million),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    Sha256 h;
    std::size_t done = 0;
    for (std::size_t piece = 1; done < million.size(); piece = piece % 97 + 1) {
        const std::size_t take = std::min(piece, million.size() - done);
        h.update(million.data() + done, take);
        done += take;
    }
    EXPECT_EQ(Sha256::hex(h.digest()),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Lengths around the 55/56-byte padding boundary and the 64-byte block size; expected digests
// from coreutils: `head -c N /dev/zero | tr '\0' a | sha256sum`.
TEST(Sha256, PaddingBoundaries) {
    const std::pair<std::size_t, const char*> cases[] = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
        {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
    };
    for (const auto& [n, digest] : cases) EXPECT_EQ(sha256Hex(std::string(n, 'a')), digest) << n;
}

TEST(Sha256, FileDigestEqualsBytesDigest) {
    const std::string dir = test::scratchDir("sha256_test");
    const std::string path = dir + "/million_a.bin";
    {
        std::ofstream out(path, std::ios::binary);
        out << std::string(1000000, 'a');  // larger than the 64 KiB read chunk
    }
    EXPECT_EQ(sha256File(path), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    const std::string empty = dir + "/empty.bin";
    std::ofstream{empty};
    EXPECT_EQ(sha256File(empty),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, MissingFileIsDataError) {
    const std::string dir = test::scratchDir("sha256_missing");
    EXPECT_THROW(sha256File(dir + "/nope.csv"), DataError);
}

TEST(Sha256, UpdateAfterDigestIsRefused) {
    Sha256 h;
    h.update("abc");
    h.digest();
    EXPECT_THROW(h.update("x"), Error);
    EXPECT_THROW(h.digest(), Error);
}

}  // namespace sha256_test
}  // namespace
}  // namespace rotor
